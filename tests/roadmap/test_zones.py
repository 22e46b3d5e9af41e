"""Priority zones on the embedded dataset: credited claims, robustness, CLI and bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from kazree.cli import app
from kazree.data import load_dataset
from kazree.errors import KazreeError
from kazree.roadmap.zones import (
    SiteKind,
    ZoneRanking,
    default_weights,
    load_weights,
    rank_zones,
    top_sites,
)
from kazree.roadmap.zones.sites import decision_table
from user_errors import user_error

runner = CliRunner()


@pytest.fixture(scope="module")
def result() -> ZoneRanking:
    return rank_zones(load_dataset(), default_weights(), samples=400, seed=3)


def test_credited_reo_caps_a_claim_at_what_its_ore_and_grade_can_hold() -> None:
    table = decision_table(load_dataset(), SiteKind.DEPOSIT, default_weights().claim_discount)
    credited = dict(zip(table.sites, table.values[:, 0], strict=True))
    # 20 Mt x 700 g/t = 14,000 t, times none-code 0.4 x prognostic 0.2 x low 0.5
    assert credited["kz-zhana-kazakhstan"] == pytest.approx(14_000 * 0.4 * 0.2 * 0.5)
    # 795,800 t, a preliminary (prognostic) estimate under no code, medium confidence:
    # 0.4 x 0.2 x 0.8
    assert credited["kz-kuirektykol-irgiz"] == pytest.approx(795_800 * 0.064)
    assert np.isnan(credited["kz-tulen"])


def test_the_best_supported_claim_ranks_first_and_ulba_leads_processing(
    result: ZoneRanking,
) -> None:
    ranking = result.ranking
    first = ranking[ranking["rank"] == 1].groupby("kind")["site"].agg(set)
    # both Kuirektykol claims are prognostic, uncoded, medium confidence: the larger one leads
    assert first["deposit"] == {"kz-kuirektykol-forecast"}
    assert first["processing"] == {"ulba-magnet-recycling"}


def test_robustness_shares_sum_to_one_per_rank_and_per_site(result: ZoneRanking) -> None:
    shares: pd.DataFrame = result.shares
    per_rank = shares.groupby(["kind", "method", "rank"])["share"].sum()
    per_site = shares.groupby(["kind", "method", "site"])["share"].sum()
    assert np.allclose(per_rank, 1.0)
    assert np.allclose(per_site, 1.0)
    ranking = result.ranking
    assert (ranking["first_share"] <= ranking["top3_share"] + 1e-12).all()


def test_criteria_without_any_source_are_reported_not_silently_used(result: ZoneRanking) -> None:
    unused = result.unused
    reasons = dict(zip(unused["criterion"] + "/" + unused["kind"], unused["reason"], strict=True))
    assert reasons["magnet_ree_share_pct/deposit"] == "no sourced value for any site"
    used = result.criteria
    imputed = used[used["imputed"]]
    assert set(imputed["basis"]) == {"gap: worst value among the sites"}
    assert used.loc[~used["imputed"], "source"].notna().all()


def test_cli_prints_both_kinds_and_writes_csv(tmp_path: Path) -> None:
    out = tmp_path / "zones"
    r = runner.invoke(app, ["zones", "--samples", "50", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "kz-kuirektykol-irgiz" in r.output
    assert "ulba-magnet-recycling" in r.output
    written = pd.read_csv(out / "zones.csv")
    assert set(written["method"]) == {"wsm", "topsis"}
    assert (out / "zone_rank_shares.csv").is_file()


def _weights_file(tmp_path: Path, deposit_line: str) -> Path:
    text = (
        (Path(__file__).parents[2] / "src/kazree/roadmap/files/zone_weights.yaml")
        .read_text()
        .replace("  credited_reo_t: 0.30", deposit_line)
    )
    path = tmp_path / "w.yaml"
    path.write_text(text)
    return path


def test_weights_that_do_not_sum_to_one_are_a_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _weights_file(tmp_path, "  credited_reo_t: 0.25")
    with pytest.raises(KazreeError, match=r"w\.yaml: deposit: weights sum to 0\.95"):
        load_weights(path)
    err = user_error(monkeypatch, capsys, "zones", "--weights", str(path))
    assert "w.yaml: deposit" in err
    assert "0.95" in err


def test_unknown_criterion_and_method_are_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _weights_file(tmp_path, "  contained_gold_t: 0.30")
    with pytest.raises(KazreeError, match="unknown criterion 'contained_gold_t'"):
        load_weights(path)
    err = user_error(monkeypatch, capsys, "zones", "--method", "ahp")
    assert "--method 'ahp'" in err


def test_top_sites_keep_ties_together(result: ZoneRanking) -> None:
    assert top_sites(result, SiteKind.DEPOSIT, 2) == (
        "kz-kuirektykol-forecast",
        "kz-kuirektykol-irgiz",
    )
    tied = top_sites(result, SiteKind.DEPOSIT, 6)
    assert len(tied) == 12  # seven sites share rank 6: no claim and no other sourced value
    assert top_sites(result, SiteKind.PROCESSING, 1) == ("ulba-magnet-recycling",)


def test_without_weight_samples_the_robustness_columns_are_blank() -> None:
    r = runner.invoke(app, ["zones", "--samples", "0"])
    assert r.exit_code == 0, r.output
    assert "nan" not in r.output
    assert "kz-kuirektykol-irgiz" in r.output
