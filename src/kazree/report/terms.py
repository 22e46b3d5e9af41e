"""The report's words for the model's codes (stages, sectors) and its glossary of terms of art."""

from __future__ import annotations

from kazree.i18n import _


def stage_names() -> dict[str, str]:
    """Stage code -> its name in the current language."""
    return {
        "all": _("all stages"),
        "mining": _("mining"),
        "cracking": _("cracking"),
        "separation": _("separation"),
        "metal": _("metal making"),
        "magnet": _("magnet making"),
        "end_use": _("end use"),
    }


def sector_names() -> dict[str, str]:
    """End-use sector code -> its name in the current language."""
    return {
        "ev_traction": _("electric-vehicle motors"),
        "wind": _("wind turbines"),
        "industrial_motors": _("industrial motors"),
        "electronics": _("electronics"),
        "defence": _("defence"),
        "catalysts": _("catalysts"),
        "glass_polishing": _("glass and polishing"),
        "phosphors": _("phosphors"),
        "metallurgy": _("metallurgy"),
        "other": _("other uses"),
    }


def glossary() -> tuple[tuple[str, str], ...]:
    """(term, meaning) for every term of art the report uses, in the current language."""
    return (
        (
            _("REO, t REO-eq"),
            _(
                "Rare-earth oxide: tonnages of ore, concentrate, oxide, metal and magnet are "
                "counted as the rare-earth oxide they contain (tonnes of REO equivalent)."
            ),
        ),
        (
            _("magnet REE"),
            _(
                "The four rare earths of NdFeB permanent magnets: neodymium (Nd), praseodymium "
                "(Pr), dysprosium (Dy) and terbium (Tb)."
            ),
        ),
        (
            _("stages"),
            _(
                "Mining, cracking (ore to mixed concentrate), separation (into single oxides), "
                "metal making, magnet making and end use."
            ),
        ),
        (
            _("HHI"),
            _(
                "Herfindahl-Hirschman index: the sum of squared percentage shares, from near 0 "
                "(many small suppliers) to 10,000 (one supplier); above 2,500 is highly "
                "concentrated."
            ),
        ),
        (
            _("export-partner HHI"),
            _("The HHI of a country's exports over the countries that buy them."),
        ),
        (
            _("exposure to China"),
            _(
                "The share of a region's magnet supply that passed through China at any stage, "
                "traced in proportion from mine to magnet."
            ),
        ),
        (
            _("unmet demand, shortfall"),
            _(
                "Demand the market does not serve at the clearing price: the buyers who would "
                "pay less than it go without."
            ),
        ),
        (
            _("value added"),
            _(
                "The value of a country's output at model prices less the value of its inputs, "
                "in million USD."
            ),
        ),
        (
            _("counterfactual"),
            _(
                "The scenario a roadmap scenario is judged against: the same world (the same "
                "export controls) without the roadmap. Differences to it are the roadmap's "
                "effect."
            ),
        ),
        (
            _("market-clearing price, shadow price"),
            _(
                "The price at which supply meets price-elastic demand in the model: the dual "
                "value (shadow price) of a product's balance. Shown in the appendix."
            ),
        ),
        (
            _("objective"),
            _(
                "The quantity the model minimises: minus the welfare (what buyers value less what "
                "supply costs), in USD; a model-internal figure. Shown in the appendix."
            ),
        ),
    )
