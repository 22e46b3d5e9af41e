"""Dated policy rules: export controls, their status on a date, the trade share let through."""

from kazree.policy.licence import (
    annual_licence_share,
    licence_share,
    with_licence_share,
    year_segments,
)
from kazree.policy.rules import CONTROLS_TABLE, check_rules, override_rules, parse_rules
from kazree.policy.status import (
    LISTED_STATUSES,
    RuleOnDate,
    RuleStatus,
    covers,
    rules_on,
    status_on,
    within_window,
)

__all__ = [
    "CONTROLS_TABLE",
    "LISTED_STATUSES",
    "RuleOnDate",
    "RuleStatus",
    "annual_licence_share",
    "check_rules",
    "covers",
    "licence_share",
    "override_rules",
    "parse_rules",
    "rules_on",
    "status_on",
    "with_licence_share",
    "within_window",
    "year_segments",
]
