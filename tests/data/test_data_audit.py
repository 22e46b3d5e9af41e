"""One test per finding of the dataset audit: the corrected value, pinned to its source."""

from __future__ import annotations

import pandas as pd
import pytest

from kazree.data import Dataset, load_dataset
from kazree.data.summary import mined_ndpr_share


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset()


def facility(ds: Dataset, fid: str) -> pd.Series:
    table = ds.table("facilities").set_index("id")
    return table.loc[fid]


def quota(ds: Dataset, year: int, batch: str = "full year", ore_type: str = "all") -> pd.Series:
    table = ds.table("china_quotas")
    match = table[
        (table["year"] == year) & (table["batch"] == batch) & (table["ore_type"] == ore_type)
    ]
    assert len(match) == 1
    return match.iloc[0]


def mined_element_t(ds: Dataset, element: str) -> pd.Series:
    """Base-year mine capacity x element share (renormalised), t REO by country."""
    dist = ds.table("element_distribution")
    share = dist.pivot_table(index="deposit_type", columns="element", values="share_pct")
    share = share.div(share.sum(axis=1), axis=0)[element]
    fac = ds.table("facilities")
    mines = fac[
        (fac["stage"] == "mining")
        & (fac["status"] == "operating")
        & fac["part_of"].isna()
        & fac["deposit_type"].notna()
        & (fac["capacity_basis"] == "t_reo")
    ]
    tonnes = mines["capacity_t"] * share.loc[mines["deposit_type"]].to_numpy()
    return tonnes.groupby(mines["country"]).sum()


def test_finding_1_china_separation_is_its_quota_not_an_output_share_of_nameplate(
    ds: Dataset,
) -> None:
    domestic = facility(ds, "CN-separation")
    assert (domestic["capacity_t"], domestic["capacity_basis"]) == (254_000, "t_reo")
    assert domestic["capacity_measure"] == "quota"
    assert domestic["capacity_t"] == quota(ds, 2024)["separation_quota_t_reo"]
    # At China's ore NdPr share the quota holds about 54 kt NdPr (the audit: about 63 kt at
    # Bayan Obo's share alone), far below the 129.4 kt the old derivation gave.
    assert 254_000 * mined_ndpr_share(ds)["CN"] == pytest.approx(53_761, rel=0.01)


def test_finding_2_ev_traction_is_7_pct_of_magnet_demand(ds: Dataset) -> None:
    demand = ds.table("demand").set_index(["year", "sector"])["demand_t_reo"]
    magnet = ["ev_traction", "wind", "industrial_motors", "electronics", "defence"]
    assert demand[(2023, "ev_traction")] == 6_510
    assert demand[(2023, "ev_traction")] / demand.loc[2023][magnet].sum() == pytest.approx(0.07)
    # 1.5 kg NdFeB per EV x ~17 M EVs x 30 wt % RE x ~1.17 oxide/metal = ~9 kt REO: same order
    implied = 1.5 * 17e6 * 0.30 * 1.17 / 1000
    assert 0.5 < demand[(2024, "ev_traction")] / implied < 1.5


def test_finding_3_china_mines_three_feeds_and_myanmar_no_longer_holds_81_pct_of_dy(
    ds: Dataset,
) -> None:
    china = ds.table("facilities")
    china = china[(china["country"] == "CN") & (china["stage"] == "mining")]
    by_type = china.set_index("deposit_type")["capacity_t"]
    assert by_type.to_dict() == {
        "bayan_obo": 190_016,
        "bastnaesite_carbonatite": 60_834,
        "ionic_clay_hree": 19_150,
    }
    assert by_type.sum() == 270_000
    assert (
        by_type["ionic_clay_hree"] == quota(ds, 2023, ore_type="ionic_clay")["mining_quota_t_reo"]
    )
    dy = mined_element_t(ds, "Dy")
    assert dy["CN"] == pytest.approx(1_489, abs=1)  # was 271 t with all of China Bayan Obo
    assert dy["MM"] / dy.sum() == pytest.approx(0.55, abs=0.005)  # was 0.81


def test_finding_4_china_2023_quota_is_three_batches(ds: Dataset) -> None:
    full_2023 = quota(ds, 2023)
    assert (full_2023["mining_quota_t_reo"], full_2023["separation_quota_t_reo"]) == (
        255_000,
        243_850,
    )
    growth = quota(ds, 2024)["mining_quota_t_reo"] / full_2023["mining_quota_t_reo"] - 1
    assert growth == pytest.approx(0.059, abs=0.0005)


def test_finding_6_2024_magnet_demand_grows_the_iea_2023_base_by_observed_ndfeb_output(
    ds: Dataset,
) -> None:
    demand = ds.table("demand")
    magnet = demand[
        demand["sector"].isin(
            ["ev_traction", "wind", "industrial_motors", "electronics", "defence"]
        )
    ]
    by_year = magnet.groupby("year")["demand_t_reo"].sum()
    output = ds.table("magnet_output").set_index(["country", "year", "product"])["output_t"]
    growth = output[("CN", 2024, "ndfeb")] / output[("CN", 2023, "ndfeb")]
    assert by_year[2023] == 93_000
    assert by_year[2024] == pytest.approx(93_000 * growth, abs=2)
    assert growth - 1 == pytest.approx(0.0714, abs=0.0005)  # not Adamas's 8.7 % CAGR


def test_finding_7_capacities_are_neither_double_counted_nor_outputs_called_nameplates(
    ds: Dataset,
) -> None:
    assert (
        facility(ds, "ef-white-mesa-1")["capacity_t"]
        + facility(ds, "ef-white-mesa-2")["capacity_t"]
        == 6_000
    )
    rochelle = facility(ds, "solvay-la-rochelle")
    assert pd.isna(rochelle["capacity_t"])
    assert rochelle["capacity_measure"] == "output"
    assert facility(ds, "solvay-la-rochelle-expansion")["status"] == "announced"
    serra = facility(ds, "serra-verde")
    assert serra["start_year"] > 2024
    assert serra["part_of"] == "BR-mining"
    assert facility(ds, "BR-mining")["capacity_t"] == 20
    assert facility(ds, "mp-mountain-pass-separation")["capacity_measure"] == "output"
    aclara = facility(ds, "aclara-vinton")
    assert (aclara["capacity_t"], aclara["dy_oxide_t"], aclara["tb_oxide_t"]) == (1_400, 200, 30)
    for fid, form in (
        ("lynas-mt-weld", "ore_concentrate"),
        ("lynas-kalgoorlie", "mixed_intermediate"),
    ):
        assert facility(ds, fid)["form"] == form
        assert "contained" in facility(ds, fid)["name"]


def test_finding_5_usgs_and_iea_mining_shares_say_what_they_cover(ds: Dataset) -> None:
    shares = ds.table("stage_shares")
    china_2024 = shares[
        (shares["stage"] == "mining") & (shares["country"] == "CN") & (shares["year"] == 2024)
    ]
    by_coverage = china_2024.set_index("coverage")["share_pct"].to_dict()
    assert by_coverage == {"all_ree": 69.2, "magnet_ree": 61.0}
    assert set(china_2024["measure"]) == {"output"}


def test_finding_8_kuirektykol_is_not_a_reserve(ds: Dataset) -> None:
    deposits = ds.table("deposits").set_index("id")
    irgiz = deposits.loc["kz-kuirektykol-irgiz"]
    assert irgiz["claim_basis"] == "none"
    assert irgiz["resource_class"] == "prognostic"


def test_finding_9_lead_times_say_which_projects_they_come_from(ds: Dataset) -> None:
    lead = ds.table("lead_times").set_index("item")
    assert lead.loc["base_precious_mine_discovery_to_production", "commodity"] == (
        "base_precious_metals"
    )
    assert lead.loc["base_precious_mine_discovery_to_production", "years"] == 15.7
    assert lead.loc["us_copper_mine_discovery_to_production", "commodity"] == "copper"
    rare_earths = lead[lead["commodity"] == "rare_earths"]
    assert {15.7, 29.0}.isdisjoint(set(rare_earths["years"]))
    assert len(rare_earths) >= 8


def test_finding_10_usgs_prices_carry_their_edition_and_no_invented_fob_basis(ds: Dataset) -> None:
    prices = ds.table("prices")
    usgs = prices[prices["source"].str.startswith("usgs_mcs")]
    assert set(usgs["market"]) == {"unstated"}
    dy_2020 = usgs[(usgs["product"] == "Dy") & (usgs["year"] == 2020)]
    assert dy_2020.set_index("edition")["price_usd_per_kg"].to_dict() == {
        "MCS2021": 258.0,
        "MCS2025": 261.0,
    }
    sources = ds.table("sources").set_index("id")
    assert sources.loc["usgs_mcs2026", "url"].startswith("https://pubs.usgs.gov/")


def test_every_derived_row_of_the_supply_and_demand_tables_has_a_derivation(ds: Dataset) -> None:
    targets = set(ds.table("derivations")["target"])
    facilities = ds.table("facilities")
    for fid in facilities.loc[facilities["confidence"] == "derived", "id"]:
        assert f"facilities[{fid}].capacity_t" in targets, fid
    demand = ds.table("demand")
    for row in demand[demand["confidence"] == "derived"].itertuples():
        assert f"demand[{row.region},{row.sector},{row.year}].demand_t_reo" in targets
