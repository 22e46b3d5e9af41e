"""Checks across rows and tables: references, physical sanity and resource consistency.

Each check is a pure function of the validated rows (table name -> rows with their line) that
returns problems; :func:`check_records` runs them all.
"""

from __future__ import annotations

from collections.abc import Callable

from kazree.data.checks.base import Records
from kazree.data.checks.consistency import (
    check_demand_totals,
    check_quota_splits,
    check_quota_vs_usgs,
)
from kazree.data.checks.derived import check_derivations
from kazree.data.checks.feed import check_plant_feed, check_separation_feed
from kazree.data.checks.outlooks import check_outlooks
from kazree.data.checks.physical import (
    check_compositions,
    check_dates,
    check_derived,
    check_recipes,
    check_stage_shares,
)
from kazree.data.checks.references import check_countries, check_sources, check_uncited
from kazree.data.checks.resources import check_resources
from kazree.data.checks.structure import (
    check_blocs_used,
    check_deposit_types,
    check_facility_links,
    check_keys,
    check_regions,
    check_zone_sites,
)
from kazree.data.problems import Problem

CHECKS: tuple[Callable[[Records], list[Problem]], ...] = (
    check_sources,
    check_countries,
    check_keys,
    check_facility_links,
    check_zone_sites,
    check_regions,
    check_blocs_used,
    check_compositions,
    check_recipes,
    check_stage_shares,
    check_outlooks,
    check_dates,
    check_derived,
    check_derivations,
    check_quota_vs_usgs,
    check_quota_splits,
    check_demand_totals,
    check_separation_feed,
    check_plant_feed,
    check_resources,
    check_deposit_types,
    check_uncited,
)
"""All cross-row checks, in the order their problems are reported."""


def check_records(records: Records) -> list[Problem]:
    """Every cross-row problem in ``records``, check by check."""
    return [problem for check in CHECKS for problem in check(records)]


__all__ = ["CHECKS", "Records", "check_records"]
