"""Messages in English, Russian and Kazakh: gettext catalogs, and numbers and dates by locale.

Strings are marked with :func:`_` (or :func:`ngettext` for counts) as whole sentences with named
placeholders, ``_("{file}: {count} rows").format(file=..., count=...)``, so that a translator
can reorder them. The catalogs live in ``locales/<lang>/LC_MESSAGES/kazree.po`` beside this
module, compiled to ``.mo`` and committed (``make i18n`` extracts, updates and compiles them with
Babel). Numbers and dates are formatted with Babel's CLDR data for the chosen language.

The CLI chooses the language once per command (``--lang``, else ``KAZREE_LANG``, else English);
a server sets it per request with :func:`using`, since the choice is held in a context variable.
"""

from __future__ import annotations

import gettext as _gettext
import math
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from functools import cache
from numbers import Real
from pathlib import Path

from kazree.errors import KazreeError

DOMAIN = "kazree"
LANGUAGES: tuple[str, ...] = ("en", "ru", "kk")
"""Languages with a complete catalog; English is the source language."""
DEFAULT_LANGUAGE = "en"
ENV_VAR = "KAZREE_LANG"
DATE_FORMATS = {"en": "yyyy-MM-dd"}
"""Date pattern per language where it differs from the locale's medium form."""
LOCALE_DIR = Path(__file__).parent / "locales"

_current: ContextVar[str] = ContextVar("kazree_language", default=DEFAULT_LANGUAGE)


def check_language(code: str, *, where: str = "--lang") -> str:
    """``code`` lower-cased if it is one of :data:`LANGUAGES`; a one-line error otherwise."""
    lang = code.strip().lower().replace("_", "-").split("-")[0]
    if lang not in LANGUAGES:
        msg = _("{where} {code}: no catalog for this language (allowed: {languages})").format(
            where=where, code=repr(code), languages=", ".join(LANGUAGES)
        )
        raise KazreeError(msg)
    return lang


def set_language(code: str) -> None:
    """Use ``code`` (one of :data:`LANGUAGES`) for the messages of the current context."""
    _current.set(check_language(code))


@contextmanager
def using(code: str) -> Iterator[None]:
    """Use ``code`` for the messages inside the ``with`` block only."""
    token = _current.set(check_language(code))
    try:
        yield
    finally:
        _current.reset(token)


def language() -> str:
    """The language in use."""
    return _current.get()


@cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalog of ``lang`` (English: the messages as written)."""
    if lang == DEFAULT_LANGUAGE:
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang])


def _(message: str) -> str:
    """``message`` in the current language."""
    return translations(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of ``singular``/``plural`` for ``n`` in the current language."""
    return translations(language()).ngettext(singular, plural, n)


MISSING = "–"
"""What a table or sentence writes for a figure that is absent (NaN)."""


def format_number(value: float, *, digits: int = 0, missing: str = MISSING) -> str:
    """``value`` with the language's digit grouping and decimal sign, ``digits`` decimals;
    ``missing`` where it is not a finite number."""
    from babel.numbers import format_decimal

    if not math.isfinite(value):
        return missing
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=language())


def format_figure(value: object, *, digits: int = 0, missing: str = MISSING) -> str:
    """A table cell's ``value`` as :func:`format_number` writes it; ``missing`` where it is not
    a number (NaN, None, text)."""
    if isinstance(value, bool) or not isinstance(value, Real):
        return missing
    return format_number(float(value), digits=digits, missing=missing)


def format_share(value: object, *, missing: str = MISSING) -> str:
    """A share (0-1) as a percentage with one decimal and no sign (the column header says %);
    ``missing`` where it is not a number."""
    share = 100 * float(value) if isinstance(value, Real) else value
    return format_figure(share, digits=1, missing=missing)


def format_signed(value: float, *, digits: int = 0, missing: str = MISSING) -> str:
    """A difference with its sign: ``+1,250``, ``−3.5`` (a true minus sign), ``±0`` when it
    rounds to nothing; ``missing`` where it is not a finite number."""
    if not math.isfinite(value):
        return missing
    text = format_number(abs(value), digits=digits)
    if round(abs(value), digits) == 0:
        return "±" + text
    return ("+" if value > 0 else "\u2212") + text


def format_percent(share: float) -> str:
    """A share (0-1) as a whole percentage written the language's way (``50%``, ``50 %``)."""
    from babel.numbers import format_percent as babel_percent

    return babel_percent(share, locale=language())


def format_date(day: date) -> str:
    """``day`` as the language writes it: ``2025-06-01`` (English keeps ISO 8601, as the
    dataset and every CSV do), ``1 июн. 2025 г.``, ``2025 ж. 1 мау.``."""
    from babel.dates import format_date as babel_date

    return babel_date(day, format=DATE_FORMATS.get(language(), "medium"), locale=language())


def country_name(code: str, fallback: str) -> str:
    """The name of country ``code`` in the current language (CLDR), else ``fallback``."""
    if language() == DEFAULT_LANGUAGE:
        return fallback
    from babel import Locale

    return str(Locale.parse(language()).territories.get(code, fallback))
