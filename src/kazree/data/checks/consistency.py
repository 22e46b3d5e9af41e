"""The dataset against itself: China's quotas vs USGS and their splits, demand vs its totals.

Each problem names both rows it compares, as ``file:line``.
"""

from __future__ import annotations

from collections import defaultdict

from kazree.chain.forms import MAGNET_SECTORS
from kazree.data.checks.base import Records, file_of, rows_of
from kazree.data.problems import Problem, Severity
from kazree.data.rows import (
    ChinaQuota,
    Demand,
    MineProduction,
    QuotaOreType,
    WorldMetric,
    WorldTotal,
)

FULL_YEAR = "full year"
"""The ``batch`` of a quota row that covers the whole year."""
TOTAL_TOLERANCE = 0.005
"""Relative gap allowed between a total and what it should equal (rounding)."""
CHINA = "CN"


def _where(name: str, line: int) -> str:
    return f"{file_of(name)}:{line}"


def _lines(name: str, lines: list[int]) -> str:
    return f"{file_of(name)}:{','.join(str(n) for n in sorted(lines))}"


def _apart(a: float, b: float) -> bool:
    return abs(a - b) > TOTAL_TOLERANCE * max(abs(a), abs(b), 1.0)


def check_quota_vs_usgs(records: Records) -> list[Problem]:
    """China's full-year mining quota equals USGS's China mine production of the same year.

    USGS reports China's quota as its output, so the latest edition for a year must match it:
    an error where that row is marked ``quota``, a warning otherwise.
    """
    quotas = {
        row.year: (line, row.mining_quota_t_reo)
        for line, row in rows_of(records, "china_quotas", ChinaQuota)
        if row.batch == FULL_YEAR
        and row.ore_type is QuotaOreType.ALL
        and row.mining_quota_t_reo is not None
    }
    latest: dict[int, tuple[int, MineProduction]] = {}
    for line, row in rows_of(records, "mine_production", MineProduction):
        newer = row.year not in latest or row.edition > latest[row.year][1].edition
        if row.country == CHINA and newer:
            latest[row.year] = (line, row)
    problems = []
    for year, (line, row) in sorted(latest.items()):
        if year not in quotas or not _apart(row.production_t_reo, quotas[year][1]):
            continue
        quota_line, quota = quotas[year]
        message = (
            f"CN {year} ({row.edition}) is {row.production_t_reo:,.0f} t but China's full-year "
            f"mining quota is {quota:,.0f} t ({_where('china_quotas', quota_line)}; allowed: "
            "equal, USGS reports China's quota)"
        )
        severity = Severity.ERROR if row.qualifier == "quota" else Severity.WARNING
        problems.append(
            Problem(file_of("mine_production"), line, "production_t_reo", message, severity)
        )
    return problems


def check_quota_splits(records: Records) -> list[Problem]:
    """A batch's hard-rock and ionic-clay mining quotas add up to the batch's total."""
    parts: dict[tuple[int, str], dict[QuotaOreType, tuple[int, float]]] = defaultdict(dict)
    for line, row in rows_of(records, "china_quotas", ChinaQuota):
        if row.mining_quota_t_reo is not None:
            parts[(row.year, row.batch)][row.ore_type] = (line, row.mining_quota_t_reo)
    problems = []
    for (year, batch), found in parts.items():
        hard, ionic, total = (
            found.get(kind)
            for kind in (QuotaOreType.HARD_ROCK, QuotaOreType.IONIC_CLAY, QuotaOreType.ALL)
        )
        if hard is None or ionic is None or total is None:
            continue
        summed = hard[1] + ionic[1]
        if not _apart(summed, total[1]):
            continue
        message = (
            f"{year} {batch}: hard rock + ionic clay = {summed:,.0f} t "
            f"({_lines('china_quotas', [hard[0], ionic[0]])}) but the total is {total[1]:,.0f} t "
            "(allowed: equal)"
        )
        problems.append(Problem(file_of("china_quotas"), total[0], "mining_quota_t_reo", message))
    return problems


def _totals(records: Records, metric: WorldMetric) -> dict[int, tuple[int, float]]:
    return {
        row.year: (line, row.value_t_reo)
        for line, row in rows_of(records, "world_totals", WorldTotal)
        if row.metric is metric
    }


def check_demand_totals(records: Records) -> list[Problem]:
    """Sector demand of each year sums to the world totals it claims.

    ``WORLD`` magnet sectors sum to ``magnet_ree_demand`` and all sectors to ``ree_demand`` of
    the same year (``world_totals``); a year without such a total is a warning.
    """
    groups: dict[tuple[int, bool], list[tuple[int, float]]] = defaultdict(list)
    for line, row in rows_of(records, "demand", Demand):
        if row.region == "WORLD":
            groups[(row.year, True)].append((line, row.demand_t_reo))
            if row.sector in MAGNET_SECTORS:
                groups[(row.year, False)].append((line, row.demand_t_reo))
    totals = {
        True: _totals(records, WorldMetric.REE_DEMAND),
        False: _totals(records, WorldMetric.MAGNET_REE_DEMAND),
    }
    problems = []
    for (year, every), items in sorted(groups.items()):
        metric = WorldMetric.REE_DEMAND if every else WorldMetric.MAGNET_REE_DEMAND
        what = "all sectors" if every else "magnet sectors"
        summed = sum(value for _, value in items)
        lines = _lines("demand", [line for line, _ in items])
        first = min(line for line, _ in items)
        total = totals[every].get(year)
        if total is None:
            message = f"{what} of {year} ({lines}) have no {metric.value} total in world_totals.csv"
            problems.append(
                Problem(file_of("demand"), first, "demand_t_reo", message, Severity.WARNING)
            )
        elif _apart(summed, total[1]):
            message = (
                f"{what} of {year} sum to {summed:,.0f} t ({lines}) but {metric.value} is "
                f"{total[1]:,.0f} t ({_where('world_totals', total[0])}; allowed: equal)"
            )
            problems.append(Problem(file_of("demand"), first, "demand_t_reo", message))
    return problems
