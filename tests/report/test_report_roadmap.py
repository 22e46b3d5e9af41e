"""The report's roadmap sections read the roadmap run: finance, footprint, partners."""

from __future__ import annotations

import pytest
from report_chain import chain_run

from kazree.data import load_dataset
from kazree.model.solve import with_years
from kazree.report import solve_loaded
from kazree.report.document import TableBlock
from kazree.report.roadmap import roadmap_sections
from kazree.roadmap.overview import roadmap_overview
from kazree.scenario import load_scenario

SECTIONS = ["roadmap-zones", "roadmap-finance", "roadmap-safeguards", "roadmap-partners"]


@pytest.fixture(scope="module")
def roadmap():
    """``kazrareearth-2030`` over 2030-2031 (the separation plant's first years)."""
    return solve_loaded(with_years(load_scenario("kazrareearth-2030"), 2030, 2031))


def _tables(section):
    return {b.id: b for b in section.blocks if isinstance(b, TableBlock)}


def test_one_section_per_instrument_with_its_sources(roadmap):
    sections = roadmap_sections(load_dataset(), [roadmap])
    assert [s.id for s in sections] == SECTIONS
    for section in sections[:3]:
        sources = [b for b in section.blocks if not isinstance(b, TableBlock)]
        assert sources
        assert sources[0].text.strip()


def test_the_tables_hold_the_overview_of_the_run(roadmap):
    dataset = load_dataset()
    overview = roadmap_overview(dataset, roadmap.results, 2031)
    sections = {s.id: s for s in roadmap_sections(dataset, [roadmap])}
    footprint = _tables(sections["roadmap-safeguards"])["roadmap-footprint"]
    residue = overview.footprint.set_index("metric")["value"]["footprint_radioactive_residue_t"]
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
    assert roadmap_sections(load_dataset(), [chain_run("alpha")]) == ()
