"""The report's roadmap sections read the roadmap run: finance, footprint, partners."""

from __future__ import annotations

import pandas as pd
import pytest
from report_chain import chain_run

from kazree.data import load_dataset
from kazree.model.solve import with_years
from kazree.report import solve_loaded
from kazree.report.document import FigureBlock, TableBlock, TextBlock
from kazree.report.roadmap import roadmap_sections, zone_map_block
from kazree.roadmap.overview import roadmap_overview, zone_table
from kazree.roadmap.zones import default_weights, rank_zones
from kazree.roadmap.zones.rank import Method
from kazree.scenario import load_scenario

SECTIONS = ["roadmap-zones", "roadmap-finance", "roadmap-safeguards", "roadmap-partners"]


@pytest.fixture(scope="module")
def roadmap():
    """``kazrareearth-2030`` over 2030-2031 (the separation plant's first years)."""
    return solve_loaded(with_years(load_scenario("kazrareearth-2030"), 2030, 2031))


def _source(tables):
    return "Source: " + ", ".join(tables)


def _tables(section):
    return {b.id: b for b in section.blocks if isinstance(b, TableBlock)}


def test_one_section_per_instrument_with_its_sources(roadmap):
    sections = roadmap_sections(load_dataset(), [roadmap], _source)
    assert [s.id for s in sections] == SECTIONS
    zone_map = next(b for b in sections[0].blocks if isinstance(b, FigureBlock))
    assert zone_map.source == "Source: zone_criteria, deposits, facilities"
    for section in sections[:3]:
        sources = [b for b in section.blocks if isinstance(b, TextBlock)]
        assert sources
        assert sources[0].text.strip()


def test_the_tables_hold_the_overview_of_the_run(roadmap):
    dataset = load_dataset()
    overview = roadmap_overview(dataset, roadmap.results, 2031)
    sections = {s.id: s for s in roadmap_sections(dataset, [roadmap], _source)}
    footprint = _tables(sections["roadmap-safeguards"])["roadmap-footprint"]
    by_metric = overview.footprint.set_index("metric")
    residue = by_metric["value"]["footprint_radioactive_residue_t"]
    assert by_metric["unit"]["footprint_radioactive_residue_t"] == "t"
    cracked = roadmap.results["stage_output"].sel(stage="cracking", country="KZ", year=2031)
    # Kazakhstan cracks only its own monazite: 0.1333 t ThO2 per t REO (footprints.csv)
    assert residue == pytest.approx(0.1333 * float(cracked.sum()), rel=1e-6)
    assert residue <= 700.0  # the declared store's yearly intake
    assert len(footprint.rows) == len(overview.footprint)
    assert _tables(sections["roadmap-safeguards"])["roadmap-safeguards"].rows == ()
    partners = _tables(sections["roadmap-partners"])["roadmap-partners"]
    assert [r[0] for r in partners.rows] == list(overview.partners["partner"])
    equity = overview.partners["equity_pct"] / 100
    oxide = overview.partners["oxide_t"]
    assert (oxide / oxide.sum()).tolist() == pytest.approx((equity / equity.sum()).tolist())


def test_a_report_without_the_roadmap_run_has_no_roadmap_section():
    assert roadmap_sections(load_dataset(), [chain_run("alpha")], _source) == ()


def test_the_zone_map_draws_each_located_site_at_its_place_with_its_score():
    dataset = load_dataset()
    zones = zone_table(dataset, samples=20)
    block = zone_map_block(zones, "")
    markers = {
        site: (lat, lon, colour, size)
        for trace in block.figure.data
        for site, lat, lon, colour, size in zip(
            trace.meta["sites"],
            trace.lat,
            trace.lon,
            trace.marker.color,
            trace.marker.size,
            strict=True,
        )
    }
    ranking = rank_zones(dataset, default_weights(), [Method.WSM], samples=20, seed=0).ranking
    scores = ranking.set_index("site")["score"]
    top3 = ranking.set_index("site")["top3_share"]
    places = pd.concat(
        [dataset.table(t).set_index("id")[["lat", "lon"]] for t in ("deposits", "facilities")]
    )
    placed = [s for s in ranking["site"] if pd.notna(places.loc[s, "lat"])]
    assert sorted(markers) == sorted(placed)
    assert set(ranking["kind"]) == {"deposit", "processing"}
    for site, (lat, lon, colour, size) in markers.items():
        assert (lat, lon) == (places.loc[site, "lat"], places.loc[site, "lon"])
        assert colour == pytest.approx(scores[site])
        assert size == pytest.approx(8.0 + 14.0 * top3[site])
    unplaced = sorted(set(ranking["site"]) - set(placed))
    assert unplaced  # named in the caption, not drawn at a guessed point
    assert all(site in block.caption for site in unplaced)
    assert block.title.startswith(f"{len(placed)} of {len(ranking)} ")
