"""Names of countries and regions in the report's language, in place of their codes."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from kazree.i18n import _, country_name

OTHER_COUNTRIES = "ZZ"
"""The dataset's code for the rest of the world (the USGS remainder)."""


def bloc_names() -> dict[str, str]:
    """Names of the aggregate regions of the metrics, in the current language."""
    return {
        "world": _("world"),
        "EU": _("European Union"),
        "EAEU": _("Eurasian Economic Union"),
        "G7": _("G7"),
        "ASEAN": _("ASEAN"),
        "OTS": _("Organization of Turkic States"),
        "CA5": _("Central Asia (C5)"),
        OTHER_COUNTRIES: _("other countries"),
    }


def place_names(countries: pd.DataFrame) -> dict[str, str]:
    """Code -> name of every country of the dataset's ``countries`` table and every bloc, in
    the current language (CLDR names for countries, the table's English names as fallback)."""
    names = {
        str(code): country_name(str(code), str(name))
        for code, name in zip(countries["code"], countries["name"], strict=True)
    }
    return names | bloc_names()


def place(names: Mapping[str, str], code: str) -> str:
    """The name of ``code`` (the code itself when it has none)."""
    return names.get(code, code)
