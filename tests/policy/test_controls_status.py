"""Status on a date and scope matching, on small hand-built rule sets."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from kazree.data.controls_schema import ExportControlRow
from kazree.errors import KazreeError
from kazree.policy import RuleStatus, covers, rules_on, status_on

RuleFactory = Callable[..., ExportControlRow]

N, F, S, X = (
    RuleStatus.NOT_YET_EFFECTIVE,
    RuleStatus.IN_FORCE,
    RuleStatus.SUSPENDED,
    RuleStatus.EXPIRED,
)


@pytest.mark.parametrize(
    ("on", "status"),
    [
        ("2025-04-03", N),
        ("2025-04-04", F),  # effective date is inclusive
        ("2025-06-30", F),  # until is inclusive
        ("2025-07-01", X),
    ],
)
def test_window_edges_are_inclusive(make_rule: RuleFactory, on: str, status: RuleStatus) -> None:
    rule = make_rule(effective="2025-04-04", until="2025-06-30")
    assert status_on(rule, date.fromisoformat(on), [rule]).status is status


def test_rule_without_start_is_in_force_from_the_beginning(make_rule: RuleFactory) -> None:
    rule = make_rule(effective=None)
    assert status_on(rule, date(1900, 1, 1), [rule]).status is F


@pytest.mark.parametrize(
    ("on", "status", "by"),
    [
        ("2025-11-06", F, ()),
        ("2025-11-07", S, ("s1",)),
        ("2026-11-10", S, ("s1",)),
        ("2026-11-11", F, ()),
    ],
)
def test_suspension_window_is_inclusive_and_the_rule_comes_back(
    make_rule: RuleFactory, on: str, status: RuleStatus, by: tuple[str, ...]
) -> None:
    rule = make_rule(effective="2025-10-09")
    pause = make_rule(
        id="s1",
        kind="suspension",
        suspends="r1",
        licence_share=1,
        effective="2025-11-07",
        until="2026-11-10",
    )
    got = status_on(rule, date.fromisoformat(on), [rule, pause])
    assert (got.status, got.suspended_by) == (status, by)


def test_a_later_suspension_in_the_data_extends_the_pause(make_rule: RuleFactory) -> None:
    rule = make_rule()
    first = make_rule(
        id="s1",
        kind="suspension",
        suspends="r1",
        licence_share=1,
        effective="2025-11-07",
        until="2026-11-10",
    )
    second = make_rule(
        id="s2",
        kind="suspension",
        suspends="r1",
        licence_share=1,
        effective="2026-11-11",
        until="2027-11-10",
    )
    rules = [rule, first, second]
    assert status_on(rule, date(2026, 11, 10), rules).suspended_by == ("s1",)
    assert status_on(rule, date(2026, 11, 11), rules).suspended_by == ("s2",)
    assert status_on(rule, date(2027, 11, 11), rules).status is F


def test_not_yet_effective_and_expired_win_over_suspended(make_rule: RuleFactory) -> None:
    rule = make_rule(effective="2025-11-08", until="2026-01-31")
    pause = make_rule(
        id="s1",
        kind="suspension",
        suspends="r1",
        licence_share=1,
        effective="2025-11-07",
        until="2026-11-10",
    )
    assert status_on(rule, date(2025, 11, 7), [rule, pause]).status is N
    assert status_on(rule, date(2025, 11, 8), [rule, pause]).status is S
    assert status_on(rule, date(2026, 2, 1), [rule, pause]).status is X


def test_filters_do_not_hide_the_suspension_itself(make_rule: RuleFactory) -> None:
    rule = make_rule(elements="Ho")
    pause = make_rule(
        id="s1",
        kind="suspension",
        suspends="r1",
        licence_share=1,
        elements="Dy",
        effective="2025-01-01",
    )
    listed = rules_on([rule, pause], date(2025, 6, 1), element="Ho")
    assert [(i.rule.id, i.status) for i in listed] == [("r1", S)]


def test_rules_on_lists_only_active_unless_asked(make_rule: RuleFactory) -> None:
    rules = [
        make_rule(id="old", effective="2020-01-01", until="2020-12-31"),
        make_rule(id="now", effective="2025-01-01"),
        make_rule(id="later", effective="2030-01-01"),
    ]
    on = date(2025, 6, 1)
    assert [i.rule.id for i in rules_on(rules, on)] == ["now"]
    got = {i.rule.id: i.status for i in rules_on(rules, on, include_all=True)}
    assert got == {"old": X, "now": F, "later": N}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, True),
        ({"exporter": "CN"}, True),
        ({"exporter": "VN"}, False),
        ({"element": "Dy"}, True),
        ({"element": "Nd"}, False),
        ({"form": "separated_oxide"}, True),
        ({"form": "magnet"}, False),
        ({"destination": "US"}, True),
        ({"destination": "JP"}, False),
    ],
)
def test_covers_each_dimension(
    make_rule: RuleFactory, query: dict[str, str], expected: bool
) -> None:
    rule = make_rule(elements="Dy;Tb", destinations="US;DE")
    assert covers(rule, **query) is expected


def test_wildcards_cover_every_element_and_destination(make_rule: RuleFactory) -> None:
    rule = make_rule(elements="*", destinations="*")
    assert covers(rule, element="La", destination="KZ")


def test_non_ree_rule_covers_no_element(make_rule: RuleFactory) -> None:
    rule = make_rule(elements="", forms="non_ree")
    assert not covers(rule, element="Dy")
    assert covers(rule)


@pytest.mark.parametrize(
    ("query", "fragment"),
    [({"element": "Xx"}, "element 'Xx' is unknown"), ({"form": "powder"}, "form 'powder'")],
)
def test_unknown_query_codes_are_user_errors(
    make_rule: RuleFactory, query: dict[str, str], fragment: str
) -> None:
    with pytest.raises(KazreeError, match=fragment) as info:
        rules_on([make_rule()], date(2025, 1, 1), **query)
    assert "allowed:" in str(info.value)
