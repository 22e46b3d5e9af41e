"""The cash-flow model: hand-checked years, stacks, offtakes and Kazakhstan's fiscal terms."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from kazree.chain.forms import Stage
from kazree.data import load_dataset
from kazree.data.rows import InstrumentKind
from kazree.roadmap.finance.cashflow import FinanceCase, cash_flows, debt_flows
from kazree.roadmap.finance.inputs import build_case
from kazree.roadmap.finance.offtake import Formula, Offtake, OfftakeBook
from kazree.roadmap.finance.prices import PricePath, flat
from kazree.roadmap.finance.project import Project
from kazree.roadmap.finance.stack import CapitalStack, Debt, Repayment, Tranche, resolve
from kazree.roadmap.finance.terms import fiscal_regime, instrument_terms

EXAMPLES = Path(__file__).parents[2] / "scenarios" / "roadmap"
PROJECT = str(EXAMPLES / "projects" / "kz-mine-to-oxide.yaml")
DATASET = load_dataset()
TERMS = instrument_terms(DATASET)


def small_case(**changes: object) -> FinanceCase:
    """1,000 t/yr separation plant, US$100 M capex over one year, US$100/kg, US$20/kg opex."""
    fields: dict[str, object] = {
        "id": "t",
        "stage": Stage.SEPARATION,
        "capacity_t": 1000,
        "capex_musd": 100,
        "opex_usd_per_kg": 20,
        "start_year": 2030,
        "lead_time_years": 1,
        "ramp_up_pct": [],
        "life_years": 10,
    }
    project = Project.model_validate({**fields, **changes})
    return FinanceCase(
        project, fiscal_regime(DATASET), flat(100.0, "t"), resolve(CapitalStack(), TERMS, "t")
    )


def test_a_first_year_of_operation_checked_by_hand() -> None:
    years = cash_flows(small_case()).years.set_index("year")
    y = years.loc[2030]
    assert y["revenue_musd"] == pytest.approx(100.0)  # 1,000 t x US$100/kg
    assert y["opex_musd"] == pytest.approx(20.0)
    assert y["met_musd"] == 0.0  # processing pays no mineral extraction tax
    # declining balance: 30 % buildings at 10 %, 70 % machinery at 25 %
    assert y["depreciation_musd"] == pytest.approx(0.3 * 100 * 0.10 + 0.7 * 100 * 0.25)
    assert y["income_tax_musd"] == pytest.approx(0.20 * (80 - 20.5))
    assert years.loc[2029, "project_fcf_musd"] == pytest.approx(-100.0)


def test_mining_pays_met_unless_the_new_deposit_holiday_applies() -> None:
    mining = cash_flows(small_case(stage=Stage.MINING)).years.set_index("year")
    assert mining.loc[2030, "met_musd"] == pytest.approx(0.078 * 100)
    holiday = cash_flows(small_case(stage=Stage.MINING, met_holiday=True)).years.set_index("year")
    assert (holiday.loc[2030:2034, "met_musd"] == 0).all()
    assert holiday.loc[2035, "met_musd"] == pytest.approx(7.8)
    tmf = cash_flows(small_case(stage=Stage.MINING, technogenic=True)).years.set_index("year")
    assert tmf.loc[2030, "met_musd"] == pytest.approx(0.78)


def test_losses_carry_forward_before_tax_is_paid() -> None:
    case = small_case(ramp_up_pct=[10.0])
    years = cash_flows(case).years.set_index("year")
    assert years.loc[2030, "income_tax_musd"] == 0.0  # 10 - 2 - 20.5 < 0
    loss = 100 * 0.1 - 20 * 0.1 - 20.5
    pool = np.array([30.0, 70.0]) - [3.0, 17.5]
    second = 80 - (pool * [0.10, 0.25]).sum()
    assert years.loc[2031, "income_tax_musd"] == pytest.approx(0.2 * (second + loss))


def test_debt_draws_with_capex_then_grace_then_equal_principal() -> None:
    debt = Debt("bank", 0.6, 0.09, 8, 1, Repayment.EQUAL)
    capex = np.array([50.0, 50.0] + [0.0] * 10)
    k = np.arange(-2, 10)
    flows = debt_flows((debt,), capex, k)
    balance = 30.0 * 1.09 + 30.0  # interest on the first draw is capitalised
    assert flows.opening[2] == pytest.approx(balance)
    assert flows.interest[2] == pytest.approx(balance * 0.09)
    assert flows.principal[2] == 0.0
    assert flows.principal[3:10] == pytest.approx([balance / 7] * 7)
    assert flows.principal.sum() == pytest.approx(balance)
    assert flows.interest[10:].sum() == 0.0


RENT_THEN_NONE = PricePath(
    (2030, 2031, 2032, 2033, 2034, 2035, 2036, 2037),
    (180.0, 170.0, 21.0, 21.0, 21.0, 60.0, 60.0, 60.0),
    "rent in the first years, none in the middle, some at the end",
)
"""A model margin's shape: rent while capacity binds, the bare stage cost while it does not."""


def levered_case(repayment: Repayment, prices: PricePath = RENT_THEN_NONE) -> FinanceCase:
    """The small plant at a lumpy price, 60 % commercial debt (8 years, 1 of grace)."""
    tranche = Tranche(kind=InstrumentKind.COMMERCIAL_DEBT, share_pct=60, repayment=repayment)
    stack = resolve(CapitalStack(tranches=[tranche]), TERMS, "t")
    return replace(small_case(), prices=prices, stack=stack)


def test_a_grace_year_pays_interest_only_and_the_minimum_dscr_is_over_repayment_years() -> None:
    """First output at 10 % of capacity: the grace year's cover is poor, but lenders test the
    DSCR from the first repayment; the grace year's ratio is reported, not counted."""
    case = replace(
        levered_case(Repayment.EQUAL, flat(100.0, "t")),
        project=small_case(ramp_up_pct=[10.0]).project,
    )
    result = cash_flows(case)
    years = result.years.set_index("year")
    grace = years.loc[2030]
    assert grace["principal_musd"] == 0.0
    assert grace["debt_service_musd"] == pytest.approx(grace["interest_musd"])
    assert grace["interest_musd"] == pytest.approx(60.0 * 0.09)
    assert not grace["repayment_period"]
    assert grace["dscr"] == pytest.approx(grace["cfads_musd"] / grace["interest_musd"])
    repaying = years[years["repayment_period"]]
    assert list(repaying.index) == list(range(2031, 2038))  # tenor 8 from first output
    assert grace["dscr"] < repaying["dscr"].min()
    assert result.summary["min_dscr"] == pytest.approx(repaying["dscr"].min())
    assert result.summary["avg_dscr"] == pytest.approx(repaying["dscr"].mean())


def test_sculpted_repayment_holds_the_dscr_at_the_llcr_of_the_first_repayment() -> None:
    """Sculpted debt service is CFADS over one ratio: the PV of CFADS over the repayment years
    at the debt's rate (end-of-year flows) over the debt then outstanding; the debt is repaid
    exactly at maturity, and each year's LLCR is that same ratio."""
    result = cash_flows(levered_case(Repayment.SCULPTED))
    years = result.years.set_index("year")
    repaying = years[years["repayment_period"]]
    cfads = repaying["cfads_musd"].to_numpy()
    pv = sum(c / 1.09 ** (i + 1) for i, c in enumerate(cfads))
    cover = pv / repaying["debt_opening_musd"].iloc[0]
    assert repaying["dscr"].to_numpy() == pytest.approx([cover] * len(repaying), rel=1e-9)
    assert repaying["llcr"].to_numpy() == pytest.approx([cover] * len(repaying), rel=1e-9)
    assert result.summary["min_dscr"] == pytest.approx(cover, rel=1e-9)
    last = repaying.iloc[-1]
    assert last["principal_musd"] == pytest.approx(last["debt_opening_musd"])
    assert (years.loc[2038:, "debt_opening_musd"] == 0).all()
    # the lean years pay little: less than their interest, which is capitalised
    lean = years.loc[2032]
    assert lean["debt_service_musd"] == pytest.approx(lean["cfads_musd"] / cover)
    assert lean["principal_musd"] < 0


def test_no_repayment_profile_beats_sculpting_on_the_minimum_dscr() -> None:
    """Without income tax (so that CFADS is the same under both), any schedule repaying the same
    debt at the same rate has a year covered at most by the LLCR; sculpting has every year
    there, equal instalments fall to the year without rent."""
    untaxed = {
        r: replace(levered_case(r), regime=replace(fiscal_regime(DATASET), corporate_income_tax=0))
        for r in Repayment
    }
    sculpted, equal = (cash_flows(untaxed[r]) for r in (Repayment.SCULPTED, Repayment.EQUAL))
    assert sculpted.years["cfads_musd"].tolist() == equal.years["cfads_musd"].tolist()
    low, high = equal.summary["min_dscr"], sculpted.summary["min_dscr"]
    assert isinstance(low, float)
    assert isinstance(high, float)
    assert low < 1.0 < high
    assert high == pytest.approx(sculpted.summary["min_llcr"], rel=1e-9)


def test_a_concessional_loan_raises_equity_irr_over_commercial_debt_all_else_equal() -> None:
    case = build_case(DATASET, PROJECT)
    commercial = CapitalStack(tranches=[Tranche(kind=InstrumentKind.COMMERCIAL_DEBT, share_pct=60)])
    concessional = CapitalStack(
        tranches=[Tranche(kind=InstrumentKind.CONCESSIONAL_DEBT, share_pct=60)]
    )
    irr = {}
    for name, stack in (("commercial", commercial), ("concessional", concessional)):
        result = cash_flows(replace(case, stack=resolve(stack, TERMS, name)))
        irr[name] = result.summary["equity_irr"]
        assert result.summary["project_irr"] == cash_flows(case).summary["project_irr"]
    assert isinstance(irr["commercial"], float)
    assert isinstance(irr["concessional"], float)
    assert irr["concessional"] > irr["commercial"]


def test_an_offtake_floor_raises_the_minimum_dscr_in_a_low_price_path() -> None:
    stack = EXAMPLES / "stacks" / "commercial.yaml"
    floor = EXAMPLES / "offtakes" / "ndpr-floor.yaml"
    bare = cash_flows(build_case(DATASET, PROJECT, stack, prices="40"))
    floored = cash_flows(build_case(DATASET, PROJECT, stack, floor, prices="40"))
    low, high = bare.summary["min_dscr"], floored.summary["min_dscr"]
    assert isinstance(low, float)
    assert isinstance(high, float)
    assert high > low
    first = floored.years.set_index("year").loc[2031]
    assert first["revenue_musd"] == pytest.approx(2000 * 0.40 * 110 / 1000)


def test_offtakes_take_volumes_in_order_at_their_formula() -> None:
    book = OfftakeBook(
        offtakes=[
            Offtake(
                offtaker="a",
                share_pct=50,
                tenor_years=2,
                formula=Formula.FIXED,
                price_usd_per_kg=80,
            ),
            Offtake(
                offtaker="b", volume_t=800, tenor_years=5, formula=Formula.MARKET, cap_usd_per_kg=90
            ),
        ]
    )
    years = cash_flows(replace(small_case(), offtakes=book)).years.set_index("year")
    # 2030: 500 t at 80, then 500 t (what is left) capped at 90
    assert years.loc[2030, "revenue_musd"] == pytest.approx((500 * 80 + 500 * 90) / 1000)
    # 2032: first contract over; 800 t at 90, 200 t at the reference 100
    assert years.loc[2032, "revenue_musd"] == pytest.approx((800 * 90 + 200 * 100) / 1000)


def test_a_carried_state_stake_takes_its_share_of_distributions() -> None:
    stack = CapitalStack(tranches=[Tranche(kind=InstrumentKind.STATE_EQUITY, carried_pct=25)])
    carried = cash_flows(replace(small_case(), stack=resolve(stack, TERMS, "s"))).years
    plain = cash_flows(small_case()).years
    op = carried["year"] >= 2030
    assert np.allclose(carried.loc[op, "equity_cf_musd"], 0.75 * plain.loc[op, "equity_cf_musd"])
