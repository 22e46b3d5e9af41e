"""Numbers in the report's figures are the numbers of the metrics frame of the same run."""

from __future__ import annotations

import pytest
from report_chain import BLOCS, chain_run
from report_html import figure_specs, frame_value, metric_points, parse, unmet_totals

from kazree.data import load_dataset
from kazree.policy.rules import dataset_rules
from kazree.report import build_report, render_html


@pytest.fixture(scope="module")
def page_and_frames():
    runs = [chain_run("alpha"), chain_run("beta", scale=2.0)]
    report = build_report(runs, dataset=load_dataset(), rules=dataset_rules(), blocs=BLOCS)
    return figure_specs(parse(render_html(report))), {r.name: r.metrics for r in runs}


def test_every_plotted_metric_value_is_a_row_of_the_frame(page_and_frames):
    specs, frames = page_and_frames
    points = metric_points(specs)
    metrics = {key["metric"] for key, _, _ in points}
    assert metrics == {
        "china_share",
        "hhi",
        "exposure",
        "shadow_price_usd_per_kg",
        "value_added_musd",
        "export_partner_hhi",
    }
    for key, year, value in points:
        expected = frame_value(frames, key, year)
        if expected is None:
            assert value is None, (key, year)
        else:
            assert value == pytest.approx(expected), (key, year)


def test_lines_show_hand_computed_totals(page_and_frames):
    specs, _ = page_and_frames
    alpha_mining = [
        t
        for t in specs["china-share"]["data"]
        if t["meta"]["scenario"] == "alpha" and t["meta"]["stage"] == "mining"
    ]
    assert len(alpha_mining) == 1
    assert alpha_mining[0]["meta"]["element"] == "all"
    assert alpha_mining[0]["x"] == [2024, 2030]
    # China mines 300 of 420 t; the US and Kazakhstan 100 and 20.
    assert alpha_mining[0]["y"] == pytest.approx([100 * 300 / 420] * 2)
    exposure = {
        (t["meta"]["scenario"], t["meta"]["region"]): t["y"] for t in specs["exposure"]["data"]
    }
    # US magnets come from Japan, made of Chinese oxide: fully exposed.
    assert exposure[("alpha", "US")] == pytest.approx([100.0, 100.0])


def test_unmet_bars_add_up_to_the_unmet_metric(page_and_frames):
    specs, frames = page_and_frames
    totals = unmet_totals(specs)
    assert totals[("alpha", "US")] == pytest.approx(10.0)
    for (scenario, region), total in totals.items():
        key = {
            "scenario": scenario,
            "metric": "unmet_demand_t",
            "stage": "end_use",
            "region": region,
            "element": "all",
        }
        expected = frame_value(frames, key, 2030)
        assert total == pytest.approx(expected or 0.0)


def test_headline_table_holds_the_flagship_figures():
    runs = [chain_run("alpha"), chain_run("beta", scale=2.0)]
    report = build_report(runs, dataset=load_dataset(), rules=dataset_rules(), blocs=BLOCS)
    summary = report.sections[0]
    assert summary.id == "summary"
    table = next(b for b in summary.blocks if b.id == "headline")
    # Only 2030 of the summary years is modelled: one value per scenario, no difference column
    # (neither run declares a counterfactual).
    assert table.columns == ("indicator", "2030: alpha", "2030: beta")
    rows = {row[0]: row[1:] for row in table.rows}
    assert len(rows) == len(table.rows) == 14
    # China mines 300 of 420 t.
    assert rows["China share mining, %"] == ("71.4", "71.4")
    assert rows["Kazakhstan mine output, t"] == ("40", "80")
    assert rows["Unmet magnet REE US, t"] == ("10", "10")
