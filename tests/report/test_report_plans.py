"""``kazree report --plan A --plan B``: two plans of the same targets are set side by side."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from report_html import untranslated
from typer.testing import CliRunner

from kazree.cli import app
from kazree.data import load_dataset
from kazree.i18n import format_number, using
from kazree.metrics.groups import dataset_blocs
from kazree.policy.rules import dataset_rules
from kazree.report import build_report, load_run_dir
from kazree.report.build import slug
from kazree.report.document import TableBlock
from kazree.report.plan_compare import plan_sections
from kazree.report.plan_view import load_plan_dir
from kazree.roadmap.finance.plan import PLAN_GEARING_PCT, plan_finance
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


def test_the_plan_section_shows_each_builds_finance_as_kazree_finance_computes_it(
    plans: tuple[Path, Path],
) -> None:
    least, _announced = plans
    outputs = load_plan_dir(least)
    report = build_report(
        [load_run_dir(least)],
        dataset=load_dataset(),
        rules=dataset_rules(),
        blocs=dataset_blocs(),
        extra=plan_sections([outputs]),
    )
    key = slug(outputs.scenario)
    blocks = {b.id: b for s in report.sections for b in s.blocks}
    table = blocks[f"plan-finance-{key}"]
    assert isinstance(table, TableBlock)
    frame = plan_finance(load_dataset(), least)
    assert len(frame) == len(pd.read_csv(least / "plan.csv")) >= 1
    priced = frame[frame["npv_musd"].notna()]
    assert len(priced) >= 1
    rows = {r[0]: r for r in table.rows}
    assert sorted(rows) == sorted(frame["candidate"])
    header = list(table.columns)
    for r in priced.itertuples():
        row = rows[r.candidate]
        assert row[header.index("NPV M US$")] == format_number(r.npv_musd)
        assert row[header.index("project IRR %")] == format_number(100 * r.project_irr, digits=1)
        assert row[header.index("min DSCR")] == format_number(r.min_dscr, digits=2)
        assert row[header.index("capex M US$")] == format_number(r.capex_musd, digits=1)
    assert "the plan's own" in table.caption
    assert f"{PLAN_GEARING_PCT:g} % by its financing source" in table.caption
    assert blocks[f"plan-finance-sources-{key}"].text.strip()
