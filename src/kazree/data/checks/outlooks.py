"""Checks on published outlooks: known regions, shares that add up, observed years in the past."""

from __future__ import annotations

from collections import defaultdict

from kazree.data.checks.base import Records, file_of, rows_of
from kazree.data.checks.physical import SHARE_TOLERANCE_PCT
from kazree.data.problems import Problem
from kazree.data.rows import Country, Outlook, OutlookMetric
from kazree.data.rows.outlooks import WORLD

OBSERVED = "observed"
"""The ``case`` of an outlook's own base-year figures."""


def _regions(records: Records) -> list[Problem]:
    known = {row.code for _, row in rows_of(records, "countries", Country)} | {WORLD}
    return [
        Problem(
            file_of("outlooks"),
            line,
            "region",
            f"unknown region {row.region!r} (allowed: a code in countries.csv or {WORLD})",
        )
        for line, row in rows_of(records, "outlooks", Outlook)
        if row.region not in known
    ]


def _share_sums(records: Records) -> list[Problem]:
    groups: dict[tuple[str, str, int, str, str], list[tuple[int, float]]] = defaultdict(list)
    for line, row in rows_of(records, "outlooks", Outlook):
        if row.metric is OutlookMetric.SHARE_PCT:
            key = (row.outlook, row.case, row.year, row.stage.value, row.element_group.value)
            groups[key].append((line, row.value))
    problems = []
    for (outlook, case, year, stage, group), items in groups.items():
        total = sum(value for _, value in items)
        if total > 100.0 + SHARE_TOLERANCE_PCT:
            message = (
                f"shares of {stage}/{group} in {year} ({outlook}, {case}) sum to {total:.1f} % "
                "(allowed: <= 100 %)"
            )
            problems.append(Problem(file_of("outlooks"), items[-1][0], "value", message))
    return problems


def _observed_years(records: Records) -> list[Problem]:
    return [
        Problem(
            file_of("outlooks"),
            line,
            "year",
            f"observed figure for {row.year} in a source of {row.vintage} "
            f"(allowed: a year up to {row.vintage[:4]}, or a projection case)",
        )
        for line, row in rows_of(records, "outlooks", Outlook)
        if row.case == OBSERVED and row.year > int(row.vintage[:4])
    ]


def check_outlooks(records: Records) -> list[Problem]:
    """Regions exist; one outlook's shares of a stage add up to at most 100 %; an observed
    figure is not for a year after its source was published."""
    return _regions(records) + _share_sums(records) + _observed_years(records)
