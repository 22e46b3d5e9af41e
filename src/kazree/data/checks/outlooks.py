"""Checks on published outlooks: known regions, shares that add up, observed years in the past,
and the same figure as ``stage_shares`` where both tables cite one source for it."""

from __future__ import annotations

from collections import defaultdict

from kazree.data.checks.base import Records, file_of, rows_of
from kazree.data.checks.physical import SHARE_TOLERANCE_PCT
from kazree.data.problems import Problem
from kazree.data.rows import Country, Outlook, OutlookMetric, StageShare
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
    groups: dict[tuple[str, str, int, str, str, str], list[tuple[int, float]]] = defaultdict(list)
    for line, row in rows_of(records, "outlooks", Outlook):
        if row.metric is OutlookMetric.SHARE_PCT:
            key = (
                row.outlook,
                row.case,
                row.year,
                row.stage.value,
                row.coverage.value,
                row.measure.value,
            )
            groups[key].append((line, row.value))
    problems = []
    for (outlook, case, year, stage, coverage, measure), items in groups.items():
        total = sum(value for _, value in items)
        if total > 100.0 + SHARE_TOLERANCE_PCT:
            message = (
                f"shares of {stage}/{coverage} {measure} in {year} ({outlook}, {case}) sum to "
                f"{total:.1f} % (allowed: <= 100 %)"
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


def _same_as_stage_shares(records: Records) -> list[Problem]:
    published = {
        (row.stage, row.coverage, row.measure, row.country, row.year, row.source): row.share_pct
        for _, row in rows_of(records, "stage_shares", StageShare)
    }
    problems = []
    for line, row in rows_of(records, "outlooks", Outlook):
        key = (row.stage, row.coverage, row.measure, row.region, row.year, row.source)
        other = published.get(key)
        if row.metric is OutlookMetric.SHARE_PCT and other is not None and other != row.value:
            message = (
                f"{row.value:g} % differs from the {other:g} % that stage_shares cites from "
                f"{row.source} for the same share (allowed: the same figure)"
            )
            problems.append(Problem(file_of("outlooks"), line, "value", message))
    return problems


def check_outlooks(records: Records) -> list[Problem]:
    """Regions exist; one outlook's shares of a stage add up to at most 100 %; an observed
    figure is not for a year after its source was published; a share that ``stage_shares``
    also cites from the same source has the same value there."""
    return (
        _regions(records)
        + _share_sums(records)
        + _observed_years(records)
        + _same_as_stage_shares(records)
    )
