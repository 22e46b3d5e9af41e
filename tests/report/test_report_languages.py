"""A report written in Russian or Kazakh shows no English string of the catalog."""

from __future__ import annotations

import pytest
from report_chain import BLOCS, chain_run
from report_html import untranslated

from kazree.data import load_dataset
from kazree.i18n import using
from kazree.policy.rules import dataset_rules
from kazree.report import ScenarioRun, build_report, render_html


def pair() -> list[ScenarioRun]:
    roadmap = chain_run("roadmap", scale=2.0)
    results = roadmap.results.copy()
    results.attrs["counterfactual"] = "status-quo"
    return [
        ScenarioRun("roadmap", results, roadmap.metrics, roadmap.assumptions),
        chain_run("status-quo"),
    ]


def written(lang: str) -> str:
    with using(lang):
        report = build_report(pair(), dataset=load_dataset(), rules=dataset_rules(), blocs=BLOCS)
        return render_html(report)


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_no_catalog_string_is_left_in_english(lang):
    html = written(lang)
    assert f'<html lang="{lang}">' in html
    assert untranslated(html, lang) == []


def test_the_check_finds_english_strings():
    # Control: the English report is full of the catalog's messages.
    found = untranslated(written("en"), "ru")
    assert "The answer at a glance" in found
    assert "Glossary" in found
    assert len(found) > 40
