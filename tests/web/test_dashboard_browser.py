"""The dashboard in a real headless Chromium: runs, charts, live book, provenance, keyboard, a11y.

Screenshots go to each test's tmp_path (``pytest --basetemp DIR`` keeps them in DIR).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait
from web_support import axe_violations, describe

pytestmark = pytest.mark.browser

RUN_TIMEOUT_S = 300
"""Two full solves on two shared cores, with margin."""
COMPARED = ("baseline", "china-controls-2025")

PLOTTED_POINTS = """
return [...document.querySelectorAll('#results .js-plotly-plot')].map(g => ({
  id: g.id,
  points: g.data.reduce((n, t) => n + Math.max(
    (t.x || []).length, (t.lat || []).length, ((t.link || {}).value || []).length,
    (t.z || []).length), 0),
  svg: g.querySelectorAll('svg').length,
}));
"""


def wait_for(driver: Any, check: Callable[[Any], Any], timeout: float = 30) -> Any:
    """Poll ``check`` until it is truthy; rows redrawn while it reads them count as not yet."""
    return WebDriverWait(
        driver, timeout, poll_frequency=0.2, ignored_exceptions=(StaleElementReferenceException,)
    ).until(check)


def run_ended(driver: Any) -> bool:
    """Whether the run's results are drawn or its error shown."""
    return driver.find_element(By.ID, "results").get_attribute("data-state") == "ready" or bool(
        driver.find_element(By.ID, "run-error").text
    )


def active(driver: Any) -> Any:
    return driver.switch_to.active_element


def press(driver: Any, *keys: str) -> None:
    """Type ``keys`` into whatever has focus, as a keyboard would."""
    ActionChains(driver).send_keys(*keys).perform()


def tab_to(driver: Any, element_id: str, limit: int = 60) -> list[str]:
    """Press Tab until ``element_id`` has focus; the ids (or tags) passed on the way."""
    seen = []
    for _ in range(limit):
        press(driver, Keys.TAB)
        focused = active(driver)
        seen.append(focused.get_attribute("id") or focused.tag_name)
        if focused.get_attribute("id") == element_id:
            return seen
    pytest.fail(f"Tab never reached #{element_id}; focus went through {seen}")


def shot(driver: Any, folder: Path, name: str) -> Path:
    height = driver.execute_script("return document.body.scrollHeight")
    driver.set_window_size(1366, max(1000, height))
    driver.execute_script("window.scrollTo(0, 0)")
    path = folder / f"{name}.png"
    assert driver.save_screenshot(str(path))
    driver.set_window_size(1366, 1000)
    return path


def test_keyboard_walk_runs_a_scenario_and_reaches_the_exchange(
    browser: Any, live: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    base, keys = live
    browser.get(base + "/")
    wait_for(browser, lambda d: d.find_elements(By.ID, "choice-baseline"))
    assert browser.execute_script("return typeof Plotly") == "object"  # served locally

    passed = tab_to(browser, "choice-baseline")
    assert passed[:3] == ["a", "tab-planning", "tab-exchange"]  # skip link, then the views
    press(browser, Keys.SPACE)
    tab_to(browser, "choice-china-controls-2025", limit=1)
    press(browser, Keys.SPACE)
    for scenario in COMPARED:
        assert browser.find_element(By.ID, f"choice-{scenario}").is_selected()
    tab_to(browser, "run-button")
    press(browser, Keys.ENTER)

    wait_for(browser, lambda d: d.find_element(By.ID, "run-progress").is_displayed())
    seen_progress = set()

    def finished(d: Any) -> bool:
        seen_progress.add(d.find_element(By.ID, "run-step").text)
        return run_ended(d)

    wait_for(browser, finished, timeout=RUN_TIMEOUT_S)
    assert browser.find_element(By.ID, "run-error").text == ""
    for scenario in COMPARED:  # progress was shown for each
        assert any(f"{scenario}: " in s for s in seen_progress), seen_progress
    assert active(browser).get_attribute("id") == "results-title"  # focus moves to the result

    figures = {f["id"]: f for f in browser.execute_script(PLOTTED_POINTS)}
    wanted = [f"sankey-{s}" for s in COMPARED] + ["china-share", "hhi", "prices", "facilities"]
    for figure in wanted:
        assert figures[f"fig-{figure}"]["points"] > 0, figures
        assert figures[f"fig-{figure}"]["svg"] > 0, figures
    lines = browser.execute_script(
        "return document.getElementById('fig-china-share').data.map(t => t.name);"
    )
    assert set(lines) == set(COMPARED)  # one line per compared scenario
    sankey_total = browser.execute_script(
        "return document.getElementById('fig-sankey-baseline').data[0].link.value"
        ".reduce((a, b) => a + b, 0);"
    )
    assert sankey_total > 1_000  # tonnes flowing in 2030
    assert browser.find_element(By.ID, "table-sources").find_elements(By.CSS_SELECTOR, "tbody tr")
    loaded = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name);"
    )
    assert any(u.endswith("/web/vendor/world_110m.json") for u in loaded)  # the shipped map
    assert [u for u in loaded if not u.startswith(base + "/")] == []  # nothing from elsewhere
    shot(browser, tmp_path, "scenario-results")
    browser.execute_script("document.getElementById('section-flows').scrollIntoView()")
    assert browser.save_screenshot(str(tmp_path / "scenario-flows.png"))
    violations = axe_violations(browser)
    assert not violations, describe(violations)

    tab_to(browser, "back-to-top")
    press(browser, Keys.ENTER)
    tab_to(browser, "tab-exchange", limit=3)
    press(browser, Keys.ENTER)
    assert browser.find_element(By.ID, "exchange").is_displayed()
    assert not browser.find_element(By.ID, "planning").is_displayed()
    tab_to(browser, "api-key", limit=3)
    press(browser, keys["regulator"], Keys.ENTER)
    wait_for(browser, lambda d: "regulator" in d.find_element(By.ID, "who").text)
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#instrument-table tbody tr"))
    shot(browser, tmp_path, "exchange-keyboard")


def test_bad_upload_shows_the_problem_message(
    browser: Any, live: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    base, _ = live
    browser.get(base + "/")
    wait_for(browser, lambda d: d.find_elements(By.ID, "choice-baseline"))
    bad = tmp_path / "broken.yaml"
    bad.write_text("extends: baseline\nyears: {start: 2030, end: 2020}\n", encoding="utf-8")
    browser.find_element(By.ID, "upload").send_keys(str(bad))
    upload = wait_for(browser, lambda d: d.find_elements(By.ID, "choice-upload-broken-yaml"))
    assert upload[0].is_selected()
    browser.find_element(By.ID, "run-button").click()
    error = wait_for(
        browser, lambda d: d.find_element(By.ID, "run-error").text or False, timeout=60
    )
    assert error.startswith("Unprocessable Content: broken.yaml: years")
    assert "end 2020 is before start 2030" in error
    shot(browser, tmp_path, "upload-error")


def test_the_language_of_the_results_is_remembered(
    browser: Any, live: tuple[str, dict[str, str]]
) -> None:
    base, _ = live
    browser.get(base + "/")
    Select(browser.find_element(By.ID, "lang")).select_by_value("kk")
    browser.get(base + "/")
    wait_for(browser, lambda d: d.execute_script("return document.documentElement.lang") == "kk")
    assert browser.find_element(By.ID, "lang").get_attribute("value") == "kk"
    Select(browser.find_element(By.ID, "lang")).select_by_value("en")
    browser.get(base + "/")
    wait_for(browser, lambda d: d.execute_script("return document.documentElement.lang") == "en")
    assert browser.find_element(By.ID, "lang").get_attribute("value") == "en"


def test_facilities_table_filters_as_you_type(
    browser: Any, live: tuple[str, dict[str, str]]
) -> None:
    base, _ = live
    browser.get(base + "/")
    rows = "#facility-table tbody tr"
    total = len(wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, rows)))
    browser.find_element(By.ID, "facility-search").send_keys("kz mining")
    kept = wait_for(
        browser,
        lambda d: (r := d.find_elements(By.CSS_SELECTOR, rows)) != [] and len(r) < total and r,
    )
    countries = {r.find_elements(By.TAG_NAME, "td")[1].text for r in kept}
    stages = {r.find_elements(By.TAG_NAME, "td")[2].text for r in kept}
    assert (countries, stages) == ({"KZ"}, {"mining"})
    assert (
        browser.find_element(By.ID, "facility-count").text == f"{len(kept)} of {total} facilities"
    )
    assert all(r.find_element(By.CSS_SELECTOR, "td:last-child").text for r in kept)  # a source


def place(driver: Any, *, lots: int, price: int) -> str:
    """Place a limit order through the form (``price`` in ticks of 1 US cent per kg) and
    return the confirmation once it is shown."""
    before = driver.find_element(By.ID, "order-result").text
    for field, value in (("order-lots", str(lots)), ("order-price", f"{price / 100:.2f}")):
        box = driver.find_element(By.ID, field)
        box.clear()
        box.send_keys(value)
    driver.find_element(By.CSS_SELECTOR, "#order-form button").click()
    return str(
        wait_for(
            driver,
            lambda d: ((t := d.find_element(By.ID, "order-result").text) != before and t) or False,
        )
    )


def _asks(driver: Any) -> dict[int, int]:
    return _levels(driver, "asks")


def _bids(driver: Any) -> dict[int, int]:
    return _levels(driver, "bids")


def _levels(driver: Any, side: str) -> dict[int, int]:
    rows = driver.find_elements(By.CSS_SELECTOR, f"#{side} tbody tr")
    return {
        int(r.get_attribute("data-price")): int(
            r.find_elements(By.TAG_NAME, "td")[1].text.replace(",", "")
        )
        for r in rows
    }


def test_order_appears_in_the_live_book_and_provenance_opens(
    browser: Any, live: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    base, keys = live
    browser.get(base + "/")
    browser.find_element(By.ID, "tab-exchange").click()
    browser.find_element(By.ID, "api-key").send_keys(keys["trader-de"])
    browser.find_element(By.CSS_SELECTOR, "#key-form button").click()
    wait_for(browser, lambda d: "trader-de" in d.find_element(By.ID, "who").text)
    browser.find_element(
        By.CSS_SELECTOR, '#instrument-table button[data-instrument="DY-OX"]'
    ).click()
    wait_for(browser, lambda d: d.find_element(By.ID, "book-instrument").text == "DY-OX")
    wait_for(browser, lambda d: 24_800 in _bids(d))  # the demo's resting bid, from the snapshot
    seq_before = int(browser.find_element(By.ID, "book-seq").get_attribute("data-seq"))
    assert 24_900 not in _bids(browser)

    confirmation = place(browser, lots=3, price=24_900)
    assert confirmation.endswith(
        "resting: buy 3 lots (30 kg) of DY-OX at 249.00 USD/kg; nothing filled yet."
    )
    wait_for(browser, lambda d: _bids(d).get(24_900) == 3)  # arrived as a WebSocket delta
    seq_after = int(browser.find_element(By.ID, "book-seq").get_attribute("data-seq"))
    assert seq_after == seq_before + 1
    wait_for(
        browser,
        lambda d: any(
            "249.00" in r.text and "DY-OX" in r.text
            for r in d.find_elements(By.CSS_SELECTOR, "#orders tbody tr")
        ),
    )

    confirmation = place(browser, lots=2, price=25_300)  # crosses the demo's ask of 10 lots
    assert confirmation.endswith(
        "filled: bought 2 lots (20 kg) of DY-OX, average price 253.00 USD/kg."
    )
    # read the cells inside the wait: the table is redrawn as the stream delivers
    trade = wait_for(
        browser,
        lambda d: [c.text for c in d.find_elements(By.CSS_SELECTOR, "#trades tbody tr td.num")],
    )
    assert trade == ["253.00", "2"]
    wait_for(browser, lambda d: _asks(d).get(25_300) == 8)
    traded = browser.execute_script(
        "return document.getElementById('price-chart').data.find(t => t.name === 'trades').y;"
    )
    assert traded == [253.0]  # US$/kg

    # the receipts list is redrawn as balances refresh after the fill: find and click together
    wait_for(
        browser,
        lambda d: (
            d.find_element(By.XPATH, "//button[text()='Provenance of R-NDFEB-DE-1']").click()
            or True
        ),
    )
    chain = wait_for(
        browser,
        lambda d: [
            li.find_element(By.TAG_NAME, "strong").text
            for li in d.find_elements(By.CSS_SELECTOR, "#provenance ol.chain li")
        ],
    )
    assert chain == [
        "mine · KZ",
        "separator · KZ",
        "metal maker · DE",
    ]
    assert "verified" in browser.find_element(By.CSS_SELECTOR, "#provenance .ok").text
    shot(browser, tmp_path, "exchange")
    violations = axe_violations(browser)
    assert not violations, describe(violations)


def test_book_stream_detects_a_gap_and_resyncs(
    browser: Any, live: tuple[str, dict[str, str]]
) -> None:
    base, _ = live
    browser.get(base + "/")
    outcome = browser.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        import('/web/book.js').then(({emptyStream, apply}) => {
          let s = emptyStream();
          const early = apply(s, {type: 'delta', seq: 4, bids: [[10, 1]], asks: []});
          s = apply(s, {type: 'snapshot', seq: 5, bids: [[10, 2], [9, 1]], asks: [[12, 4]]}).stream;
          const stale = apply(s, {type: 'delta', seq: 5, bids: [[10, 7]], asks: []});
          s = apply(s, {type: 'delta', seq: 6, bids: [[10, 0]], asks: [[11, 1]]}).stream;
          const gap = apply(s, {type: 'delta', seq: 8, bids: [], asks: []});
          done({
            early: early.gap || early.stream.seq,
            staleBid: stale.stream.bids.get(10),
            seq: s.seq, bids: [...s.bids], asks: [...s.asks],
            gap: gap.gap, after: gap.stream.seq,
          });
        });
        """
    )
    assert outcome == {
        "early": None,
        "staleBid": 2,
        "seq": 6,
        "bids": [[9, 1]],
        "asks": [[12, 4], [11, 1]],
        "gap": True,
        "after": None,
    }
