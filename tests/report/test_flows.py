"""The Sankey's links: hand-computed on the test chain, and mass invariants."""

from __future__ import annotations

import pytest

from kazree.report.flows import sankey_figure, sankey_links


def _link(links, source, target) -> float:
    rows = links[
        (links["source_stage"] == source[0])
        & (links["source_country"] == source[1])
        & (links["target_stage"] == target[0])
        & (links["target_country"] == target[1])
    ]
    return float(rows["value_t"].sum())


def test_links_follow_the_chain_by_hand(results):
    links = sankey_links(results, 2024)
    assert _link(links, ("mining", "US"), ("cracking", "CN")) == pytest.approx(100)
    assert _link(links, ("mining", "KZ"), ("cracking", "CN")) == pytest.approx(20)
    assert _link(links, ("mining", "CN"), ("cracking", "CN")) == pytest.approx(300)
    # Cracking output 420 t feeds separators that make 400 t: only what separation uses is drawn.
    assert _link(links, ("cracking", "CN"), ("separation", "CN")) == pytest.approx(400)
    assert _link(links, ("separation", "CN"), ("metal", "CN")) == pytest.approx(40)
    assert _link(links, ("separation", "CN"), ("metal", "JP")) == pytest.approx(30)
    # La oxide goes straight to catalysts (200 t of China's end use), the rest is surplus.
    assert _link(links, ("separation", "CN"), ("end_use", "CN")) == pytest.approx(200)
    assert _link(links, ("metal", "JP"), ("magnet", "JP")) == pytest.approx(30)
    assert _link(links, ("magnet", "JP"), ("end_use", "US")) == pytest.approx(30)
    assert _link(links, ("magnet", "CN"), ("end_use", "CN")) == pytest.approx(40)
    assert _link(links, ("magnet", "JP"), ("end_use", "JP")) == 0
    assert (links["value_t"] > 0).all()


def test_links_scale_with_the_year_and_never_exceed_output(results):
    first, later = sankey_links(results, 2024), sankey_links(results, 2030)
    assert later["value_t"].sum() == pytest.approx(2 * first["value_t"].sum())
    output = results["stage_output"].sel(year=2030).sum("element")
    out_of = later.groupby(["source_stage", "source_country"])["value_t"].sum()
    for (stage, country), value in out_of.items():
        assert value <= float(output.sel(stage=stage, country=country)) + 1e-9
    into = later.groupby(["target_stage", "target_country"])["value_t"].sum()
    for (stage, country), value in into.items():
        if stage not in ("end_use",):
            assert value == pytest.approx(float(output.sel(stage=stage, country=country)))
    end_use = output.sel(stage="end_use")
    for (stage, country), value in into.items():
        if stage == "end_use":
            assert value <= float(end_use.sel(country=country)) + 1e-9


def test_figure_nodes_and_link_values(results):
    links = sankey_links(results, 2024)
    trace = sankey_figure(links, scenario="chain", year=2024).data[0]
    labels = list(trace.node.label)
    assert labels[0] == "mining · CN"
    assert "end use · US" in labels
    assert sorted(trace.link.value) == sorted(links["value_t"].tolist())
    us_mine = labels.index("mining · US")
    assert [
        v for s, v in zip(trace.link.source, trace.link.value, strict=True) if s == us_mine
    ] == [pytest.approx(100)]
