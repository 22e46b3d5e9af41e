"""Checks on the shape of tables: unique keys, links between facilities, deposit types, regions."""

from __future__ import annotations

from kazree.data.checks.base import Records, file_of, rows_of
from kazree.data.problems import Problem, Severity
from kazree.data.rows import (
    Bloc,
    Country,
    Demand,
    Deposit,
    ElementShare,
    Facility,
    TradeFlow,
    ZoneCriterion,
)
from kazree.data.schema import split_codes
from kazree.data.tables import TABLES

WORLD = "WORLD"
"""Demand region standing for the whole world."""


def check_keys(records: Records) -> list[Problem]:
    """No two rows of a table share the key columns of its :class:`TableSpec`."""
    problems = []
    for spec in TABLES:
        seen: dict[tuple[object, ...], int] = {}
        for record in records.get(spec.name, ()):
            key = tuple(getattr(record.row, column) for column in spec.key)
            if key in seen:
                message = (
                    f"duplicate row: same {', '.join(spec.key)} as line {seen[key]} "
                    "(allowed: one row per key)"
                )
                problems.append(Problem(spec.file, record.line, spec.key[0], message))
            seen.setdefault(key, record.line)
    return problems


def check_facility_links(records: Records) -> list[Problem]:
    """``part_of`` names an aggregate row; a mine's ``deposit_type`` has an element distribution."""
    facilities = list(rows_of(records, "facilities", Facility))
    aggregates = {row.id for _, row in facilities if row.aggregate}
    types = {row.deposit_type for _, row in rows_of(records, "element_distribution", ElementShare)}
    file = file_of("facilities")
    problems = []
    for line, row in facilities:
        if row.part_of is not None and row.part_of not in aggregates:
            message = f"unknown aggregate {row.part_of!r} (allowed: an id with aggregate true)"
            problems.append(Problem(file, line, "part_of", message))
        if row.deposit_type is not None and row.deposit_type not in types:
            allowed = ", ".join(sorted(types))
            message = f"unknown deposit type {row.deposit_type!r} (allowed: {allowed})"
            problems.append(Problem(file, line, "deposit_type", message))
    return problems


def check_deposit_types(records: Records) -> list[Problem]:
    """Warn where a deposit's type has no element distribution (its output cannot be split)."""
    types = {row.deposit_type for _, row in rows_of(records, "element_distribution", ElementShare)}
    return [
        Problem(
            file_of("deposits"),
            line,
            "deposit_type",
            f"no element distribution for {row.deposit_type!r} (known: {', '.join(sorted(types))})",
            Severity.WARNING,
        )
        for line, row in rows_of(records, "deposits", Deposit)
        if row.deposit_type is not None and row.deposit_type not in types
    ]


def check_regions(records: Records) -> list[Problem]:
    """A demand region is a country, a bloc or ``WORLD``; a trade origin a country or a bloc."""
    codes = {row.code for _, row in rows_of(records, "countries", Country)}
    blocs = {b.value for b in Bloc}
    demand = [
        Problem(
            file_of("demand"),
            line,
            "region",
            f"unknown region {row.region!r} (allowed: a code in countries.csv, a bloc or {WORLD})",
        )
        for line, row in rows_of(records, "demand", Demand)
        if row.region not in codes | blocs | {WORLD}
    ]
    trade = [
        Problem(
            file_of("trade_flows"),
            line,
            "origin",
            f"unknown origin {row.origin!r} (allowed: a code in countries.csv or a bloc)",
        )
        for line, row in rows_of(records, "trade_flows", TradeFlow)
        if row.origin not in codes | blocs
    ]
    return demand + trade


def check_blocs_used(records: Records) -> list[Problem]:
    """Warn about a bloc that no country belongs to (a likely typo in ``countries.csv``)."""
    countries = [row for _, row in rows_of(records, "countries", Country)]
    used = {code for row in countries for code in split_codes(row.blocs)}
    file = file_of("countries")
    return [
        Problem(file, 0, "blocs", f"no country belongs to bloc {bloc.value!r}", Severity.WARNING)
        for bloc in Bloc
        if countries and bloc.value not in used
    ]


def check_zone_sites(records: Records) -> list[Problem]:
    """Every ``zone_criteria`` site names a row of ``deposits`` or ``facilities``."""
    known = {row.id for _, row in rows_of(records, "deposits", Deposit)}
    known |= {row.id for _, row in rows_of(records, "facilities", Facility)}
    return [
        Problem(
            file_of("zone_criteria"),
            line,
            "site",
            f"unknown site {row.site!r} (allowed: an id in deposits.csv or facilities.csv)",
        )
        for line, row in rows_of(records, "zone_criteria", ZoneCriterion)
        if row.site not in known
    ]
