"""Figures in table cells: numbers the language's way, shares as percentages, a dash if absent."""

from __future__ import annotations

import numpy as np
import pytest

from kazree.i18n import MISSING, format_figure, format_share, using


@pytest.mark.parametrize(
    ("lang", "share", "figure"),
    [("en", "12.5", "1,234.57"), ("ru", "12,5", "1\N{NO-BREAK SPACE}234,57")],
)
def test_shares_and_figures_follow_the_language(lang: str, share: str, figure: str) -> None:
    with using(lang):
        assert format_share(0.125) == share
        assert format_share(np.float64(0.125)) == share
        assert format_figure(1234.567, digits=2) == figure
        assert format_figure(np.int64(7)) == "7"


@pytest.mark.parametrize("value", [float("nan"), None, "n/a"])
def test_what_is_not_a_number_is_written_as_missing(value: object) -> None:
    assert format_figure(value) == MISSING
    assert format_share(value, missing="-") == "-"
