"""What a build costs and how long it takes: capex benchmarks, lead times, discount rates.

Capex per t/yr of capacity on the model basis of a stage is the median of the stage's
``capex_benchmarks`` rows, converted to US$ (:data:`USD_PER`) and to the model basis
(``t_ndpr_oxide`` rows through the NdPr share of a feed, :data:`~kazree.model.capacity.
NDPR_SHARE_OF_FEED`). No benchmark gives a scale exponent, so capex is linear in capacity (the
``--integer`` minimum plant size stands in for the indivisibility of a plant).
Lead times are the median of the ``lead_times`` rows named in :data:`LEAD_ITEMS`, rounded up
to whole years; a country's own precedent replaces them where the dataset has one.
"""

from __future__ import annotations

import math
from statistics import median

from kazree.chain.forms import Stage
from kazree.data import Dataset
from kazree.data.rows import InstrumentKind
from kazree.errors import KazreeError
from kazree.model.capacity import NDPR_SHARE_OF_FEED
from kazree.scenario.plan import Financing, PlanSpec

USD_PER = {"USD": 1.0, "EUR": 1.0824, "AUD": 0.6605}
"""US$ per unit of currency, 2024 averages (ECB euro reference rates, annual average 2024;
Reserve Bank of Australia, AUD/USD 2024 average)."""

ASSUMED_CAPEX_USD_PER_T = {Stage.METAL.value: 20_000.0}
"""kazree assumption for stages without a benchmark: a metal and alloy plant, US$ per t metal/yr
(below separation's median; no published metal-plant capex is in the dataset)."""

LEAD_ITEMS: dict[tuple[str, str | None], tuple[str, ...]] = {
    (Stage.MINING.value, None): ("ree_mine_minimum_development",),
    (Stage.CRACKING.value, None): (
        "sareco_jv_to_trial_production",
        "lynas_kalgoorlie_approvals_to_operation",
    ),
    (Stage.CRACKING.value, "KZ"): ("sareco_jv_to_trial_production",),
    (Stage.SEPARATION.value, None): (
        "eneabba_refinery_loan_to_commissioning",
        "white_mesa_phase2_bfs_to_commissioning",
        "nolans_development",
    ),
}
"""``lead_times`` rows (rare-earth projects) behind each stage's lead time, by country."""

ASSUMED_LEAD_YEARS = {Stage.METAL.value: 3, Stage.MAGNET.value: 3}
"""kazree assumption where the dataset has no rare-earth lead time (metal and magnet plants)."""

RATE_KINDS = {
    Financing.COMMERCIAL: InstrumentKind.COMMERCIAL_DEBT,
    Financing.CONCESSIONAL: InstrumentKind.CONCESSIONAL_DEBT,
    Financing.BLENDED: InstrumentKind.BLENDED_DEBT,
    Financing.OFFTAKE_LINKED: InstrumentKind.OFFTAKE_LINKED_DEBT,
}
"""The ``instrument_terms`` kind whose first row gives a financing source's rate."""

ASSUMED_STATE_EQUITY_RATE_PCT = 5.0
"""kazree assumption: the state's cost of capital (``instrument_terms`` gives no rate for state
equity); below concessional debt because the state carries no lender's margin."""


def _to_model_basis(value: float, basis: str) -> float:
    """Capex per t/yr on a benchmark's basis -> per t/yr on the model basis of its stage."""
    if basis == "t_ndpr_oxide":
        return value * NDPR_SHARE_OF_FEED
    return value


def stage_capex_usd_per_t(ds: Dataset, spec: PlanSpec) -> dict[str, float]:
    """US$ per t/yr of capacity (model basis) by stage: overrides, benchmarks, assumptions."""
    table = ds.table("capex_benchmarks")
    out: dict[str, float] = dict(ASSUMED_CAPEX_USD_PER_T)
    for stage, rows in table.groupby("stage"):
        values = [
            _to_model_basis(float(value) * USD_PER[str(currency)], str(basis))
            for value, currency, basis in zip(
                rows["capex_per_t_per_year"], rows["currency"], rows["capacity_basis"], strict=True
            )
        ]
        out[str(stage)] = float(median(values))
    out.update({s.value: v for s, v in spec.capex_usd_per_t.items()})
    return out


def lead_years(ds: Dataset, spec: PlanSpec, stage: str, country: str) -> int:
    """Whole years from a build decision to first output for ``stage`` in ``country``."""
    override = spec.lead_years.get(Stage(stage))
    if override is not None:
        return override
    items = LEAD_ITEMS.get((stage, country)) or LEAD_ITEMS.get((stage, None))
    if items is None:
        return ASSUMED_LEAD_YEARS[stage]
    table = ds.table("lead_times")
    years = dict(zip(table["item"].astype(str), table["years"].astype(float), strict=True))
    return math.ceil(median(years[item] for item in items))


def rate_pct(ds: Dataset, spec: PlanSpec, financing: Financing) -> float:
    """Discount rate of a financing source, % per year."""
    if financing in spec.rate_pct:
        return spec.rate_pct[financing]
    if financing is Financing.STATE_EQUITY:
        return ASSUMED_STATE_EQUITY_RATE_PCT
    terms = ds.table("instrument_terms")
    rows = terms[terms["kind"] == RATE_KINDS[financing].value]["rate_pct"].dropna()
    if rows.empty:
        msg = (
            f"instrument_terms.csv: no rate_pct for {RATE_KINDS[financing].value!r}"
            " (allowed: a row with a rate, or plan.rate_pct in the scenario)"
        )
        raise KazreeError(msg)
    return float(rows.iloc[0])


def annuity_factor(rate_pct_value: float, life_years: int) -> float:
    """Share of capex paid each year to repay it over ``life_years`` at ``rate_pct_value``."""
    r = rate_pct_value / 100.0
    if r == 0:
        return 1.0 / life_years
    return r / (1.0 - (1.0 + r) ** -life_years)


def financing_of(spec: PlanSpec, country: str, own: Financing | None) -> Financing:
    """A candidate's financing: its own, its country's, or the plan's default."""
    return own or spec.financing_by_country.get(country, spec.financing)
