"""Referential integrity: every source id and every country code a row uses must exist."""

from __future__ import annotations

from kazree.data.checks.base import Records, file_of, rows_of
from kazree.data.problems import Problem, Severity
from kazree.data.rows import Country
from kazree.data.schema import Source, SourcedRow

COUNTRY_FIELDS: tuple[str, ...] = ("country", "exporter", "destination")
"""Columns that hold one country code and must name a row of ``countries.csv``."""
ALLOWED_SOURCE = "allowed: an id in sources.csv"
WARNING = Severity.WARNING


def check_sources(records: Records) -> list[Problem]:
    """Every id in a ``source`` cell names a row of ``sources.csv``."""
    known = {row.id for _, row in rows_of(records, "sources", Source)}
    problems = []
    for name in records:
        for line, row in rows_of(records, name, SourcedRow):
            problems += [
                Problem(
                    file_of(name), line, "source", f"unknown source id {sid!r} ({ALLOWED_SOURCE})"
                )
                for sid in row.source_ids
                if sid not in known
            ]
    return problems


def check_countries(records: Records) -> list[Problem]:
    """Every country code in a country column names a row of ``countries.csv``."""
    known = {row.code for _, row in rows_of(records, "countries", Country)}
    problems = []
    for name in records:
        for line, row in rows_of(records, name, SourcedRow):
            for column in COUNTRY_FIELDS:
                code = getattr(row, column, None)
                if isinstance(code, str) and code not in known:
                    message = f"unknown country {code!r} (allowed: a code in countries.csv)"
                    problems.append(Problem(file_of(name), line, column, message))
    return problems


def check_uncited(records: Records) -> list[Problem]:
    """Warn about a source that no row cites (left over after an edit)."""
    cited = {
        sid
        for name in records
        for _, row in rows_of(records, name, SourcedRow)
        for sid in row.source_ids
    }
    return [
        Problem(file_of("sources"), line, "id", f"source {row.id!r} is cited by no row", WARNING)
        for line, row in rows_of(records, "sources", Source)
        if row.id not in cited
    ]
