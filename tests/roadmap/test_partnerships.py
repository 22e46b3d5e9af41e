"""Consortium terms: offtake concentration by hand, shipped configurations, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kazree.cli import app
from kazree.errors import KazreeError
from kazree.roadmap.partnerships import Consortium, load_consortium, offtake_concentration
from user_errors import user_error


def consortium(offtakes: dict[str, float]) -> Consortium:
    partners = [{"id": "kz", "name": "state", "country": "KZ", "offtake_pct": {"NdPr": 20}}]
    partners += [
        {"id": c.lower(), "name": c, "country": c, "offtake_pct": {"NdPr": pct}}
        for c, pct in offtakes.items()
    ]
    return Consortium.model_validate({"name": "t", "projects": ["p"], "partners": partners})


def test_spreading_offtake_over_several_partners_lowers_the_hhi_as_by_hand() -> None:
    one = offtake_concentration(consortium({"US": 60})).iloc[0]
    assert one["offtake_hhi"] == pytest.approx(10_000)
    assert one["domestic_pct"] == 20
    assert one["largest_share_pct"] == pytest.approx(100)
    spread = offtake_concentration(consortium({"US": 30, "JP": 20, "DE": 10})).iloc[0]
    # exported 60 %: US 50 %, JP 33.3 %, DE 16.7 % of it
    by_hand = 50.0**2 + (200 / 6) ** 2 + (100 / 6) ** 2
    assert spread["offtake_hhi"] == pytest.approx(by_hand, rel=1e-12)
    assert spread["offtake_hhi"] < one["offtake_hhi"]
    assert spread["largest_country"] == "US"


def test_partners_of_one_country_pool_their_offtake() -> None:
    c = Consortium.model_validate(
        {
            "name": "t",
            "projects": ["p"],
            "partners": [
                {"id": "a", "name": "a", "country": "JP", "offtake_pct": {"Dy": 30}},
                {"id": "b", "name": "b", "country": "JP", "offtake_pct": {"Dy": 30}},
                {"id": "c", "name": "c", "country": "KR", "offtake_pct": {"Dy": 40}},
            ],
        }
    )
    row = offtake_concentration(c).iloc[0]
    assert row["offtake_hhi"] == pytest.approx(60.0**2 + 40.0**2)


def test_the_shipped_configurations_load_with_the_named_partner_countries() -> None:
    techno = load_consortium("technopolis")
    assert {p.country for p in techno.partners} == {"KZ", "US", "CN", "TR", "KR", "DE", "JP"}
    assert sum(p.equity_pct for p in techno.partners) == pytest.approx(100)
    turkic = load_consortium("turkic-ree")
    assert {p.country for p in turkic.partners} <= {"KZ", "TR", "UZ", "KG", "AZ"}
    dy = offtake_concentration(techno).set_index("product").loc["Dy"]
    assert dy["offtake_hhi"] == pytest.approx(
        sum((100 * x / 90) ** 2 for x in (10, 20, 20, 40)), rel=1e-12
    )


def test_a_partner_without_a_country_is_a_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("name: x\nprojects: [p]\npartners:\n  - {id: a, name: A, equity_pct: 10}\n")
    with pytest.raises(
        KazreeError,
        match=r"c\.yaml: partners\[0\]\.country: a value is required \(allowed: id, name, country,",
    ):
        load_consortium(str(path))
    path.write_text(
        "name: x\nprojects: [p]\npartners:\n  - {id: a, name: A, country: Kazakhstan}\n"
    )
    err = user_error(monkeypatch, capsys, "partners", str(path))
    assert "c.yaml: partners[0].country: 'Kazakhstan'" in err
    assert "ISO 3166" in err


def test_offtake_above_100_pct_and_unknown_names_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "name: x\nprojects: [p]\npartners:\n"
        "  - {id: a, name: A, country: US, offtake_pct: {NdPr: 70}}\n"
        "  - {id: b, name: B, country: JP, offtake_pct: {NdPr: 40}}\n"
    )
    with pytest.raises(KazreeError, match="offtake_pct of NdPr sum to 110 %"):
        load_consortium(str(path))
    with pytest.raises(KazreeError, match="shipped: technopolis, turkic-ree"):
        load_consortium("atlantis")


def test_cli_prints_partners_and_concentration() -> None:
    r = CliRunner().invoke(app, ["partners", "turkic-ree"])
    assert r.exit_code == 0, r.output
    assert "Eti Maden" in r.output
    assert "HHI" in r.output
