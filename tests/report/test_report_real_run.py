"""A report of a real ``kazree run``: its figures hold the numbers of that run's metrics.csv."""

from __future__ import annotations

import re

import pandas as pd
import pytest
import xarray as xr
from report_html import CSS_URL, EXTERNAL, figure_specs, frame_value, metric_points, parse
from typer.testing import CliRunner

from kazree.cli import app
from kazree.scenario.loading import locate

runner = CliRunner()


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    """``kazree run baseline`` over 2024-2030, then ``kazree report --results`` of it."""
    root = tmp_path_factory.mktemp("baseline")
    run_dir, out = root / "run", root / "report.html"
    ran = runner.invoke(app, ["run", "baseline", "--years", "2024:2030", "--out", str(run_dir)])
    assert ran.exit_code == 0, ran.output
    made = runner.invoke(app, ["report", "--results", str(run_dir), "--out", str(out)])
    assert made.exit_code == 0, made.output
    return run_dir, out.read_text(encoding="utf-8")


@pytest.mark.slow
def test_figures_match_the_runs_metrics_csv(baseline):
    run_dir, html = baseline
    frame = pd.read_csv(run_dir / "metrics.csv", keep_default_na=False, na_values=[""])
    specs = figure_specs(parse(html))
    points = metric_points(specs)
    plotted = {key["metric"] for key, _, _ in points}
    assert {"china_share", "hhi", "exposure", "shadow_price_usd_per_kg"} <= plotted
    for key, year, value in points:
        expected = frame_value({"baseline": frame}, key, year)
        assert value == (None if expected is None else pytest.approx(expected)), (key, year)
    mining = next(
        t["y"]
        for t in specs["china-share"]["data"]
        if t["meta"]["stage"] == "mining" and t["meta"]["scenario"] == "baseline"
    )
    assert mining[0] == pytest.approx(69, abs=2)


@pytest.mark.slow
def test_sankey_of_the_run_stays_within_stage_output(baseline):
    run_dir, html = baseline
    results = xr.load_dataset(run_dir / "results.nc", engine="h5netcdf")
    sankey = figure_specs(parse(html))["sankey-baseline"]["data"][0]
    labels = [" · ".join(codes) for codes in sankey["node"]["customdata"]]
    output = results["stage_output"].sel(year=2030).sum("element")
    sent: dict[str, float] = {}
    for source, value in zip(sankey["link"]["source"], sankey["link"]["value"], strict=True):
        sent[labels[source]] = sent.get(labels[source], 0.0) + value
    assert sent
    for label, value in sent.items():
        stage, country = label.split(" · ")
        made = float(output.sel(stage=stage.replace(" ", "_"), country=country))
        assert value <= made * (1 + 1e-9) + 1e-6, label
    mined = float(output.sel(stage="mining").sum())
    from_mines = sum(v for k, v in sent.items() if k.startswith("mining"))
    assert from_mines == pytest.approx(mined, rel=0.05)


@pytest.mark.slow
def test_real_report_is_offline_and_states_the_assumptions(baseline):
    _, html = baseline
    page = parse(html)
    assert not [v for _, attrs in page.tags for v in attrs.values() if EXTERNAL.match(v)]
    assert all(u.startswith("data:") for css in page.styles for u in CSS_URL.findall(css))
    header = locate("baseline").read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
    assert header
    assert header in html


def table_rows(html: str, block_id: str) -> dict[str, list[str]]:
    """Rows of the table block ``block_id``, by their first cell."""
    start = html.index(f'id="{block_id}"')
    body = html[start : html.index("</table>", start)]
    rows = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S) for row in body.split("<tr")]
    return {cells[0].strip(): [c.strip() for c in cells] for cells in rows if cells}


@pytest.mark.slow
def test_price_deck_stands_next_to_the_model_prices(baseline):
    run_dir, html = baseline
    results = xr.load_dataset(run_dir / "results.nc", engine="h5netcdf")
    cells = table_rows(html, "price-deck")
    deck = float(results["reference_price"].sel(element="Nd"))
    model = float(results["shadow_price"].sel(stage="separation", country="CN", element="Nd")[0])
    assert cells["Nd"][1] == f"{deck:,.1f}"
    assert cells["Nd"][3] == f"{model:,.1f}"
