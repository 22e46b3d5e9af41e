"""The Russian and Kazakh catalogs are complete and compiled, and the CLI speaks them."""

from __future__ import annotations

import gettext
import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from typer.testing import CliRunner

from kazree.cli import app
from kazree.i18n import (
    DOMAIN,
    LANGUAGES,
    LOCALE_DIR,
    format_date,
    format_number,
    format_percent,
    language,
    using,
)

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "kazree"
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]
PLACEHOLDER = re.compile(r"\{(\w*)[^}]*\}")


def source_messages() -> set[str]:
    """Every msgid marked in the source (Python, the dashboard's scripts and page), extracted by
    Babel with the project's mapping, as ``make i18n`` does."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = extract_from_dir(str(SOURCE), method_map=method_map, options_map=options_map)
    return {m[2] if isinstance(m[2], str) else m[2][0] for m in found}


def catalog(lang: str) -> Catalog:
    with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def key(message_id: str | tuple[str, ...]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def test_the_source_has_messages_to_translate() -> None:
    assert {"in force", "Order book {instrument}", "Scenarios"} <= source_messages()
    assert len(source_messages()) > 50


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_catalog_is_complete(lang: str) -> None:
    po = catalog(lang)
    entries = {key(m.id): m for m in po if m.id}
    assert source_messages() - set(entries) == set(), "run make i18n and translate"
    assert set(entries) - source_messages() == set(), "messages no longer in the source"
    assert not po.obsolete
    for msgid, message in entries.items():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(s.strip() for s in strings), f"untranslated: {msgid!r}"
        assert not message.fuzzy, f"fuzzy: {msgid!r}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_every_placeholder(lang: str) -> None:
    for message in catalog(lang):
        if not message.id:
            continue
        wanted = set(PLACEHOLDER.findall(key(message.id)))
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) == wanted, (message.id, text)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_compiled_catalog_matches_its_source(lang: str) -> None:
    compiled = gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang])
    for message in catalog(lang):
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            for n in (1, 2, 5, 21):
                got = compiled.ngettext(message.id[0], message.id[1], n)
                assert got in message.string, (message.id, n)
            assert compiled.ngettext(message.id[0], message.id[1], 1) == message.string[0]
        else:
            assert compiled.gettext(message.id) == message.string, "run make i18n"


def test_numbers_and_dates_follow_the_language() -> None:
    day = date(2025, 6, 1)
    assert (format_number(1234567.891, digits=1), format_date(day)) == ("1,234,567.9", "2025-06-01")
    with using("ru"):
        assert format_number(1234567.891, digits=1) == "1\xa0234\xa0567,9"
        assert format_date(day) == "1 июн. 2025\u202fг."
        assert format_percent(0.5) == "50\xa0%"
    with using("kk"):
        assert format_number(1234567.891, digits=1) == "1\xa0234\xa0567,9"
        assert format_date(day) == "2025\u202fж. 01 мау."
    assert language() == "en"


def test_the_cli_speaks_russian_and_kazakh() -> None:
    runner = CliRunner()
    ru = runner.invoke(app, ["--lang", "ru", "controls", "--exporter", "KZ", "--on", "2025-06-01"])
    assert ru.exit_code == 0, ru.output
    assert ru.stdout.startswith(
        "Казахстан (KZ): на 1 июн. 2025\u202fг. правил экспортного контроля"
    )
    kk = runner.invoke(
        app, ["controls", "--exporter", "KZ", "--on", "2025-06-01"], env={"KAZREE_LANG": "kk"}
    )
    assert kk.exit_code == 0, kk.output
    assert kk.stdout.startswith("Қазақстан (KZ): 2025\u202fж. 01 мау. күні")


@pytest.mark.parametrize("lang", TRANSLATED)
def test_a_translated_table_leaves_no_header_or_status_in_english(lang: str) -> None:
    result = CliRunner().invoke(
        app, ["--lang", lang, "controls", "--exporter", "CN", "--on", "2025-12-01"]
    )
    assert result.exit_code == 0, result.output
    english = ("instrument", "licence share", "destinations", "in force", "suspended (by")
    for word in english:
        assert word not in result.stdout
    with using(lang):
        from kazree.i18n import _

        assert _("licence share") in result.stdout
