"""The yearly cash-flow model of one project under its fiscal terms, capital stack and offtakes.

Money is million US$ in real terms; years run from the first construction year to the end of
the project's life. Every function is pure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kazree.chain.forms import Stage
from kazree.errors import KazreeError
from kazree.roadmap.finance.arithmetic import (
    Vector,
    cover_ratio,
    irr,
    llcr,
    npv,
    payback_years,
    start_value,
)
from kazree.roadmap.finance.offtake import OfftakeBook, revenue_musd
from kazree.roadmap.finance.prices import PricePath
from kazree.roadmap.finance.project import Project
from kazree.roadmap.finance.stack import Debt, Repayment, ResolvedStack
from kazree.roadmap.finance.terms import FiscalRegime

DEFAULT_DISCOUNT_RATE = 0.10
"""Real discount rate of project NPV (a kazree assumption, stated with every result)."""


@dataclass(frozen=True)
class FinanceCase:
    """Everything one cash-flow run depends on."""

    project: Project
    regime: FiscalRegime
    prices: PricePath
    stack: ResolvedStack
    offtakes: OfftakeBook = field(default_factory=OfftakeBook)
    discount_rate: float = DEFAULT_DISCOUNT_RATE


@dataclass(frozen=True)
class FinanceResult:
    """Per-year cash flows and the summary figures of one case."""

    years: pd.DataFrame
    summary: dict[str, float | str | None]


def utilisation(project: Project, years: Vector) -> Vector:
    """Share of capacity used each year: 0 in construction, the ramp-up, then 1."""
    k = years - project.start_year
    out = np.where(k >= 0, 1.0, 0.0)
    for i, pct in enumerate(project.ramp_up_pct):
        out[k == i] = pct / 100
    return out


def depreciation(capex: Vector, operating: np.ndarray, regime: FiscalRegime, p: Project) -> Vector:
    """Declining-balance tax depreciation of two pools (buildings, machinery), from production."""
    b_share = p.buildings_share_pct / 100
    pools = np.zeros(2)
    rates = np.array([regime.depreciation_buildings, regime.depreciation_machinery])
    out = np.zeros(capex.shape)
    for t, spent in enumerate(capex):
        pools += spent * np.array([b_share, 1 - b_share])
        if operating[t]:
            charge = pools * rates
            pools -= charge
            out[t] = charge.sum()
    return out


def income_tax(taxable: Vector, rate: float) -> Vector:
    """Corporate income tax with losses carried forward (without expiry)."""
    out = np.zeros(taxable.shape)
    losses = 0.0
    for t, base in enumerate(taxable):
        if base < 0:
            losses -= base
            continue
        relief = min(losses, base)
        losses -= relief
        out[t] = rate * (base - relief)
    return out


@dataclass(frozen=True)
class DebtFlows:
    """Yearly flows of all debt tranches together."""

    opening: Vector
    interest: Vector
    principal: Vector
    repaying: np.ndarray
    """Years in which some tranche is scheduled to repay principal (its repayment period)."""


def sculpted_service(debt: Debt, balance: float, cfads: Vector) -> Vector | None:
    """Debt service of each repayment year of a sculpted tranche (``cfads`` over its repayment
    years), from the ``balance`` outstanding at their start; None for equal instalments.

    The service is CFADS over the tranche's LLCR at its first repayment (the present value of
    CFADS to maturity at the debt's rate over ``balance``), so that its DSCR is that LLCR in
    every repayment year. A tranche without positive CFADS in its repayment years cannot be
    sculpted and pays equal instalments.
    """
    if debt.repayment is Repayment.EQUAL or balance <= 0:
        return None
    available = np.maximum(cfads, 0.0)
    cover = start_value(debt.rate, available) / balance
    return available / cover if cover > 0 else None


def debt_flows(
    debts: tuple[Debt, ...], capex: Vector, k: np.ndarray, cfads: Vector | None = None
) -> DebtFlows:
    """Draw pro rata to capex with interest capitalised in construction; then ``grace`` years
    of interest only (from production); then repayment to the end of ``tenor``: sculpted to
    ``cfads`` (:func:`sculpted_service`) or in equal principal instalments.

    In a sculpted year whose service is below the interest due, the difference is added to the
    balance (negative principal)."""
    n = capex.size
    available = np.zeros(n) if cfads is None else cfads
    opening, interest, principal = np.zeros(n), np.zeros(n), np.zeros(n)
    repaying = np.zeros(n, dtype=bool)
    for debt in debts:
        balance, equal, service = 0.0, 0.0, None
        for t in range(n):
            opening[t] += balance
            if k[t] < 0:
                balance += debt.share * capex[t] + balance * debt.rate
                continue
            due = balance * debt.rate
            interest[t] += due
            if k[t] == debt.grace:
                years = debt.tenor - debt.grace
                service = sculpted_service(debt, balance, available[t : t + years])
                equal = balance / years
            if debt.grace <= k[t] < debt.tenor:
                repaying[t] = True
                if k[t] == debt.tenor - 1:
                    repay = balance
                elif service is None:
                    repay = min(equal, balance)
                else:
                    repay = service[k[t] - debt.grace] - due
                principal[t] += repay
                balance -= repay
    return DebtFlows(opening, interest, principal, repaying)


def _met_rate(case: FinanceCase) -> float:
    p, regime = case.project, case.regime
    rate = p.met_pct / 100 if p.met_pct is not None else 0.0
    if p.met_pct is None and p.stage is Stage.MINING:
        rate = regime.met_high
    return rate * (regime.technogenic_factor if p.technogenic else 1.0)


def _summary(
    case: FinanceCase, frame: pd.DataFrame, maturity: int
) -> dict[str, float | str | None]:
    p, stack = case.project, case.stack
    op = frame["year"] >= p.start_year
    pay = payback_years(frame["project_fcf_musd"].to_numpy())
    dscr = frame.loc[frame["repayment_period"], "dscr"].dropna()
    llcr_values = frame["llcr"].dropna()
    return {
        "project": p.id,
        "stack": stack.name,
        "prices": case.prices.label,
        "discount_rate": case.discount_rate,
        "npv_musd": npv(case.discount_rate, frame["project_fcf_musd"]),
        "project_irr": irr(frame["project_fcf_musd"]),
        "equity_irr": irr(frame["equity_cf_musd"]),
        "payback_years": None if pay is None else max(pay - p.lead_time_years, 0.0),
        "min_dscr": float(dscr.min()) if len(dscr) else None,
        "avg_dscr": float(dscr.mean()) if len(dscr) else None,
        "min_llcr": float(llcr_values.min()) if len(llcr_values) else None,
        "debt_share": sum(d.share for d in stack.debts),
        "grant_share": stack.grant_share,
        "equity_share": stack.equity_share,
        "carried_share": stack.carried_share,
        "debt_maturity_year": int(frame["year"].iloc[maturity]) if stack.debts else None,
        "revenue_full_rate_musd": float(frame.loc[op, "revenue_musd"].max()),
    }


SCULPTING_TOLERANCE_MUSD = 1e-9
"""Largest change of any year's CFADS at which sculpting has converged (million US$)."""
SCULPTING_ROUNDS = 100


def levered(
    case: FinanceCase, ebitda: Vector, dep: Vector, capex: Vector, k: np.ndarray
) -> tuple[DebtFlows, Vector, Vector]:
    """Debt flows, income tax and CFADS of the levered project.

    Sculpted service depends on CFADS and CFADS on the interest it makes deductible, so the two
    are solved by fixed-point iteration from the unlevered CFADS until no year's CFADS moves by
    more than :data:`SCULPTING_TOLERANCE_MUSD`."""
    rate = case.regime.corporate_income_tax
    operating = k >= 0
    cfads = np.where(operating, ebitda - income_tax(ebitda - dep, rate), 0.0)
    for _ in range(SCULPTING_ROUNDS):
        debt = debt_flows(case.stack.debts, capex, k, cfads)
        tax = income_tax(ebitda - dep - debt.interest, rate)
        moved, cfads = cfads, np.where(operating, ebitda - tax, 0.0)
        if np.max(np.abs(cfads - moved), initial=0.0) <= SCULPTING_TOLERANCE_MUSD:
            return debt, tax, cfads
    msg = f"{case.project.id}: sculpted debt service did not converge (CFADS and interest)"
    raise KazreeError(msg)


def cash_flows(case: FinanceCase) -> FinanceResult:
    """Run the yearly model of ``case``."""
    p, regime, stack = case.project, case.regime, case.stack
    for d in stack.debts:
        if d.tenor > p.life_years:
            msg = f"{d.label}: tenor {d.tenor} years outlives the project ({p.life_years} years)"
            raise KazreeError(msg)
    years = np.arange(p.start_year - p.lead_time_years, p.start_year + p.life_years)
    k = years - p.start_year
    operating = k >= 0
    capex = np.where(operating, 0.0, p.capex_musd / p.lead_time_years)
    production = p.capacity_t * utilisation(p, years.astype(float))
    reference = case.prices.at(years)
    revenue, contracted = revenue_musd(case.offtakes, years, production, reference, p.start_year)
    opex = np.where(operating, production * p.opex_usd_per_kg / 1000 + p.fixed_opex_musd, 0.0)
    holiday = operating & (k < regime.met_holiday_years) if p.met_holiday else np.zeros_like(k) > 0
    met = np.where(holiday, 0.0, _met_rate(case) * revenue)
    ebitda = revenue - opex - met
    dep = depreciation(capex, operating, regime, p)
    tax_unlevered = income_tax(ebitda - dep, regime.corporate_income_tax)
    debt, tax, cfads = levered(case, ebitda, dep, capex, k)
    service = debt.interest + debt.principal
    distribution = cfads - service
    equity = np.where(
        operating,
        distribution - stack.carried_share * np.maximum(distribution, 0.0),
        -capex * stack.equity_share,
    )
    maturity = int(np.flatnonzero(debt.repaying).max()) if debt.repaying.any() else 0
    rates = [d.rate * d.share for d in stack.debts]
    debt_rate = sum(rates) / sum(d.share for d in stack.debts) if stack.debts else 0.0
    frame = pd.DataFrame(
        {
            "year": years,
            "capex_musd": capex,
            "production_t": production,
            "reference_price_usd_per_kg": reference,
            "contracted_t": contracted,
            "revenue_musd": revenue,
            "opex_musd": opex,
            "met_musd": met,
            "ebitda_musd": ebitda,
            "depreciation_musd": dep,
            "interest_musd": debt.interest,
            "principal_musd": debt.principal,
            "income_tax_musd": tax,
            "cfads_musd": cfads,
            "debt_service_musd": service,
            "debt_opening_musd": debt.opening,
            "repayment_period": debt.repaying,
            "dscr": cover_ratio(cfads, service),
            "llcr": llcr(cfads, np.where(operating, debt.opening, 0.0), maturity, debt_rate),
            "project_fcf_musd": ebitda - tax_unlevered - capex,
            "equity_cf_musd": equity,
        }
    )
    return FinanceResult(frame, _summary(case, frame, maturity))
