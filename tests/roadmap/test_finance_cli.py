"""``kazree finance``: the report, the files it writes and one-line errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from kazree.cli import app
from user_errors import user_error

EXAMPLES = Path(__file__).parents[2] / "scenarios" / "roadmap"
PROJECT = str(EXAMPLES / "projects" / "kz-mine-to-oxide.yaml")
runner = CliRunner()


def test_finance_prints_the_summary_and_bankability_and_writes_files(tmp_path: Path) -> None:
    args = [
        "finance",
        PROJECT,
        "--stack",
        str(EXAMPLES / "stacks" / "blended.yaml"),
        "--offtake",
        str(EXAMPLES / "offtakes" / "ndpr-floor.yaml"),
        "--out",
        str(tmp_path),
    ]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    assert "sponsor equity IRR" in r.output
    assert "commercial debt only" in r.output
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["project"] == "kz-mine-to-oxide"
    assert summary["debt_share"] == pytest.approx(0.60)
    assert summary["grant_share"] == pytest.approx(0.03)
    flows = pd.read_csv(tmp_path / "cashflow.csv")
    assert flows["year"].tolist() == list(range(2027, 2051))
    assert flows["capex_musd"].sum() == pytest.approx(549.6)
    table = pd.read_csv(tmp_path / "bankability.csv")
    assert set(table["case"]) >= {"all equity", "commercial debt only"}


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_a_stack_whose_shares_exceed_100_pct_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stack = _write(
        tmp_path,
        "over.yaml",
        "tranches:\n  - {kind: commercial_debt, share_pct: 70}\n  - {kind: grant, share_pct: 40}\n",
    )
    err = user_error(monkeypatch, capsys, "finance", PROJECT, "--stack", stack)
    assert "over.yaml" in err
    assert "share_pct sum to 110 %" in err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["no-such-plant"], "unknown facility 'no-such-plant'"),
        (["sareco-stepnogorsk"], "facility sareco-stepnogorsk: opex_usd_per_kg"),
        ([PROJECT, "--prices", "moon"], "--prices 'moon'"),
        ([PROJECT, "--prices", "-3"], "not positive"),
    ],
)
def test_bad_projects_and_prices_are_one_line_errors(
    args: list[str],
    expected: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert expected in user_error(monkeypatch, capsys, "finance", *args)


def test_bad_tranches_and_offtakes_name_file_and_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stack = _write(
        tmp_path,
        "s.yaml",
        "tranches:\n  - {kind: concessional_debt, institution: Nobody, share_pct: 10}\n",
    )
    err = user_error(monkeypatch, capsys, "finance", PROJECT, "--stack", stack)
    assert "s.yaml: tranches[0].institution: 'Nobody'" in err
    bullet = _write(
        tmp_path,
        "b.yaml",
        "tranches:\n  - {kind: commercial_debt, share_pct: 60, repayment: bullet}\n",
    )
    err = user_error(monkeypatch, capsys, "finance", PROJECT, "--stack", bullet)
    assert "b.yaml: tranches[0].repayment: 'bullet'" in err
    assert "sculpted" in err
    offtake = _write(
        tmp_path,
        "o.yaml",
        "offtakes:\n  - {offtaker: x, share_pct: 50, tenor_years: 5, formula: market,"
        " floor_usd_per_kg: 120, cap_usd_per_kg: 90}\n",
    )
    err = user_error(monkeypatch, capsys, "finance", PROJECT, "--offtake", offtake)
    assert "o.yaml: offtakes[0]" in err
    assert "floor_usd_per_kg 120.0 is above cap_usd_per_kg 90.0" in err
    project = _write(tmp_path, "p.yaml", "id: p\nstage: mining\ncapacity_t: -5\n")
    err = user_error(monkeypatch, capsys, "finance", project)
    assert "p.yaml: capacity_t: -5" in err


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_finance_and_partners_speak_the_chosen_language(lang: str) -> None:
    from kazree.i18n import _, using

    stack = str(EXAMPLES / "stacks" / "blended.yaml")
    wide = {"COLUMNS": "200"}
    finance = runner.invoke(app, ["--lang", lang, "finance", PROJECT, "--stack", stack], env=wide)
    partners = runner.invoke(app, ["--lang", lang, "partners", "technopolis"], env=wide)
    assert finance.exit_code == 0, finance.output
    assert partners.exit_code == 0, partners.output
    english = ("sponsor equity IRR", "price path", "commercial debt only", "Fiscal terms")
    for words in english:
        assert words not in finance.stdout
    for words in ("partners (projects", "contracted %", "technology transfer", "Offtake"):
        assert words not in partners.stdout
    with using(lang):
        assert _("sponsor equity IRR") in finance.stdout
        assert _("commercial debt only") in finance.stdout
        assert _("technology transfer") in partners.stdout
        assert _("contracted %") in partners.stdout
