"""A report written in Russian or Kazakh shows no English string of the catalog."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po
from report_chain import BLOCS, chain_run
from report_html import visible_texts

from kazree.data import load_dataset
from kazree.i18n import DOMAIN, LOCALE_DIR, using
from kazree.policy.rules import dataset_rules
from kazree.report import ScenarioRun, build_report, render_html

PLACEHOLDER = re.compile(r"\\\{\w+\\\}")


def english_patterns(lang: str) -> list[tuple[str, re.Pattern[str]]]:
    """(msgid, pattern matching it with any placeholder values) for every catalog message whose
    translation differs from the English."""
    with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    patterns = []
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            if not msgid or msgid in strings:
                continue
            body = PLACEHOLDER.sub(".+?", re.escape(msgid))
            # A one-word message counts only as a whole text; longer ones anywhere in a text.
            whole = " " not in msgid
            patterns.append((msgid, re.compile(f"^{body}$" if whole else body)))
    return patterns


SOURCES = re.compile(r'<section id="sources".*?</section>', re.DOTALL)
"""The sources table quotes publications' own titles, in their own language."""


def untranslated(html: str, lang: str) -> list[str]:
    """Catalog messages left in English in ``html`` (outside the sources table)."""
    texts = visible_texts(SOURCES.sub("", html))
    return sorted(
        msgid
        for msgid, pattern in english_patterns(lang)
        if any(pattern.search(text) for text in texts)
    )


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
