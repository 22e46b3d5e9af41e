"""The report renders in headless Chromium with every network request blackholed.

Needs Debian's ``chromium``; skipped without it unless ``KAZREE_REQUIRE_BROWSER=1``, when its
absence fails the test.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
from report_chain import BLOCS, chain_run

from kazree.data import load_dataset
from kazree.policy.rules import dataset_rules
from kazree.report import build_report, write_html

BLACKHOLE_PROXY = "http://127.0.0.1:9"
"""Every http(s) request goes to a closed local port: nothing outside the file can load."""


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("KAZREE_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium is not installed (KAZREE_REQUIRE_BROWSER=1)")
        pytest.skip("chromium is not installed")
    return path


@pytest.mark.browser
def test_every_figure_renders_offline(tmp_path):
    browser = chromium()
    runs = [chain_run("alpha"), chain_run("beta", scale=2.0)]
    report = build_report(runs, dataset=load_dataset(), rules=dataset_rules(), blocs=BLOCS)
    out = write_html(report, tmp_path / "report.html")
    dom = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--proxy-server={BLACKHOLE_PROXY}",
            "--proxy-bypass-list=<-loopback>",
            "--virtual-time-budget=15000",
            "--dump-dom",
            out.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    figures = [f.id for f in report.figures()]
    rendered = re.findall(r'<div id="fig-([^"]+)" class="plot js-plotly-plot"', dom)
    assert sorted(rendered) == sorted(figures)
    assert dom.count('class="main-svg"') >= 2 * len(figures)
    assert 'class="sankey-node"' in dom
    countries = re.search(r'<g class="layer countries">(.*?)</g>', dom, re.DOTALL)
    assert countries is not None, "the shipped world map was not drawn"
    # The borders are one long path drawn from the shipped topojson.
    assert len(countries.group(1)) > 50_000
