"""The priority-zone map in a real headless Chromium: in the report of the roadmap run and in
the dashboard (which draws the same report with its own charts), one marker per ranked site that
has a published location, coloured by the site's score."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from test_dashboard_browser import wait_for

from kazree.api.routes.runs_jobs import draw_charts
from kazree.data import load_dataset
from kazree.metrics.flagship import ROADMAP_SCENARIO
from kazree.model.solve import with_years
from kazree.report import ScenarioRun, solve_loaded, write_report
from kazree.roadmap.overview import zone_table

pytestmark = pytest.mark.browser

MAP_ID = "fig-roadmap-zone-map"
DRAWN = """
const g = document.getElementById(arguments[0]);
return g && g.data ? g.data.map(t => ({sites: t.meta.sites, lat: t.lat, lon: t.lon,
  colour: t.marker.color})) : null;
"""
RENDER = """
const [payload, done] = arguments;
import("/web/charts.js")
  .then(m => m.renderReport(document.getElementById("results"), payload))
  .then(n => done(n), e => done(String(e)));
"""


@pytest.fixture(scope="module")
def roadmap() -> ScenarioRun:
    """The roadmap scenario over 2030-2031 (enough for its roadmap sections)."""
    from kazree.scenario import load_scenario

    return solve_loaded(with_years(load_scenario(ROADMAP_SCENARIO), 2030, 2031))


def expected() -> dict[str, tuple[float, float, float]]:
    """site -> (lat, lon, score) of every ranked site with a location."""
    zones = zone_table(load_dataset())
    placed = zones[zones["lat"].notna()]
    assert 0 < len(placed) < len(zones)  # some sites have no published location
    return {
        str(site): (float(lat), float(lon), float(score))
        for site, lat, lon, score in zip(
            placed["site"], placed["lat"], placed["lon"], placed["score"], strict=True
        )
    }


def check(markers: dict[str, tuple[float, float, float]]) -> None:
    """The map draws exactly the located sites, each at its place and coloured by its score."""
    wanted = expected()
    assert sorted(markers) == sorted(wanted)
    for site, values in markers.items():
        assert values == pytest.approx(wanted[site]), site


def drawn(driver: Any) -> dict[str, tuple[float, float, float]]:
    """site -> (lat, lon, colour value) of each marker on the drawn zone map, checking that no
    site is drawn twice."""
    traces = wait_for(driver, lambda d: d.execute_script(DRAWN, MAP_ID))
    markers = [
        (site, (lat, lon, colour))
        for t in traces
        for site, lat, lon, colour in zip(t["sites"], t["lat"], t["lon"], t["colour"], strict=True)
    ]
    assert len(markers) == len({site for site, _ in markers})
    return dict(markers)


def test_the_report_maps_each_located_zone_with_its_score(
    browser: Any, roadmap: ScenarioRun, tmp_path: Path
) -> None:
    html = write_report([roadmap], tmp_path / "report.html")
    browser.get(html.as_uri())
    check(drawn(browser))


def test_the_dashboard_draws_the_same_zone_map(
    browser: Any, live: tuple[str, dict[str, str]], roadmap: ScenarioRun
) -> None:
    base, _ = live
    browser.get(base + "/")
    wait_for(browser, lambda d: d.find_elements(By.ID, "results"))
    payload = draw_charts([roadmap], None).model_dump(mode="json")
    figures = browser.execute_async_script(RENDER, payload)
    assert isinstance(figures, int), figures
    check(drawn(browser))
