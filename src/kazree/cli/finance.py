"""``kazree finance``: a project's (or a plan's builds') cash flows, returns and debt cover."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from kazree.cli.output import err
from kazree.cli.tables import Column, print_table
from kazree.i18n import _, format_number

if TYPE_CHECKING:
    import pandas as pd

PLAN_FINANCE_FILE = "plan_finance.csv"


def year_columns() -> dict[str, str]:
    """Columns of the yearly cash-flow table -> header."""
    return {
        "year": _("year"),
        "production_t": _("output t"),
        "reference_price_usd_per_kg": _("price $/kg"),
        "revenue_musd": _("revenue"),
        "ebitda_musd": _("EBITDA"),
        "income_tax_musd": _("CIT"),
        "met_musd": _("MET"),
        "cfads_musd": _("CFADS"),
        "debt_service_musd": _("debt service"),
        "dscr": _("DSCR"),
        "llcr": _("LLCR"),
        "equity_cf_musd": _("equity CF"),
    }


def bankability_columns() -> dict[str, str]:
    """Columns of the bankability table -> header."""
    return {
        "case": _("case"),
        "offtakes": _("offtakes"),
        "equity_irr": _("equity IRR"),
        "min_dscr": _("min DSCR"),
        "min_llcr": _("min LLCR"),
        "npv_musd": _("NPV, M US$"),
    }


def plan_columns() -> dict[str, Column]:
    """Columns of the per-build table of ``--plan`` (the rest is in the CSV); rank 0 stays
    longest when the terminal is narrow."""
    return {
        "candidate": Column(_("build")),
        "online_year": Column(_("online"), "right", rank=1),
        "capex_musd": Column(_("capex M US$"), "right", rank=2),
        "margin_usd_per_kg": Column(_("margin $/kg"), "right", rank=2),
        "npv_musd": Column(_("NPV, M US$"), "right"),
        "project_irr": Column(_("project IRR"), "right", rank=1),
        "equity_irr": Column(_("equity IRR"), "right"),
        "min_dscr": Column(_("min DSCR"), "right"),
    }


def labels() -> dict[str, str]:
    """Words the bankability table shows in its cells -> their translation."""
    return {
        "all equity": _("all equity"),
        "commercial debt only": _("commercial debt only"),
        "given stack": _("given stack"),
        "none": _("none"),
        "as given": _("as given"),
    }


PCT_COLUMNS = ("equity_irr", "project_irr")


def _fmt(value: object, kind: str = "") -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "-"
    if kind == "pct" and isinstance(value, float):
        return format_number(100 * value, digits=1) + "\N{NO-BREAK SPACE}%"
    if isinstance(value, float):
        return format_number(value, digits=2 if abs(value) < 100 else 0)
    if isinstance(value, str):
        return labels().get(value, value)
    return str(value)


def summary_table(summary: Mapping[str, object]) -> Table:
    """The headline figures of one run."""
    title = _("Finance: {project} ({stack})").format(
        project=summary["project"], stack=_fmt(summary["stack"])
    )
    table = Table(title=title, show_header=False)
    rate = _fmt(float(str(summary["discount_rate"])), "pct")
    rows = [
        (_("NPV at {rate} real, M US$").format(rate=rate), _fmt(summary["npv_musd"])),
        (_("project IRR (after tax, real)"), _fmt(summary["project_irr"], "pct")),
        (_("sponsor equity IRR"), _fmt(summary["equity_irr"], "pct")),
        (_("payback, years from first output"), _fmt(summary["payback_years"])),
        (
            _("minimum / average DSCR"),
            f"{_fmt(summary['min_dscr'])} / {_fmt(summary['avg_dscr'])}",
        ),
        (_("minimum LLCR"), _fmt(summary["min_llcr"])),
        (
            _("debt / grant / equity share of capex"),
            " / ".join(
                _fmt(summary[k], "pct") for k in ("debt_share", "grant_share", "equity_share")
            ),
        ),
        (_("price path"), str(summary["prices"])),
    ]
    for label, value in rows:
        table.add_row(label, value)
    return table


def frame_table(frame: pd.DataFrame, title: str, columns: dict[str, str]) -> Table:
    """A rich table of ``frame``'s ``columns`` (name -> header)."""
    table = Table(title=title)
    for i, header in enumerate(columns.values()):
        table.add_column(header, justify="right", no_wrap=i == 0)
    for record in frame[list(columns)].to_dict("records"):
        table.add_row(*(_fmt(v, "pct" if c in PCT_COLUMNS else "") for c, v in record.items()))
    return table


def print_plan_finance(
    console: Console, frame: pd.DataFrame, title: str, stack: str | None = None
) -> None:
    """The finance of a plan's builds (:func:`builds_finance`), what it leaves unpriced and
    what it assumes."""
    from kazree.roadmap.finance.plan import plan_assumptions

    columns = plan_columns()
    rows = [
        [_fmt(v, "pct" if c in PCT_COLUMNS else "") for c, v in record.items()]
        for record in frame[list(columns)].to_dict("records")
    ]
    hidden = print_table(console, title, list(columns.values()), rows)
    if hidden:
        err().print(
            _(
                "({count} columns left out to fit the terminal: {columns}; --out writes them all)"
            ).format(count=len(hidden), columns=", ".join(hidden))
        )
    unpriced = frame.loc[frame["npv_musd"].isna(), "candidate"].tolist()
    if unpriced:
        console.print(
            _("No model price for the stage of: {builds} (see docs/roadmap-tools.md).").format(
                builds=", ".join(map(str, unpriced))
            ),
            highlight=False,
        )
    console.print(plan_assumptions(frame, stack), highlight=False)


def _plan(
    console: Console, directory: Path, stack: Path | None, rate: float, out: Path | None
) -> None:
    """The cash flows of every build of the plan in ``directory``."""
    from kazree.data import load_dataset
    from kazree.roadmap.finance.plan import plan_finance
    from kazree.roadmap.finance.stack import load_stack

    given = None if stack is None else (load_stack(stack), str(stack))
    frame = plan_finance(load_dataset(), directory, given, rate)
    title = _("Finance of the plan in {directory}, NPV at {rate} real").format(
        directory=directory, rate=_fmt(rate, "pct")
    )
    print_plan_finance(console, frame, title, given[0].name if given else None)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        frame.to_csv(out / PLAN_FINANCE_FILE, index=False)
        console.print(_("wrote {path}").format(path=out / PLAN_FINANCE_FILE), highlight=False)


def finance(
    project: Annotated[
        str | None,
        typer.Argument(help="A project YAML or a facility id of the dataset (or use --plan)."),
    ] = None,
    plan: Annotated[
        Path | None,
        typer.Option("--plan", help="A plan directory (kazree plan --out): every build."),
    ] = None,
    stack: Annotated[
        Path | None, typer.Option(help="Capital stack YAML (default: all equity).")
    ] = None,
    offtake: Annotated[Path | None, typer.Option(help="Offtake contracts YAML.")] = None,
    prices: Annotated[
        str,
        typer.Option(help="US$/kg flat, a YAML of year: US$/kg, or a market of the prices table."),
    ] = "market",
    discount_rate: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Real discount rate of the NPV.")
    ] = 0.10,
    out: Annotated[Path | None, typer.Option(help="Write the CSV (and JSON) files here.")] = None,
    detail: Annotated[
        bool, typer.Option("--detail", help="Also print the yearly cash flows.")
    ] = False,
) -> None:
    """Cash flows, NPV, IRR, payback, DSCR and LLCR of a project under a capital stack."""
    from kazree.data import load_dataset
    from kazree.errors import KazreeError
    from kazree.roadmap.finance.bankability import bankability
    from kazree.roadmap.finance.cashflow import cash_flows
    from kazree.roadmap.finance.inputs import build_case
    from kazree.roadmap.finance.terms import instrument_terms

    console = Console()
    if (project is None) == (plan is None):
        msg = _("finance: give PROJECT or --plan DIR (allowed: exactly one of them)")
        raise KazreeError(msg)
    if plan is not None:
        extra = [o for o, given in (("--offtake", offtake), ("--detail", detail)) if given]
        if prices != "market":
            extra.append("--prices")
        if extra:
            msg = _(
                "finance --plan: {option} applies to PROJECT only (allowed: --stack,"
                " --discount-rate, --out)"
            ).format(option=extra[0])
            raise KazreeError(msg)
        _plan(console, plan, stack, discount_rate, out)
        return
    dataset = load_dataset()
    case = build_case(dataset, str(project), stack, offtake, prices, discount_rate)
    result = cash_flows(case)
    compared = bankability(case, instrument_terms(dataset))
    console.print(summary_table(result.summary))
    title = _("How the stack ({stack}) and offtakes move bankability").format(stack=case.stack.name)
    console.print(frame_table(compared, title, bankability_columns()))
    if detail:
        console.print(
            frame_table(result.years, _("Cash flows, million US$ (real)"), year_columns())
        )
    else:
        console.print(_("Yearly cash flows: --detail prints them, --out writes cashflow.csv."))
    console.print(
        _(
            "Fiscal terms: CIT {cit}, MET as in fiscal_terms.csv ({sources}); stack terms: {terms}"
        ).format(
            cit=_fmt(case.regime.corporate_income_tax, "pct"),
            sources=", ".join(case.regime.sources),
            terms=", ".join(case.stack.sources) or "-",
        ),
        highlight=False,
    )
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        result.years.to_csv(out / "cashflow.csv", index=False)
        compared.to_csv(out / "bankability.csv", index=False)
        (out / "summary.json").write_text(json.dumps(result.summary, indent=2) + "\n")
        console.print(
            _("wrote {path}").format(path=f"{out / 'cashflow.csv'}, bankability.csv, summary.json"),
            highlight=False,
        )
