"""The comparison's arithmetic and explanations on small hand-made results and references."""

from __future__ import annotations

import math

import pandas as pd
import pytest
import xarray as xr

from hand_results import blank_results
from kazree.validation import Reference, compare, model_figures
from kazree.validation.explain import explain

KT = 1e3


def hand_results() -> xr.Dataset:
    """CN, AU and MY over 2024 and 2030, in kt; numbers chosen to be checked by hand.

    Mining: CN La 140, Nd 50, Dy 10 both years; AU La 30, Nd 10 (2024) then La 60, Nd 20.
    Separation: CN La 150, Nd 55, Dy 10; MY La 20, Nd 5. Secondary Nd in China: 10.
    Magnet demand (Nd, CN): 60 in 2024, 120 in 2030, of which 30 unmet in 2030.
    Mines: China's 200 runs full; Australia's 100 makes 40, then 80.
    """
    ds = blank_results(("CN", "AU", "MY"), ("La", "Nd", "Dy"), (2024, 2030))
    out = ds["stage_output"]
    for year in (2024, 2030):
        out.loc["mining", "CN", :, year] = [140 * KT, 50 * KT, 10 * KT]
        out.loc["separation", "CN", :, year] = [150 * KT, 55 * KT, 10 * KT]
        out.loc["separation", "MY", :, year] = [20 * KT, 5 * KT, 0.0]
    out.loc["mining", "AU", :, 2024] = [30 * KT, 10 * KT, 0.0]
    out.loc["mining", "AU", :, 2030] = [60 * KT, 20 * KT, 0.0]
    ds["demand"].loc["ev_traction", "CN", "Nd", :] = [60 * KT, 120 * KT]
    ds["unmet_demand"].loc["ev_traction", "CN", "Nd", 2030] = 30 * KT
    secondary = xr.zeros_like(ds["surplus"])
    secondary.loc["CN", "Nd", :] = 10 * KT
    return ds.assign(
        secondary_supply=secondary,
        facility_stage=("facility", ["mining", "mining"]),
        facility_country=("facility", ["CN", "AU"]),
        capacity=(("facility", "year"), [[200 * KT, 200 * KT], [100 * KT, 100 * KT]]),
        production=(("facility", "year"), [[200 * KT, 200 * KT], [40 * KT, 80 * KT]]),
    ).assign_coords(facility=["cn-mine", "au-mine"])


def ref(
    year: int,
    stage: str,
    group: str,
    region: str,
    value: float,
    *,
    publication: str = "O",
    case: str = "base_case",
    basis: str = "output",
    source: str = "o",
) -> Reference:
    metric = "world_t" if region == "WORLD" else "share_pct"
    measure = "capacity" if "capacity" in basis else "output"
    return Reference(
        year=year,
        stage=stage,
        group=group,
        region=region,
        metric=metric,
        value=value,
        measure=measure,
        publication=publication,
        case=case,
        basis=basis,
        source=source,
        vintage="2025",
        confidence="low",
    )


REFS = [
    ref(2024, "mining", "all", "CN", 80.0, publication="P1", case="observed", source="p1"),
    ref(2024, "mining", "all", "CN", 83.0, publication="P2", case="observed", source="p2"),
    ref(2024, "mining", "all", "WORLD", 250 * KT, publication="USGS", case="observed", source="u"),
    ref(2024, "mining", "magnet", "CN", 80.0, publication="I", case="observed", source="i"),
    ref(2030, "mining", "magnet", "CN", 50.0),
    ref(2030, "mining", "all", "CN", 30.0, publication="C", case="new_projects", source="c"),
    ref(2030, "mining", "magnet", "WORLD", 100 * KT, basis="t (oxide or metal not stated)"),
    ref(2023, "mining", "magnet", "WORLD", 70 * KT, case="observed"),
    ref(2030, "separation", "magnet", "CN", 80.0, basis="refining capacity"),
    ref(2030, "separation", "magnet", "MY", 15.0),
    ref(2030, "end_use", "magnet", "WORLD", 100 * KT, case="aps"),
    ref(2030, "separation", "all", "CN", 80.0, publication="S", basis="IEA"),
]


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return compare(model_figures(hand_results()), REFS)


def row(table: pd.DataFrame, year: int, stage: str, group: str, source: str = "o") -> pd.Series:
    """The China-share row (or, for source ``u``, the USGS tonnage row) of one figure."""
    measure = "world output" if source == "u" else "China share"
    match = table[
        (table["year"] == year)
        & (table["stage"] == stage)
        & (table["group"] == group)
        & (table["source"] == source)
        & (table["measure"] == measure)
    ]
    assert len(match) == 1
    return match.iloc[0]


def test_only_china_and_world_figures_of_modelled_years_are_rows(table: pd.DataFrame) -> None:
    assert len(table) == 10  # not the 2023 figure, not Malaysia's share
    assert list(zip(table["year"], table["stage"], table["group"], strict=True))[:4] == [
        (2024, "mining", "all"),
        (2024, "mining", "all"),
        (2024, "mining", "all"),
        (2024, "mining", "magnet"),
    ]
    assert list(table["measure"].iloc[4:8]) == [
        "China share",  # 2030 mining all
        "China share",  # 2030 mining magnet
        "world output",
        "China share",  # 2030 separation all
    ]
    assert table.iloc[-1]["measure"] == "world demand"


def test_shares_gaps_and_status_are_the_hand_arithmetic(table: pd.DataFrame) -> None:
    p1 = row(table, 2024, "mining", "all", "p1")
    assert p1["model"] == pytest.approx(100 * 200 / 240)
    assert p1["gap"] == pytest.approx(100 * 200 / 240 - 80.0)
    assert p1["gap_pct"] == pytest.approx(100 * (100 * 200 / 240 - 80.0) / 80.0)
    assert (p1["unit"], p1["status"]) == ("%", "gap")
    assert row(table, 2024, "mining", "all", "p2")["status"] == "agrees"
    magnet = row(table, 2030, "mining", "magnet")
    assert magnet["model"] == pytest.approx(75.0)
    assert magnet["gap"] == pytest.approx(25.0)


def test_tonnages_compare_world_output_and_world_demand(table: pd.DataFrame) -> None:
    usgs = row(table, 2024, "mining", "all", "u")
    assert (usgs["model"], usgs["unit"], usgs["status"]) == (240 * KT, "t", "agrees")
    assert usgs["gap_pct"] == pytest.approx(-4.0)
    assert usgs["explanation"] == "agrees within 5 %"
    mined = table[(table["measure"] == "world output") & (table["year"] == 2030)].iloc[0]
    assert (mined["model"], mined["gap"]) == (80 * KT, -20 * KT)
    demand = table[table["measure"] == "world demand"].iloc[0]
    assert (demand["model"], demand["gap_pct"]) == (120 * KT, pytest.approx(20.0))


def test_a_share_gap_names_the_other_source_that_agrees(table: pd.DataFrame) -> None:
    assert row(table, 2024, "mining", "all", "p1")["explanation"] == (
        "mining capacity left unused in 2024: AU 60.0 kt of 100.0 kt; "
        "the model agrees with P2 (83.0): the sources differ"
    )


def test_a_magnet_share_gap_compares_the_ore_content_the_references_imply(
    table: pd.DataFrame,
) -> None:
    assert row(table, 2024, "mining", "magnet", "i")["explanation"] == (
        "magnet REEs are 30.0 % of China's modelled mine output and 25.0 % of the rest of the "
        "world's (the element mixes of the ores), so China's all-REE share of 83.3 % becomes "
        "85.7 %; with the all-REE share of 80.0 % the reference implies China's ore holds 1.00x "
        "the rest of the world's magnet-REE content, the model 1.20x; "
        "mining capacity left unused in 2024: AU 60.0 kt of 100.0 kt"
    )


def test_an_outlook_share_gap_states_projects_ore_mix_and_unmet_demand(
    table: pd.DataFrame,
) -> None:
    text = row(table, 2030, "mining", "magnet")["explanation"]
    assert text.startswith(
        "model ex-China mining (magnet): 10.0 kt in 2024, 20.0 kt in 2030 against 50.0 kt in "
        "the reference's project list"
    )
    assert "magnet REEs are 30.0 % of China's modelled mine output and 25.0 % of the rest" in text
    assert "China's all-REE share of 71.4 % becomes 75.0 %" in text
    assert "mining capacity left unused in 2030: AU 20.0 kt of 100.0 kt" in text
    assert "capacity in 2030 (all REEs)" not in text  # every plant counted at weight 1
    assert "implies" not in text  # another outlook's all-REE share is no basis for a ratio
    assert text.endswith("the model leaves 30.0 kt of magnet-REE demand unmet in 2030")


def test_a_tonnage_gap_states_both_growth_rates_and_the_oxide_basis(table: pd.DataFrame) -> None:
    text = table[(table["measure"] == "world output") & (table["year"] == 2030)].iloc[0][
        "explanation"
    ]
    model_rate = 100 * ((80 / 70) ** (1 / 6) - 1)
    reference_rate = 100 * ((100 / 70) ** (1 / 7) - 1)
    assert f"grows {model_rate:.1f} %/yr from 70.0 kt in 2024" in text
    assert f"the reference grows {reference_rate:.1f} %/yr from 70.0 kt in 2023" in text
    assert "oxide and metal tonnes of magnet REEs differ by up to 1.17x" in text


def test_a_separation_gap_counts_secondary_oxide_and_other_countries(
    table: pd.DataFrame,
) -> None:
    text = row(table, 2030, "separation", "magnet")["explanation"]
    assert row(table, 2030, "separation", "magnet")["model"] == pytest.approx(100 * 65 / 70)
    assert "the reference's project list gives MY 15 % (model 7.1)" in text
    assert "leaves out 10.0 kt of secondary oxide (10.0 kt in China)" in text
    assert f"counted in, China's share is {100 * 75 / 80:.1f} %" in text
    assert "the reference counts capacity, the model output" in text


def test_an_all_ree_separation_gap_counts_all_secondary_oxide(table: pd.DataFrame) -> None:
    text = row(table, 2030, "separation", "all")["explanation"]
    assert text.startswith("model ex-China separation (all): 25.0 kt in 2024, 25.0 kt in 2030")
    assert "counted in, China's share is 90.0 %" in text
    assert "capacity" not in text


def test_years_filter_and_unmodelled_stages() -> None:
    fig = model_figures(hand_results())
    assert set(compare(fig, REFS, years=[2030])["year"]) == {2030}
    assert compare(fig, REFS, years=[2040]).empty
    nothing = ref(2024, "separation", "heavy", "CN", 10.0)
    assert math.isnan(fig.value("share_pct", "metal", "all", 2024))
    assert explain(nothing, math.nan, fig, REFS) == "the model makes nothing in this stage and year"


def test_an_outlook_share_gap_states_the_capacity_the_risk_weights_hold_back() -> None:
    ds = hand_results().assign(facility_risk_weight=("facility", [1.0, 0.5]))
    fig = model_figures(ds)
    assert fig.ex_china_capacity("mining", 2030) == (100 * KT, 200 * KT)
    text = compare(fig, REFS)
    text = text[(text["year"] == 2030) & (text["stage"] == "mining")]["explanation"].iloc[0]
    assert (
        "ex-China mining capacity in 2030 (all REEs) counts 100.0 kt at the status risk "
        "weights, 200.0 kt unweighted"
    ) in text


def test_unused_capacity_lists_only_plants_below_capacity() -> None:
    ds = hand_results()
    ds["production"].loc["au-mine", 2030] = 100 * KT
    fig = model_figures(ds)
    assert fig.idle("mining", 2024) == [("AU", 40 * KT, 100 * KT)]
    assert fig.idle("mining", 2030) == []
    assert fig.idle("separation", 2030) == []
