"""The dashboard's messages: found in its pages and scripts, translated from the gettext catalogs.

The dashboard has no catalog of its own. Its labels are marked in ``index.html`` with
``data-i18n`` (and ``data-i18n-attrs`` for attributes) and in its scripts with ``t("...")`` and
``tn("...", "...", n)``; ``make i18n`` extracts them into ``kazree.pot`` beside the Python
messages (``babel.cfg`` names :func:`extract_html` and :data:`JS_KEYWORDS`), translators fill
them in the ``.po`` files, and :func:`dashboard_catalog` serves the compiled ``.mo`` entries of
those messages to the browser as JSON.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_keywords
from babel.messages.mofile import read_mo

from kazree.i18n import DEFAULT_LANGUAGE, DOMAIN, LOCALE_DIR

STATIC = Path(__file__).parent / "static"
JS_KEYWORDS = ("t", "tn:1,2")
"""The script functions whose string arguments are messages (``babel.cfg`` lists the same)."""
METHOD_MAP = [("**.js", "javascript"), ("**.html", "kazree.web.messages:extract_html")]
_SPACE = re.compile(r"\s+")

Message = str | tuple[str, str]
"""A message id: a string, or the singular and plural of a count."""


class _MarkedText(HTMLParser):
    """Collects the messages of ``data-i18n`` elements and ``data-i18n-attrs`` attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._open: tuple[int, str, list[str]] | None = None  # line, tag, text of an element

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        if self._open is not None:
            msg = f"line {line}: <{tag}> inside a data-i18n element without an explicit message"
            raise ValueError(msg)
        values = {name: value or "" for name, value in attrs}
        for name in values.get("data-i18n-attrs", "").split():
            self.found.append((line, values[name]))
        if "data-i18n" in values:
            if values["data-i18n"]:
                self.found.append((line, values["data-i18n"]))
            else:
                self._open = (line, tag, [])

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open[2].append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open is not None and tag == self._open[1]:
            line, _, text = self._open
            self.found.append((line, normalised("".join(text))))
            self._open = None


def normalised(text: str) -> str:
    """``text`` with its runs of white space as one space, trimmed, as the page's script reads
    an element's text."""
    return _SPACE.sub(" ", text).strip()


def extract_html(
    fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str], options: Any
) -> Iterator[tuple[int, None, str, list[str]]]:
    """Babel extractor for the dashboard's HTML: an element's ``data-i18n`` value, or its text
    when the value is empty, and the values of the attributes its ``data-i18n-attrs`` names."""
    parser = _MarkedText()
    parser.feed(fileobj.read().decode("utf-8"))
    parser.close()
    for line, message in parser.found:
        yield line, None, message, []


@cache
def dashboard_messages() -> tuple[Message, ...]:
    """Every message of the dashboard's page and scripts, in the order found."""
    found = extract_from_dir(
        str(STATIC),
        method_map=METHOD_MAP,
        options_map={"**.js": {"keywords": parse_keywords(JS_KEYWORDS)}},
        keywords={},
    )
    messages: dict[Message, None] = {}
    for _, _, message, _, _ in found:
        messages[message if isinstance(message, str) else (message[0], message[1])] = None
    return tuple(messages)


@cache
def dashboard_catalog(lang: str) -> Mapping[str, str | list[str]]:
    """The dashboard's messages in ``lang`` (a checked language): a string for each message, the
    plural forms (in the catalog's order) for each count; English is empty, as written."""
    if lang == DEFAULT_LANGUAGE:
        return {}
    with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as handle:
        compiled = read_mo(handle)
    out: dict[str, str | list[str]] = {}
    for message in dashboard_messages():
        entry = compiled.get(message if isinstance(message, str) else message[0])
        if entry is None or not entry.string:
            continue
        key = message if isinstance(message, str) else message[0]
        out[key] = entry.string if isinstance(entry.string, str) else list(entry.string)
    return out
