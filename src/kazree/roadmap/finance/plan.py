"""The cash flows of every build of a plan (``kazree plan --out DIR``), at the plan's own prices.

Each row of ``plan.csv`` becomes a project: its capacity (t/yr on the stage's model basis, sold
as produced), capex, online year (first output) and lead time (online minus decision year, at
least one construction year) come from the plan; its financing source becomes a one-tranche
stack at :data:`PLAN_GEARING_PCT` of capex (``--stack`` replaces it for every build). Its
ramp-up and economic life are the plan's own (``plan.csv``'s ``ramp_up_years``: the planner's
linear ramp, utilisation (k + 1) / (r + 1) in the k-th year online; ``life_years``); a plan
written without them keeps the finance defaults (:class:`Project`).

Prices come from the plan's run (``results.nc``): a build earns the stage's margin at model
prices, per kg of output, in its country and year,

    margin[y] = sum_e w[e, y] x (p[stage, e, y] - p[stage before, e, y])

with ``w`` the element mix of the country's output of the stage and ``p`` the model's prices
(``shadow_price``, US$/kg of element content; the stage before mining costs nothing). A
magnet plant's capacity is t magnet, so its margin per kg of rare-earth content is multiplied by
the rare-earth content per kg of the country's magnets (``stage_output`` over
``magnet_output``). Its operating cost is the
model's unit cost of the stage (``costs.stage_usd_per_t`` of a scenario, kazree's defaults), so
the cash flows are those the model itself sees for the plant. Years after the run hold the last
year's margin. A build whose stage has no model price in its country (no output of the stage
there in any year, or no price for an element it makes) cannot be valued this way and is listed
without figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from kazree.chain.forms import Form, Stage
from kazree.csv_tables import read_csv_table
from kazree.data.loader import Dataset
from kazree.data.rows import InstrumentKind
from kazree.errors import KazreeError
from kazree.i18n import _, format_number
from kazree.outputs import PLAN_FILE, RESULTS_FILE
from kazree.planner.costs import RATE_KINDS
from kazree.planner.outcome import PLAN_COLUMNS, PLAN_NUMBERS, TERM_COLUMNS
from kazree.roadmap.finance.cashflow import DEFAULT_DISCOUNT_RATE, FinanceCase, cash_flows
from kazree.roadmap.finance.prices import PricePath
from kazree.roadmap.finance.project import Project
from kazree.roadmap.finance.stack import CapitalStack, ResolvedStack, Tranche, resolve
from kazree.roadmap.finance.terms import fiscal_regime, instrument_terms
from kazree.scenario.plan import Financing
from kazree.scenario.schema import CostSpec

ALLOWED = "a directory written by kazree plan --out (plan.csv and results.nc)"
PLAN_GEARING_PCT = 60.0
"""Share of a build's capex paid by its financing source when no ``--stack`` is given (kazree
assumption: the gearing of the shipped example stacks)."""
STAGE_FORM = {form.stage: form for form in Form}
"""The form each stage makes."""
RESULT_COLUMNS = [
    *PLAN_COLUMNS,
    *TERM_COLUMNS,
    "stack",
    "margin_usd_per_kg",
    "npv_musd",
    "project_irr",
    "equity_irr",
    "payback_years",
    "min_dscr",
    "avg_dscr",
    "min_llcr",
]


@dataclass(frozen=True)
class PlanRun:
    """What a plan directory holds: its builds and its run."""

    directory: Path
    builds: pd.DataFrame
    results: xr.Dataset


def read_plan(directory: Path) -> PlanRun:
    """``plan.csv`` and ``results.nc`` of ``directory``; anything missing is a one-line error."""
    if not directory.is_dir():
        msg = f"{directory}: no such directory (allowed: {ALLOWED})"
        raise KazreeError(msg)
    for name in (PLAN_FILE, RESULTS_FILE):
        if not (directory / name).is_file():
            msg = f"{directory}: no {name} (allowed: {ALLOWED})"
            raise KazreeError(msg)
    builds = read_csv_table(directory / PLAN_FILE, PLAN_COLUMNS, PLAN_NUMBERS)
    try:
        results = xr.load_dataset(directory / RESULTS_FILE)
    except (OSError, ValueError) as exc:
        msg = f"{directory / RESULTS_FILE}: unreadable ({exc}) (allowed: {ALLOWED})"
        raise KazreeError(msg) from None
    if "shadow_price" not in results or "stage_output" not in results:
        msg = f"{directory / RESULTS_FILE}: no model prices (allowed: {ALLOWED})"
        raise KazreeError(msg)
    return PlanRun(directory, builds, results)


def margin_path(results: xr.Dataset, stage: str, country: str) -> PricePath | None:
    """The stage's margin at model prices in ``country``, US$/kg of output, in the years the
    country makes something at that stage (None when it never does)."""
    stages = [str(s) for s in results.coords["stage"].values]
    if stage not in stages or country not in results.coords["country"].values:
        return None
    price = results["shadow_price"].sel(country=country)
    made = results["stage_output"].sel(stage=stage, country=country).fillna(0.0)
    total = made.sum("element")
    before = stages.index(stage) - 1
    own = price.sel(stage=stage)
    priced = (own.notnull() | (made == 0)).all("element")
    earned = own.fillna(0.0)
    if before >= 0:
        earned = earned - price.sel(stage=stages[before]).fillna(0.0)
    margin = ((made * earned).sum("element") / total.where(total > 0)).where(priced)
    if stage == Stage.MAGNET.value:
        magnets = results["magnet_output"].sel(country=country).fillna(0.0).sum("grade")
        margin = margin * total / magnets.where(magnets > 0)
    kept = margin.dropna("year")
    if kept.size == 0:
        return None
    years = tuple(int(y) for y in kept["year"].values)
    label = f"model margin of {stage} in {country}, {years[0]}-{years[-1]} (results.nc)"
    return PricePath(years, tuple(float(v) for v in kept.values), label)


def financing_stack(financing: str, origin: str) -> CapitalStack:
    """A build's financing source as one tranche paying :data:`PLAN_GEARING_PCT` of capex."""
    allowed = [f.value for f in Financing]
    if financing not in allowed:
        msg = (
            f"{origin}: financing: {financing!r} is not a financing source"
            f" (allowed: {', '.join(allowed)})"
        )
        raise KazreeError(msg)
    source = Financing(financing)
    kind = RATE_KINDS.get(source, InstrumentKind.STATE_EQUITY)
    tranche = Tranche(kind=kind, share_pct=PLAN_GEARING_PCT)
    return CapitalStack(name=f"{source.value} {PLAN_GEARING_PCT:g} %", tranches=[tranche])


def ramp_up_pct(years: int) -> list[float]:
    """The planner's linear ramp (full output in year ``years + 1``) as the utilisation of each
    year before full output, %."""
    return [100.0 * (k + 1) / (years + 1) for k in range(years)]


def plan_terms(row: pd.Series) -> dict[str, object]:
    """The build's own ramp-up and economic life where ``plan.csv`` records them (missing ones
    keep the finance defaults)."""
    ramp, life = row.get("ramp_up_years"), row.get("life_years")
    terms: dict[str, object] = {}
    if ramp is not None and pd.notna(ramp):
        terms["ramp_up_pct"] = ramp_up_pct(int(ramp))
    if life is not None and pd.notna(life):
        terms["life_years"] = int(life)
    return terms


def records_terms(builds: pd.DataFrame) -> bool:
    """Whether every build records its ramp-up and life (plans written before they were
    recorded do not: their finance uses the defaults)."""
    return all(c in builds.columns and bool(builds[c].notna().all()) for c in TERM_COLUMNS)


def build_project(row: pd.Series) -> Project:
    """A plan build as a financed project (see the module docstring)."""
    stage = Stage(str(row["stage"]))
    online, decided = int(row["online_year"]), int(row["decision_year"])
    return Project.model_validate(
        {
            "id": str(row["candidate"]),
            "stage": stage,
            "product": "model margin",
            "form": STAGE_FORM[stage],
            "capacity_t": float(row["capacity_t"]),
            "capex_musd": float(row["capex_musd"]),
            "opex_usd_per_kg": CostSpec().stage_usd_per_t[stage] / 1000.0,
            "start_year": online,
            "lead_time_years": max(online - decided, 1),
            **plan_terms(row),
        }
    )


def builds_finance(
    dataset: Dataset,
    builds: pd.DataFrame,
    results: xr.Dataset,
    origin: str,
    stack: tuple[CapitalStack, str] | None = None,
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
) -> pd.DataFrame:
    """One row per build of a plan (``builds``, as ``plan.csv``, and its run ``results``): the
    plan's columns, the stack, the mean margin and the headline figures (NaN where the build
    has no model price). ``origin`` names the builds in errors."""
    regime, terms = fiscal_regime(dataset), instrument_terms(dataset)
    rows = []
    for i, row in builds.reset_index(drop=True).iterrows():
        where_row = f"{origin}: row {int(str(i)) + 2}"
        given, where = stack or (financing_stack(str(row["financing"]), where_row), where_row)
        resolved: ResolvedStack = resolve(given, terms, where)
        prices = margin_path(results, str(row["stage"]), str(row["country"]))
        out: dict[str, object] = {c: row[c] for c in PLAN_COLUMNS}
        out |= {c: row.get(c, np.nan) for c in TERM_COLUMNS} | {"stack": resolved.name}
        if prices is None:
            rows.append(out)
            continue
        case = FinanceCase(
            build_project(row), regime, prices, resolved, discount_rate=discount_rate
        )
        summary = cash_flows(case).summary
        out["margin_usd_per_kg"] = float(np.mean(prices.usd_per_kg))
        out |= {c: summary[c] for c in RESULT_COLUMNS if c in summary}
        rows.append(out)
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)


def plan_finance(
    dataset: Dataset,
    directory: Path,
    stack: tuple[CapitalStack, str] | None = None,
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
) -> pd.DataFrame:
    """:func:`builds_finance` of the plan in ``directory`` (``kazree plan --out``)."""
    run = read_plan(directory)
    origin = str(directory / PLAN_FILE)
    return builds_finance(dataset, run.builds, run.results, origin, stack, discount_rate)


def plan_assumptions(frame: pd.DataFrame, stack: str | None = None) -> str:
    """What :func:`builds_finance`'s ``frame`` assumes, in words: revenue and cost, the gearing
    (or the ``stack`` given for every build), the repayment, and whose ramp-up and life it
    uses."""
    if stack is None:
        financed = _("each build is financed {gearing} % by its financing source").format(
            gearing=format_number(PLAN_GEARING_PCT)
        )
    else:
        financed = _("every build is financed by the stack {stack}").format(stack=stack)
    line = _(
        "Revenue is the stage's margin at the plan's model prices, operating cost the model's "
        "stage cost; {financed}."
    ).format(financed=financed)
    line += " " + _(
        "Debt is repaid as its tranche says (by default sculpted to CFADS after the grace "
        "years); the minimum DSCR is over the repayment years."
    )
    if records_terms(frame):
        return line + " " + _("Ramp-up and economic life: the plan's own.")
    fields = Project.model_fields
    ramp = fields["ramp_up_pct"].get_default(call_default_factory=True)
    return (
        line
        + " "
        + _(
            "The plan does not record its ramp-up and economic life: the finance defaults hold "
            "(utilisation in the first years: {ramp} %; life: {life} years)."
        ).format(
            ramp=" / ".join(format_number(v) for v in ramp),
            life=fields["life_years"].default,
        )
    )
