"""Kazakhstan's fiscal terms and the default terms of capital-stack tranches, from the dataset."""

from __future__ import annotations

from dataclasses import dataclass

from kazree.data.loader import Dataset
from kazree.data.rows import FiscalTerm, InstrumentKind, InstrumentTerm
from kazree.errors import KazreeError


@dataclass(frozen=True)
class FiscalRegime:
    """The fiscal terms a project's cash flows are taxed under (fractions, not %)."""

    corporate_income_tax: float
    met_high: float
    """Top of the published MET range for rare and rare-earth metals."""
    met_holiday_years: float
    technogenic_factor: float
    depreciation_buildings: float
    depreciation_machinery: float
    sources: tuple[str, ...]


def fiscal_regime(dataset: Dataset) -> FiscalRegime:
    """The regime in ``fiscal_terms``; a missing term is an error naming it."""
    rows = {r.term: r for r in dataset.rows("fiscal_terms") if isinstance(r, FiscalTerm)}

    def value(term: str) -> float:
        if term not in rows:
            msg = f"fiscal_terms.csv: term {term!r} is missing (allowed: {', '.join(rows)})"
            raise KazreeError(msg)
        return rows[term].value

    return FiscalRegime(
        corporate_income_tax=value("corporate_income_tax_pct") / 100,
        met_high=value("mineral_extraction_tax_high_pct") / 100,
        met_holiday_years=value("met_holiday_months") / 12,
        technogenic_factor=value("met_technogenic_factor"),
        depreciation_buildings=value("depreciation_buildings_pct") / 100,
        depreciation_machinery=value("depreciation_machinery_pct") / 100,
        sources=tuple(sorted({sid for r in rows.values() for sid in r.source_ids})),
    )


def instrument_terms(dataset: Dataset) -> dict[InstrumentKind, list[InstrumentTerm]]:
    """Rows of ``instrument_terms`` by kind, in file order (the first is the kind's default)."""
    out: dict[InstrumentKind, list[InstrumentTerm]] = {}
    for row in dataset.rows("instrument_terms"):
        if isinstance(row, InstrumentTerm):
            out.setdefault(row.kind, []).append(row)
    return out
