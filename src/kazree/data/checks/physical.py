"""Physical sanity: shares that must add up to 100 %, and dates that must come in order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from pydantic import BaseModel

from kazree.data.checks.base import Records, file_of, rows_of
from kazree.data.problems import Problem, Severity
from kazree.data.rows import (
    CapexBenchmark,
    Deposit,
    ElementShare,
    Facility,
    MagnetRecipe,
    SectorElement,
    StageShare,
)

SHARE_TOLERANCE_PCT = 2.5
"""A composition may miss 100 % by this much (assays are rounded) before it is an error."""
SHARE_WARNING_PCT = 0.5
"""Above this gap a composition is kept but flagged; consumers renormalise it."""


def _group_sums(
    rows: Iterable[tuple[int, BaseModel]], key: Callable[[BaseModel], str], value: str
) -> dict[str, tuple[int, float]]:
    """Sum of ``value`` per group, with the first line of each group."""
    sums: dict[str, tuple[int, float]] = {}
    for line, row in rows:
        first, total = sums.get(key(row), (line, 0.0))
        sums[key(row)] = (first, total + float(getattr(row, value)))
    return sums


def _composition(file: str, what: str, sums: dict[str, tuple[int, float]]) -> list[Problem]:
    problems = []
    for group, (line, total) in sums.items():
        gap = abs(total - 100.0)
        if gap <= SHARE_WARNING_PCT:
            continue
        severity = Severity.ERROR if gap > SHARE_TOLERANCE_PCT else Severity.WARNING
        message = (
            f"shares of {what} {group!r} sum to {total:.2f} % "
            f"(allowed: 100 ± {SHARE_TOLERANCE_PCT} %)"
        )
        problems.append(Problem(file, line, "share_pct", message, severity))
    return problems


def check_compositions(records: Records) -> list[Problem]:
    """Element shares per deposit type and per sector sum to 100 % within tolerance."""
    deposits = _group_sums(
        rows_of(records, "element_distribution", ElementShare),
        lambda r: getattr(r, "deposit_type", ""),
        "share_pct",
    )
    sectors = _group_sums(
        rows_of(records, "sector_elements", SectorElement),
        lambda r: str(getattr(r, "sector", "")),
        "share_pct",
    )
    return _composition(file_of("element_distribution"), "deposit type", deposits) + _composition(
        file_of("sector_elements"), "sector", sectors
    )


def check_stage_shares(records: Records) -> list[Problem]:
    """Published shares of one stage, coverage, measure, year and basis add up to at most 100 %."""
    groups: dict[tuple[str, str, str, int, str], list[tuple[int, float]]] = defaultdict(list)
    for line, row in rows_of(records, "stage_shares", StageShare):
        key = (row.stage.value, row.coverage.value, row.measure.value, row.year, row.basis)
        groups[key].append((line, row.share_pct))
    problems = []
    for (stage, coverage, measure, year, _), items in groups.items():
        total = sum(share for _, share in items)
        if total > 100.0 + SHARE_TOLERANCE_PCT:
            message = (
                f"shares of {stage}/{coverage} ({measure}) in {year} sum to {total:.1f} % "
                "(allowed: <= 100 %)"
            )
            problems.append(Problem(file_of("stage_shares"), items[-1][0], "share_pct", message))
    return problems


def check_dates(records: Records) -> list[Problem]:
    """No facility starts, and no resource is claimed, before its deposit was discovered."""
    problems = []
    for line, fac in rows_of(records, "facilities", Facility):
        start, found = fac.start_year, fac.discovery_year
        if start is not None and found is not None and start < found:
            message = f"start year {start} is before discovery year {found} (allowed: >= {found})"
            problems.append(Problem(file_of("facilities"), line, "start_year", message))
    for line, dep in rows_of(records, "deposits", Deposit):
        if dep.discovery_year is not None and dep.claim_year < dep.discovery_year:
            message = (
                f"claim year {dep.claim_year} is before discovery year {dep.discovery_year} "
                f"(allowed: >= {dep.discovery_year})"
            )
            problems.append(Problem(file_of("deposits"), line, "claim_year", message))
    return problems


DERIVED_TOLERANCE = 0.01
"""Relative gap allowed between a derived column and the columns it is computed from."""


def check_derived(records: Records) -> list[Problem]:
    """``capex_per_t_per_year`` equals ``capex_m`` x 1e6 / ``capacity_t`` (within 1 %)."""
    problems = []
    for line, row in rows_of(records, "capex_benchmarks", CapexBenchmark):
        expected = row.capex_m * 1e6 / row.capacity_t
        if abs(row.capex_per_t_per_year - expected) > DERIVED_TOLERANCE * expected:
            message = (
                f"{row.capex_per_t_per_year:,.0f} does not match capex_m x 1e6 / capacity_t "
                f"= {expected:,.0f} (allowed: within {DERIVED_TOLERANCE:.0%})"
            )
            problems.append(
                Problem(file_of("capex_benchmarks"), line, "capex_per_t_per_year", message)
            )
    return problems


def check_recipes(records: Records) -> list[Problem]:
    """The rare-earth content of a magnet grade is at most 100 wt %."""
    sums = _group_sums(
        rows_of(records, "magnet_recipes", MagnetRecipe),
        lambda r: f"{getattr(r, 'magnet_type', '')}/{getattr(r, 'grade', '')}",
        "content_wt_pct",
    )
    return [
        Problem(
            file_of("magnet_recipes"),
            line,
            "content_wt_pct",
            f"contents of {grade!r} sum to {total:.1f} wt % (allowed: <= 100)",
        )
        for grade, (line, total) in sums.items()
        if total > 100.0
    ]
