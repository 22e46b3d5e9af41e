"""The dashboard's Risk panel in headless Chromium: a fast risk run, its progress and charts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from test_dashboard_browser import PLOTTED_POINTS, shot, wait_for
from test_risk_api import fake_run, only_roadmap
from web_support import axe_violations, describe, serve

from kazree.api.routes.risk_jobs import RiskJobs
from kazree.web import install_dashboard
from report.risk_fixture import SCENARIO

pytestmark = pytest.mark.browser

CHARTS = (
    f"fig-risk-fans-{SCENARIO}",
    f"fig-risk-probability-{SCENARIO}",
    f"fig-risk-tornado-{SCENARIO}",
)
RISK_POINTS = PLOTTED_POINTS.replace("#results", "#risk-results")


@pytest.fixture(scope="module")
def risk_service() -> Iterator[str]:
    """The dashboard with a risk queue whose runner writes the fixture's directory."""
    app = FastAPI()
    install_dashboard(app, risk=RiskJobs(run=fake_run([]), scenarios=only_roadmap))
    with serve(app) as base:
        yield base


def test_a_risk_run_shows_progress_then_the_three_charts(browser, risk_service, tmp_path: Path):
    browser.get(risk_service + "/")
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#risk-scenario option"))
    Select(browser.find_element(By.ID, "risk-scenario")).select_by_value(SCENARIO)
    samples = browser.find_element(By.ID, "risk-samples")
    samples.clear()
    samples.send_keys("120")
    browser.find_element(By.ID, "risk-button").click()
    wait_for(
        browser,
        lambda d: (
            d.find_element(By.ID, "risk-results").get_attribute("data-state") in ("ready", "failed")
        ),
    )
    assert browser.find_element(By.ID, "risk-error").text == ""
    assert browser.find_element(By.ID, "risk-progress").get_attribute("value") == "1"
    assert "120 samples, seed 0" in browser.find_element(By.ID, "risk-step").text
    drawn = {g["id"]: g for g in browser.execute_script(RISK_POINTS)}
    assert set(CHARTS) <= set(drawn)
    for chart in CHARTS:
        assert drawn[chart]["points"] > 0, chart
        assert drawn[chart]["svg"] > 0, chart
    odds = browser.find_element(By.ID, f"table-risk-odds-{SCENARIO}")
    assert "60%" in [cell.text for cell in odds.find_elements(By.TAG_NAME, "td")]
    assert browser.find_element(By.ID, f"title-risk-{SCENARIO}").text == f"Odds: {SCENARIO}"
    shot(browser, tmp_path, "risk")
    violations = axe_violations(browser)
    assert not violations, describe(violations)


def test_too_many_samples_is_refused_with_the_allowed_range(browser, risk_service):
    browser.get(risk_service + "/")
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#risk-scenario option"))
    samples = browser.find_element(By.ID, "risk-samples")
    samples.clear()
    samples.send_keys("5000")
    browser.execute_script("document.getElementById('risk-form').noValidate = true")
    browser.find_element(By.ID, "risk-button").click()
    error = wait_for(browser, lambda d: d.find_element(By.ID, "risk-error").text)
    assert "samples: 5000 (allowed: 1..2000)" in error
