"""The written report needs no network: nothing in it points outside the file."""

from __future__ import annotations

from itertools import pairwise

import pytest
from report_chain import BLOCS, chain_run
from report_html import CSS_URL, EXTERNAL, REMOTE_FETCH, parse

from kazree.data import load_dataset
from kazree.policy.rules import dataset_rules
from kazree.report import build_report, render_html


@pytest.fixture(scope="module")
def html() -> str:
    runs = [chain_run("alpha"), chain_run("beta", scale=2.0)]
    report = build_report(
        runs, dataset=load_dataset(), rules=dataset_rules(), blocs=BLOCS, year=2030
    )
    return render_html(report)


def test_no_attribute_points_outside_the_file(html):
    page = parse(html)
    linked = [
        (tag, name, value)
        for tag, attrs in page.tags
        for name, value in attrs.items()
        if name in ("src", "href", "action", "data", "poster", "srcset", "xlink:href")
    ]
    assert linked, "the contents links are attributes too"
    assert [x for x in linked if EXTERNAL.match(x[2])] == []
    assert all(value.startswith("#") for _, _, value in linked)
    assert not any(tag in ("link", "iframe", "img", "object", "embed") for tag, _ in page.tags)


def test_styles_and_own_scripts_load_nothing(html):
    page = parse(html)
    for css in page.styles:
        assert all(u.startswith("data:") for u in CSS_URL.findall(css))
        assert "@import" not in css
    assert REMOTE_FETCH.search(html) is None
    own = [text for attrs, text in page.scripts if len(text) < 100_000]
    assert all("http://" not in t and "https://" not in t for t in own)


def test_plotly_bundle_inlined_once_and_map_shipped(html):
    page = parse(html)
    bundles = [text for _, text in page.scripts if "plotly.js v" in text[:300]]
    assert len(bundles) == 1
    assert html.count("plotly.js v") == 1
    geo = [text for attrs, text in page.scripts if attrs.get("id") == "world-110m"]
    assert len(geo) == 1
    assert '"countries"' in geo[0]
    assert "window.PlotlyGeoAssets" in html
    # plotly.js fetches a topojson only when PlotlyGeoAssets has none of that name.
    assert "PlotlyGeoAssets.topojson[" in bundles[0]


def test_structure_is_accessible(html):
    page = parse(html)
    tags = page.tags
    assert tags[0] == ("html", {"lang": "en"})
    headings = [int(tag[1]) for tag, _ in tags if tag in ("h1", "h2", "h3", "h4")]
    assert headings[0] == 1
    assert headings.count(1) == 1
    assert all(b - a <= 1 for a, b in pairwise(headings))
    plots = [attrs for tag, attrs in tags if "plot" in attrs.get("class", "").split()]
    assert plots
    assert all(a.get("role") == "img" and len(a.get("aria-label", "")) > 20 for a in plots)
    figures = [attrs for tag, attrs in tags if tag == "figure"]
    captions = {attrs["id"] for tag, attrs in tags if tag == "figcaption"}
    titles = {attrs["id"] for tag, attrs in tags if tag == "h3" and "id" in attrs}
    assert len(figures) == len(plots)
    assert all(f["aria-labelledby"] in titles for f in figures)
    assert all(f["aria-describedby"] in captions for f in figures)
    tables = sum(tag == "table" for tag, _ in tags)
    assert tables == sum(tag == "caption" for tag, _ in tags) >= 2
    assert all(attrs.get("scope") in ("col", "row") for tag, attrs in tags if tag == "th")
    assert ("a", {"class": "skip", "href": "#main"}) in tags
