"""``kazree report --plan A --plan B``: two plans of the same targets are set side by side."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from report_html import untranslated
from typer.testing import CliRunner

from kazree.cli import app
from kazree.i18n import format_number, using
from small_plan import announced_yaml

runner = CliRunner()


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The least-cost and the announced plan of the small instance, as kazree plan wrote them."""
    folder = tmp_path_factory.mktemp("plans")
    dirs = []
    for path in announced_yaml(folder):
        out = folder / path.stem
        result = runner.invoke(app, ["plan", str(path), "--out", str(out)])
        assert result.exit_code == 0, result.output
        dirs.append(out)
    return dirs[0], dirs[1]


def test_the_report_compares_the_plans_in_russian(plans: tuple[Path, Path], tmp_path: Path) -> None:
    least, announced = plans
    out = tmp_path / "report.html"
    args = ["report", "--plan", str(least), "--plan", str(announced), "--lang", "ru"]
    result = runner.invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "Сравнение планов дорожной карты" in html
    assert '<section id="plans-compared"' in html
    assert 'id="plan-compare"' in html
    capex = pd.read_csv(announced / "plan.csv")["capex_musd"].sum()
    with using("ru"):
        assert format_number(float(capex), digits=0) in html
        assert "выполнена в 2026" in html
    assert untranslated(html, "ru") == []
