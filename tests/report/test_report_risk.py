"""The report's odds section reads a risk directory: fans, probabilities, tornado."""

from __future__ import annotations

import json
import sys

import pandas as pd
import pytest
from report_chain import chain_run
from report_html import figure_specs, parse, untranslated
from risk_fixture import PROBABILITIES, SENSITIVITY, TARGETS, summary, write_risk_dir
from typer.testing import CliRunner

from kazree.cli import app, main
from kazree.errors import KazreeError
from kazree.i18n import format_percent, using
from kazree.metrics.groups import dataset_blocs
from kazree.policy.rules import dataset_rules
from kazree.report import render_html
from kazree.report.build import build_report
from kazree.report.document import FigureBlock, TableBlock
from kazree.report.risk_view import (
    load_risk_dir,
    odds_section,
    probability_title,
    risk_section,
    tornado_figure,
)
from kazree.scenario.dataset import embedded_dataset

KEY = "kazrareearth-2030"
SOURCES = embedded_dataset().table("sources")


@pytest.fixture
def risk_dir(tmp_path):
    return write_risk_dir(tmp_path / "risk")


def _traces(block: FigureBlock, kind: str) -> dict[tuple[str, str], dict]:
    """(measure or target, quantile or measure) -> trace of the figure."""
    found = {}
    for trace in block.spec()["data"]:
        meta = trace["meta"]
        if meta["kind"] == kind:
            second = meta.get("quantile") or meta.get("measure", "")
            first = meta.get("measure") if kind == "fan" else meta["target"]
            found[(first, second)] = trace
    return found


def test_fans_draw_the_summary_quantiles_and_the_samples_outside_china(risk_dir):
    section = odds_section(load_risk_dir(risk_dir), SOURCES)
    fans = next(b for b in section.blocks if b.id == f"risk-fans-{KEY}")
    traces = _traces(fans, "fan")
    rows = summary().query("metric == 'value_added_musd' and region == 'KZ'")
    for q in ("p10", "p50", "p90"):
        assert list(traces[("kz_value", q)]["x"]) == rows["year"].tolist()
        assert list(traces[("kz_value", q)]["y"]) == pytest.approx(rows[q].tolist())
    # sample s of world minus China in year y: 2,000 + 80 s (y - 2025); the median sample is 4.5
    supply = traces[("supply", "p50")]
    assert list(supply["y"]) == pytest.approx([2_000 + 80 * 4.5 * (y - 2025) for y in supply["x"]])
    # the four regions' unmet demand summed per sample: 2,500 - 16 s (y - 2025), P10 at s = 0.9
    shortfall = traces[("shortfall", "p10")]
    assert list(shortfall["y"]) == pytest.approx(
        [2_500 - 16 * 8.1 * (y - 2025) for y in shortfall["x"]]
    )
    assert fans.title == (
        "Magnet rare-earth oxide made outside China (t) in 2030: 3,800 at the median, "
        "2,360 to 5,240 in 8 futures of 10"
    )
    assert "10 samples, seed 7" in fans.source
    # the laws of kazrareearth-2030's uncertain inputs cite McKinsey (2024)
    assert "cite mckinsey_capex_2024, the rest are kazree assumptions" in fans.source


def test_probabilities_show_as_percentages_by_year(risk_dir):
    section = odds_section(load_risk_dir(risk_dir), SOURCES)
    chart = next(b for b in section.blocks if b.id == f"risk-probability-{KEY}")
    line = _traces(chart, "probability")[("kz-separation-2030", "")]
    assert list(line["x"]) == [2030, 2031, 2035]
    assert list(line["y"]) == [60.0, 70.0, 90.0]
    assert chart.title == (
        "eu-shortfall-2032 has the lowest odds: met in 25% of futures in 2032, 45% by 2035"
    )
    one_year = pd.DataFrame(PROBABILITIES[:1])
    assert probability_title(one_year) == (
        "kz-separation-2030 has the lowest odds: met in 60% of futures in 2030"
    )
    assert probability_title(one_year.assign(probability_met=1.0)) == (
        "Every target is met in its own year in every sampled future"
    )
    table = next(b for b in section.blocks if b.id == f"risk-odds-{KEY}")
    assert isinstance(table, TableBlock)
    assert table.columns == ("target", "2030", "2032", "2035")
    assert table.rows == (
        ("kz-separation-2030", "60%", "–", "90%"),
        ("eu-shortfall-2032", "–", "25%", "45%"),
    )
    assert len(PROBABILITIES) == 4
    assert len(TARGETS) == 5


def test_the_tornado_ranks_each_targets_inputs(risk_dir):
    section = odds_section(load_risk_dir(risk_dir), SOURCES)
    tornado = next(b for b in section.blocks if b.id == f"risk-tornado-{KEY}")
    bars = _traces(tornado, "tornado")
    numeric = bars[("kz-separation-2030", "spearman")]
    # drawn bottom-up: rank 1 at the top
    assert list(numeric["y"]) == ["capex_overrun", "separation_lead_time"]
    assert list(numeric["x"]) == [-0.12, -0.82]
    assert list(bars[("eu-shortfall-2032", "eta")]["x"]) == [0.66]
    assert tornado.title == (
        "What decides kz-separation-2030 most: separation_lead_time (influence -0.82)"
    )
    assert len(tornado.spec()["data"]) == len(SENSITIVITY.groupby(["target", "measure"]))
    layout = tornado.spec()["layout"]
    assert list(layout["yaxis"]["categoryarray"]) == [
        "capex_overrun",
        "controls",
        "separation_lead_time",
    ]
    panels = [a["text"] for a in layout["annotations"]]
    assert panels == ["kz-separation-2030 (2030)", "eu-shortfall-2032 (2032)"]


def test_without_samples_only_the_summary_rows_are_fanned(tmp_path):
    outputs = load_risk_dir(write_risk_dir(tmp_path / "risk", samples_file=False))
    fans = odds_section(outputs, SOURCES).blocks[0]
    assert {t["meta"]["measure"] for t in fans.spec()["data"]} == {"kz_value", "china_share"}


def _report_html(risk_dir, lang: str = "en") -> str:
    with using(lang):
        report = build_report(
            [chain_run("alpha")],
            dataset=embedded_dataset(),
            rules=dataset_rules(),
            blocs=dataset_blocs(),
            extra=[risk_section(load_risk_dir(risk_dir))],
        )
        return render_html(report)


def test_the_report_holds_the_odds_with_real_numbers(risk_dir):
    html = _report_html(risk_dir)
    page = parse(html)
    assert "Odds: kazrareearth-2030" in page.texts
    specs = figure_specs(page)
    assert {f"risk-fans-{KEY}", f"risk-probability-{KEY}", f"risk-tornado-{KEY}"} <= set(specs)
    p50 = summary().query("metric == 'value_added_musd' and region == 'KZ' and year == 2030")
    kz = [t for t in specs[f"risk-fans-{KEY}"]["data"] if t["meta"]["measure"] == "kz_value"]
    median = next(t for t in kz if t["meta"]["quantile"] == "p50")
    assert median["y"][median["x"].index(2030)] == pytest.approx(float(p50["p50"].iloc[0]))
    assert format_percent(0.6) in page.texts


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_odds_are_translated(risk_dir, lang):
    html = _report_html(risk_dir, lang)
    assert untranslated(html, lang) == []
    with using(lang):
        shown = " ".join(format_percent(0.6).split())  # the page's text, spaces collapsed
        assert shown == {"ru": "60 %", "kk": "60%"}[lang]
        assert shown in parse(html).texts


def test_a_directory_without_its_files_is_a_one_line_error(tmp_path):
    with pytest.raises(KazreeError, match=r"no summary\.csv \(allowed: a directory kazree risk"):
        load_risk_dir(tmp_path)


def test_a_probability_out_of_range_is_a_one_line_error(risk_dir):
    (risk_dir / "targets.csv").write_text("target,year,probability_met\nt,2030,1.2\n")
    with pytest.raises(KazreeError, match=r"targets\.csv: probability_met '1\.2' \(allowed"):
        load_risk_dir(risk_dir)


def test_the_cli_adds_the_odds(risk_dir, tmp_path):
    run = chain_run("chain")
    directory = tmp_path / "chain"
    directory.mkdir()
    run.results.to_netcdf(directory / "results.nc", engine="h5netcdf")
    run.metrics.to_csv(directory / "metrics.csv", index=False)
    out = tmp_path / "report.html"
    args = ["report", "--results", str(directory), "--risk", str(risk_dir), "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert f"risk-tornado-{KEY}" in figure_specs(parse(out.read_text(encoding="utf-8")))


def test_the_cli_rejects_a_directory_that_is_not_a_risk_run(monkeypatch, capsys, tmp_path):
    out = tmp_path / "r.html"
    monkeypatch.setattr(
        sys, "argv", ["kazree", "report", "baseline", "--risk", str(tmp_path), "--out", str(out)]
    )
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"--risk {tmp_path}: no summary.csv" in err
    assert not out.exists()


def test_the_sources_of_the_laws_are_listed(risk_dir):
    section = odds_section(load_risk_dir(risk_dir), SOURCES)
    cited = next(b for b in section.blocks if b.id == f"risk-sources-{KEY}")
    assert isinstance(cited, TableBlock)
    assert [row[0] for row in cited.rows] == ["mckinsey_capex_2024"]
    assert cited.rows[0][4].startswith("https://www.mckinsey.com/")


def test_the_tornado_of_many_targets_fits_a_page_with_six_inputs_each():
    rows = [
        (f"target-{t}", 2030, f"input-{i}", "spearman", 0.9 - 0.1 * i, i + 1)
        for t in range(8)
        for i in range(9)
    ]
    sensitivity = pd.DataFrame(rows, columns=list(SENSITIVITY.columns))
    figure = tornado_figure(sensitivity)
    assert figure.layout.height <= 950
    assert [len(trace.y) for trace in figure.data] == [6] * 8
    assert list(figure.data[0].y) == [f"input-{i}" for i in range(5, -1, -1)]


def test_a_sample_count_that_is_not_a_number_is_a_one_line_error(risk_dir):
    info = json.loads((risk_dir / "risk.json").read_text())
    (risk_dir / "risk.json").write_text(json.dumps({**info, "samples": "many"}))
    with pytest.raises(KazreeError, match=r"risk\.json: samples 'many' \(allowed: a whole number"):
        load_risk_dir(risk_dir)


def test_a_result_in_memory_gives_the_section_its_directory_gives(tmp_path):
    from kazree.report.risk_view import risk_outputs
    from kazree.risk import risk
    from risk.known_case import known_yaml

    result = risk(known_yaml(tmp_path), samples=20, seed=3, workers=1)
    result.write(tmp_path / "out")
    held, read = risk_outputs(result), load_risk_dir(tmp_path / "out")
    assert (held.scenario, held.samples, held.seed, held.plan) == (
        read.scenario,
        read.samples,
        read.seed,
        read.plan,
    )
    held_blocks = odds_section(held, SOURCES).blocks
    read_blocks = odds_section(read, SOURCES).blocks
    assert [b.id for b in held_blocks] == [b.id for b in read_blocks]
    odds = [b for b in held_blocks if isinstance(b, TableBlock)]
    assert odds == [b for b in read_blocks if isinstance(b, TableBlock)]
    # the known case's target holds from 2032 in the futures whose plant runs by then
    met = result.targets().set_index(["target", "year"])["probability_met"]
    assert odds[0].rows[0][0] == "kz_oxide"
    assert odds[0].rows[0][odds[0].columns.index("2032")] == format_percent(met["kz_oxide", 2032])
    fans = {t["meta"]["measure"] for t in held_blocks[0].spec()["data"]}
    assert fans == {t["meta"]["measure"] for t in read_blocks[0].spec()["data"]}
