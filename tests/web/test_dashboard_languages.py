"""The dashboard in Russian and Kazakh, in headless Chromium: the labels of the page and of its
scripts come from the catalogs, numbers are written the language's way, the choice is kept."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from test_dashboard_browser import wait_for
from web_support import axe_violations, describe

from kazree.web.messages import dashboard_catalog

pytestmark = pytest.mark.browser

FACILITY_COLUMNS = ("Facility", "Country", "Stage", "Status", "Capacity (t/yr)", "Basis", "From")
INSTRUMENT_COLUMNS = ("Instrument", "Product", "Lot (kg)", "Reference (/kg)", "Open to")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
NOT_LABELS = {"kazree", "English"}  # the name, and English offered by its own name
MONTHS_RU = re.compile(r"янв|февр|март|апр|май|июнь|июль|авг|сент|окт|нояб|дек")
MONTHS_EN = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
LABELS = """
return [...document.querySelectorAll('[data-i18n], [data-i18n-attrs]')].flatMap(e => [
  ...(e.hasAttribute('data-i18n') ? [e.textContent] : []),
  ...(e.dataset.i18nAttrs || '').split(' ').filter(Boolean).map(a => e.getAttribute(a)),
]);
"""
TYPED = """
const done = arguments[arguments.length - 1];
import('/web/i18n.js').then(m => done([m.parseDecimal('1\u00a0234,5'), m.parseDecimal('253.5')]));
"""
LOTS = """
const [counts, done] = arguments;
import('/web/i18n.js').then(m => done(counts.map(n => m.tn(
  '{n} lot = {kg} kg (a lot is {lot} kg).', '{n} lots = {kg} kg (a lot is {lot} kg).', n,
  {kg: m.fmt(n * 10), lot: m.fmt(10)}))));
"""
TEXTS = "return [...document.querySelectorAll(arguments[0])].map(e => e.textContent.trim());"


def texts(driver: Any, selector: str) -> list[str]:
    """The text of each element matching ``selector``, as the page holds it (no-break spaces
    kept)."""
    found: list[str] = driver.execute_script(TEXTS, selector)
    return found


def in_language(driver: Any, lang: str) -> None:
    """Wait until the page is labelled in ``lang``."""
    wait_for(driver, lambda d: d.execute_script("return document.documentElement.lang") == lang)


def test_the_dashboard_speaks_russian_and_kazakh(
    browser: Any, live: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    base, keys = live
    ru, kk = dashboard_catalog("ru"), dashboard_catalog("kk")

    browser.get(base + "/?lang=ru")
    in_language(browser, "ru")
    assert browser.find_element(By.ID, "lang").get_attribute("value") == "ru"
    assert texts(browser, "nav .tab") == [ru["Scenarios"], ru["Exchange"]] == ["Сценарии", "Биржа"]
    nav = browser.find_element(By.CSS_SELECTOR, "nav")
    assert nav.get_attribute("aria-label") == ru["Views"]
    header = " ".join(texts(browser, "header.top, a.skip"))
    assert set(LATIN_WORD.findall(header)) <= NOT_LABELS, header  # no English label left
    assert browser.find_element(By.ID, "run-button").text == ru["Run"]
    # Every marked label of the page, shown or hidden, text or attribute, is in Russian: its Latin
    # words (if any) are ones the Russian catalog itself writes (USD, YAML, WebSocket, ...).
    russian_latin = {w for text in ru.values() for w in LATIN_WORD.findall(str(text))} | {"USD"}
    labels = browser.execute_script(LABELS)
    assert len(labels) > 100
    left = {label for label in labels if set(LATIN_WORD.findall(label)) - russian_latin}
    assert left == set(), left
    assert browser.title == ru["kazree dashboard"]

    rows = "#facility-table tbody tr"
    total = len(wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, rows)))
    assert texts(browser, "#facility-table thead th")[: len(FACILITY_COLUMNS)] == [
        ru[c] for c in FACILITY_COLUMNS
    ]
    # The count is a Russian plural of the total ("из 73 объектов"), its numbers written in full.
    assert re.fullmatch(
        rf"{total} из {total} объект(а|ов)", texts(browser, "#facility-count")[0]
    ), texts(browser, "#facility-count")
    capacities = texts(browser, "#facility-table tbody td:nth-child(5)")
    grouped = [c for c in capacities if re.fullmatch(r"\d{1,3}(\u00a0\d{3})+", c)]
    assert grouped, capacities  # thousands grouped by a no-break space, as Russian writes them
    assert not [c for c in capacities if "," in c], capacities
    # A Russian stage name is shown and can be searched for.
    browser.find_element(By.ID, "facility-search").send_keys("KZ добыча")
    kept = wait_for(
        browser,
        lambda d: (r := d.find_elements(By.CSS_SELECTOR, rows)) != [] and len(r) < total and r,
    )
    assert {r.find_elements(By.TAG_NAME, "td")[2].text for r in kept} == {ru["mining"]}
    violations = axe_violations(browser)
    assert not violations, describe(violations)
    # Prices typed the Russian way reach the API as decimals; counts take the Russian plural.
    assert browser.execute_async_script(TYPED) == ["1234.5", "253.5"]
    assert browser.execute_async_script(LOTS, [1, 21, 3, 11, 25]) == [
        "1 лот = 10 кг (в лоте 10 кг).",
        "21 лот = 210 кг (в лоте 10 кг).",
        "3 лота = 30 кг (в лоте 10 кг).",
        "11 лотов = 110 кг (в лоте 10 кг).",
        "25 лотов = 250 кг (в лоте 10 кг).",
    ]
    # A refused upload: the problem's title in Russian, the service's detail as it wrote it.
    bad = tmp_path / "broken.yaml"
    bad.write_text("extends: baseline\nyears: {start: 2030, end: 2020}\n", encoding="utf-8")
    browser.find_element(By.ID, "upload").send_keys(str(bad))
    wait_for(browser, lambda d: d.find_elements(By.ID, "choice-upload-broken-yaml"))
    assert (
        "(ваш файл)"
        in browser.find_element(By.CSS_SELECTOR, "label[for=choice-upload-broken-yaml]").text
    )
    browser.find_element(By.ID, "run-button").click()
    error = wait_for(browser, lambda d: d.find_element(By.ID, "run-error").text or False, 60)
    assert error.startswith("Ошибка в данных: broken.yaml: years"), error

    # Switching to Kazakh relabels the page and redraws what the scripts wrote, without a reload.
    browser.find_element(By.ID, "facility-search").clear()
    browser.execute_script(
        "document.getElementById('facility-search').dispatchEvent(new Event('input'))"
    )
    Select(browser.find_element(By.ID, "lang")).select_by_value("kk")
    in_language(browser, "kk")
    assert texts(browser, "nav .tab") == [kk["Scenarios"], kk["Exchange"]]
    assert texts(browser, "#facility-count") == [f"{total} нысанның {total}"]
    assert kk["mining"] in texts(browser, "#facility-table tbody td:nth-child(3)")
    browser.get(base + "/")
    in_language(browser, "kk")  # remembered
    assert texts(browser, "nav .tab") == [kk["Scenarios"], kk["Exchange"]]

    # ?lang= wins over the remembered choice; the exchange view speaks it too.
    browser.get(base + "/?lang=ru")
    in_language(browser, "ru")
    browser.find_element(By.ID, "tab-exchange").click()
    browser.find_element(By.ID, "api-key").send_keys(keys["trader-jp"])
    browser.find_element(By.CSS_SELECTOR, "#key-form button").click()
    who = wait_for(browser, lambda d: d.find_element(By.ID, "who").text or False)
    assert who == "Подключено как trader-jp (JP; трейдер)."
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#instrument-table tbody tr"))
    assert texts(browser, "#instrument-table thead th")[:2] == [ru["Instrument"], ru["Product"]]
    headers = texts(browser, "#instrument-table thead th")
    for column in INSTRUMENT_COLUMNS:
        assert ru[column] in headers
    ticks = wait_for(browser, lambda d: texts(d, "#price-chart .xtick text"))
    assert any(MONTHS_RU.search(tick) for tick in ticks), ticks  # plotly's dates in Russian
    assert not any(MONTHS_EN.search(tick) for tick in ticks), ticks
    reference = texts(browser, '#instrument-table tbody tr:first-child td[title*="тиков"]')
    assert len(reference) == 1, reference
    assert re.fullmatch(r"[\d\u00a0]+,\d{2} USD/кг", reference[0]), reference

    Select(browser.find_element(By.ID, "lang")).select_by_value("en")
    in_language(browser, "en")
    assert texts(browser, "nav .tab") == ["Scenarios", "Exchange"]
    assert browser.find_element(By.ID, "who").text.startswith("Connected as trader-jp")
