"""The report of ``kazrareearth-2030`` in headless Chromium: its opening sentences hold the
numbers of ``metrics.csv`` and the difference to the counterfactual, every chart has a source
line, and it prints to A4 with no chart cut across pages.

The page is laid out at the printable width of an A4 page, so the screen layout, the print-media
layout measured here and the PDF Chromium prints all share one width.
"""

from __future__ import annotations

import base64
import io
import math
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from kazree.cli import app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROADMAP, COUNTERFACTUAL = "kazrareearth-2030", "china-controls-2025"
YEARS = "2024:2035"
MM = 96 / 25.4
"""CSS pixels per millimetre."""
PAGE_WIDTH_PX = round((210 - 2 * 12) * MM)
PAGE_HEIGHT_PX = (297 - 2 * 14) * MM
"""A4 less the report's @page margins (14 mm top and bottom, 12 mm left and right)."""
DRAWN_TIMEOUT_S = 120

runner = CliRunner()

NUMBERS = """
return [...document.querySelectorAll('.summary a.num')].map(a => ({
  text: a.textContent, href: a.getAttribute('href'), sentence: a.closest('p').textContent,
  target: !!document.querySelector(a.getAttribute('href')), ...a.dataset}));
"""
SOURCES = """
return [...document.querySelectorAll('figure.chart')].map(f => ({
  id: f.id, source: (f.querySelector('figcaption .source') || {}).textContent || ''}));
"""
ATOMS = """
const atoms = 'section > h2, section > p, figure.chart, .summary, .text-block, details,'
  + ' caption, thead, tbody > tr';
const top = (el) => el.getBoundingClientRect().top + window.scrollY;
return {
  header: document.querySelector('header').getBoundingClientRect().height,
  sections: [...document.querySelectorAll('main > section')].map(s => ({
    id: s.id,
    atoms: [...s.querySelectorAll(atoms)]
      .filter(el => el.getBoundingClientRect().height > 0)
      .map(el => ({chart: el.matches('figure.chart') ? el.id : null, top: top(el),
                   bottom: top(el) + el.getBoundingClientRect().height,
                   repeat: el.matches('tbody > tr')
                     ? el.closest('table').tHead.getBoundingClientRect().height : 0})),
  })),
};
"""


def run_dir(root: Path, scenario: str) -> Path:
    out = root / scenario
    ran = runner.invoke(app, ["--quiet", "run", scenario, "--years", YEARS, "--out", str(out)])
    assert ran.exit_code == 0, ran.output
    return out


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, pd.DataFrame]]:
    """The report of the roadmap and its counterfactual, and each run's ``metrics.csv``."""
    root = tmp_path_factory.mktemp("print")
    dirs = {name: run_dir(root, name) for name in (ROADMAP, COUNTERFACTUAL)}
    out = root / "report.html"
    args = ["--quiet", "report", "--out", str(out)]
    for directory in dirs.values():
        args += ["--results", str(directory)]
    made = runner.invoke(app, args)
    assert made.exit_code == 0, made.output
    frames = {
        name: pd.read_csv(d / "metrics.csv", keep_default_na=False, na_values=[""])
        for name, d in dirs.items()
    }
    return out, frames


@pytest.fixture(scope="module")
def page(browser: Any, written: tuple[Path, dict[str, pd.DataFrame]]) -> Any:
    """The report open at the printable width of A4, every chart drawn."""
    width = PAGE_WIDTH_PX
    for _ in range(2):
        # The window is wider than the page by its scroll bar, if it draws one.
        browser.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 1000, "deviceScaleFactor": 1, "mobile": False},
        )
        browser.get(written[0].as_uri())
        width += PAGE_WIDTH_PX - browser.execute_script(
            "return document.documentElement.clientWidth"
        )
    browser.set_script_timeout(DRAWN_TIMEOUT_S)
    drawn = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "const wanted = document.querySelectorAll('script.figure-spec').length;"
        "const poll = () => {"
        "  const n = document.querySelectorAll('.plot.js-plotly-plot .main-svg').length;"
        "  if (n >= wanted) done(wanted); else setTimeout(poll, 200); };"
        "poll();"
    )
    assert drawn > 5
    yield browser
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def metric_value(frame: pd.DataFrame, number: dict[str, str]) -> float:
    """The figure a summary number names, read from a ``metrics.csv``."""
    year = int(number["year"])
    rows = frame[
        (frame["metric"] == number["metric"])
        & (frame["stage"] == number["stage"])
        & (frame["element"] == number["element"])
        & (frame["year"] == year)
    ]
    by_region = dict(zip(rows["region"], rows["value"].astype(float), strict=True))
    value = sum(by_region.get(r, math.nan) for r in number["regions"].split())
    if number["lessChina"] == "true":
        value -= by_region.get("CN", 0.0)
    return value


def as_written(value: float, text: str, signed: bool) -> str:
    """``value`` written as the English report writes it, with the decimals ``text`` has."""
    digits = len(text.split(".")[1]) if "." in text else 0
    body = f"{abs(value) if signed else value:,.{digits}f}"
    if not signed:
        return body
    if round(abs(value), digits) == 0:
        return "±" + body
    return ("+" if value > 0 else "\u2212") + body


def test_the_summary_states_metrics_and_differences_to_the_counterfactual(page, written):
    _, frames = written
    numbers = page.execute_script(NUMBERS)
    assert len(numbers) >= 12
    differences = [n for n in numbers if n["minus"]]
    assert differences, "no difference to the counterfactual in the summary"
    assert {n["minus"] for n in differences} == {COUNTERFACTUAL}
    assert {n["year"] for n in numbers} == {"2030", "2035"}
    for n in numbers:
        assert n["target"], f"{n['href']} links to no chart"
        expected = metric_value(frames[n["scenario"]], n)
        if n["minus"]:
            expected -= metric_value(frames[n["minus"]], n)
        if math.isnan(expected):
            assert n["text"] == "–", n
            continue
        assert float(n["value"]) == pytest.approx(expected, rel=1e-9, abs=1e-6), n
        assert n["text"] == as_written(expected, n["text"], bool(n["minus"])), n
    # Kazakhstan mines nothing without the roadmap: the difference is the roadmap's output.
    mined = [n for n in numbers if n["metric"] == "output_t" and n["regions"] == "KZ"]
    level = next(n for n in mined if not n["minus"] and n["year"] == "2035")
    delta = next(n for n in mined if n["minus"] and n["year"] == "2035")
    assert float(level["value"]) > 0
    assert float(delta["value"]) == pytest.approx(float(level["value"]))
    assert f"{ROADMAP} makes" in differences[0]["sentence"] or any(
        f"{ROADMAP} makes" in n["sentence"] for n in numbers
    )


def test_every_chart_has_a_source_line(page):
    charts = page.execute_script(SOURCES)
    assert len(charts) > 5
    for chart in charts:
        assert chart["source"].startswith("Source: kazree"), chart
        assert ROADMAP in chart["source"], chart
        assert re.search(r"dataset: \w+", chart["source"]), chart


def paginate(layout: dict[str, Any]) -> tuple[int, dict[str, tuple[int, int]]]:
    """Pages of the print layout and the first and last page of each chart.

    The header fills the first page; each section starts a page (``break-before: page``); an
    element that must not break (a chart, a table row, a summary) and does not fit in what is
    left of a page moves to the next one, pushing everything after it down; one taller than a
    page runs on over the next. A table row that opens a page has its table's header repeated
    above it, as browsers print long tables.
    """
    assert layout["header"] <= PAGE_HEIGHT_PX
    pages = 1
    spans: dict[str, tuple[int, int]] = {}
    for section in layout["sections"]:
        atoms = section["atoms"]
        if not atoms:
            continue
        pages += 1
        page_top, shift = atoms[0]["top"], 0.0
        for atom in atoms:
            top, bottom = atom["top"] + shift, atom["bottom"] + shift
            while top - page_top >= PAGE_HEIGHT_PX:
                pages, page_top = pages + 1, page_top + PAGE_HEIGHT_PX
                shift, top, bottom = (v + atom["repeat"] for v in (shift, top, bottom))
            if bottom - page_top > PAGE_HEIGHT_PX + 0.5 and top > page_top + 0.5:
                moved = page_top + PAGE_HEIGHT_PX - top + atom["repeat"]
                pages, page_top, shift = pages + 1, page_top + PAGE_HEIGHT_PX, shift + moved
                top, bottom = top + moved, bottom + moved
            first = pages
            while bottom - page_top > PAGE_HEIGHT_PX + 0.5:
                pages, page_top = pages + 1, page_top + PAGE_HEIGHT_PX
            if atom["chart"]:
                spans[atom["chart"]] = (first, pages)
    return pages, spans


def test_it_prints_to_a4_with_no_chart_cut_across_pages(page):
    printed = page.execute_cdp_cmd(
        "Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True}
    )
    pdf = PdfReader(io.BytesIO(base64.b64decode(printed["data"])))
    width_mm, height_mm = (float(v) / 72 * 25.4 for v in pdf.pages[0].mediabox[2:])
    assert (round(width_mm), round(height_mm)) == (210, 297)
    page.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        layout = page.execute_script(ATOMS)
    finally:
        page.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    pages, spans = paginate(layout)
    assert len(pdf.pages) == pages
    charts = page.execute_script(SOURCES)
    assert set(spans) == {c["id"] for c in charts}
    cut = {chart: span for chart, span in spans.items() if span[0] != span[1]}
    assert cut == {}
