"""The licence-share model: daily shares, the strictest-rule convention, annual averages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kazree.chain.elements import symbols
from kazree.data.controls_schema import ExportControlRow, RuleKind
from kazree.errors import KazreeError
from kazree.policy import annual_licence_share, licence_share, with_licence_share, year_segments

RuleFactory = Callable[..., ExportControlRow]


def share_on(rules: list[ExportControlRow], on: date, **query: str) -> float:
    flow = {"exporter": "CN", "destination": "US", "element": "Dy", "form": "separated_oxide"}
    return licence_share(rules, **(flow | query), on=on)


def test_no_rule_lets_everything_through() -> None:
    assert share_on([], date(2025, 6, 1)) == 1.0


def test_strictest_rule_governs(make_rule: RuleFactory) -> None:
    rules = [make_rule(id="a", licence_share=0.5), make_rule(id="b", licence_share=0.25)]
    assert share_on(rules, date(2025, 6, 1)) == 0.25


def test_domestic_flows_are_not_exports(make_rule: RuleFactory) -> None:
    rules = [make_rule(licence_share=0.0)]
    assert share_on(rules, date(2025, 6, 1), destination="CN") == 1.0
    assert share_on(rules, date(2025, 6, 1), destination="JP") == 0.0


def test_rules_out_of_scope_or_not_in_force_have_no_effect(make_rule: RuleFactory) -> None:
    rules = [
        make_rule(id="a", destinations="JP"),
        make_rule(id="b", exporter="VN"),
        make_rule(id="c", forms="magnet"),
        make_rule(id="d", effective="2026-01-01"),
        make_rule(id="e", until="2025-05-31"),
        make_rule(id="f", licence_share=0.1),
        make_rule(id="s", kind="suspension", suspends="f", licence_share=1, effective="2025-01-01"),
    ]
    assert share_on(rules, date(2025, 6, 1)) == 1.0


def test_rule_from_4_april_2025_is_in_force_272_of_365_days(make_rule: RuleFactory) -> None:
    rules = [make_rule(effective="2025-04-04", licence_share=0.5)]
    flow = {"exporter": "CN", "destination": "US", "element": "Dy", "form": "separated_oxide"}
    got = annual_licence_share(rules, **flow, year=2025)
    assert got == pytest.approx((93 * 1.0 + 272 * 0.5) / 365)
    assert annual_licence_share(rules, **flow, year=2024) == 1.0
    assert annual_licence_share(rules, **flow, year=2026) == 0.5


def test_leap_year_counts_366_days(make_rule: RuleFactory) -> None:
    rules = [make_rule(effective="2024-04-04", licence_share=0.0)]
    flow = {"exporter": "CN", "destination": "US", "element": "Dy", "form": "separated_oxide"}
    assert annual_licence_share(rules, **flow, year=2024) == pytest.approx(94 / 366)


def test_dataset_holmium_oxide_in_2026_is_back_under_licence_for_51_days(
    rules: tuple[ExportControlRow, ...],
) -> None:
    flow = {"exporter": "CN", "destination": "US", "element": "Ho", "form": "separated_oxide"}
    assert annual_licence_share(rules, **flow, year=2025) == 1.0
    got = annual_licence_share(rules, **flow, year=2026)
    assert got == pytest.approx((314 + 51 * 0.5) / 365)


def test_year_segments_cover_the_year_exactly(make_rule: RuleFactory) -> None:
    rules = [make_rule(effective="2025-04-04", until="2025-11-10")]
    assert year_segments(rules, 2025) == (
        (date(2025, 1, 1), 93),
        (date(2025, 4, 4), 221),
        (date(2025, 11, 11), 51),
    )


def _daily_mean(rules: list[ExportControlRow], year: int, **flow: str) -> float:
    day, end, total, days = date(year, 1, 1), date(year + 1, 1, 1), 0.0, 0
    while day < end:
        total += licence_share(rules, **flow, on=day)
        day, days = day + timedelta(days=1), days + 1
    return total / days


_DAY = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31))


_BASE = {
    "instrument": "x",
    "issuer": "x",
    "exporter": "CN",
    "destinations": "*",
    "forms": "separated_oxide",
    "source": "s",
    "vintage": "2025",
    "confidence": "high",
}


@st.composite
def _random_rules(draw: st.DrawFn) -> list[ExportControlRow]:
    """One to four licence rules and one suspension of some of them, over 2024-2026."""
    rules = []
    for i in range(draw(st.integers(min_value=1, max_value=4))):
        start, stop = sorted(draw(st.lists(_DAY, min_size=2, max_size=2)))
        fields = {
            "id": f"r{i}",
            "kind": "licence",
            "elements": draw(st.sampled_from(["Dy", "*", "Nd"])),
            "effective": start,
            "until": draw(st.sampled_from([stop, None])),
            "licence_share": draw(st.sampled_from([0.0, 0.25, 0.5, 1.0])),
        }
        rules.append(ExportControlRow.model_validate(_BASE | fields))
    start, stop = sorted(draw(st.lists(_DAY, min_size=2, max_size=2)))
    targets = [r.id for r in rules if draw(st.booleans())] or [rules[0].id]
    pause = {
        "id": "pause",
        "kind": "suspension",
        "elements": "*",
        "effective": start,
        "until": stop,
        "suspends": targets,
        "licence_share": 1.0,
    }
    return [*rules, ExportControlRow.model_validate(_BASE | pause)]


@settings(max_examples=25, deadline=None)
@given(rules=_random_rules(), year=st.sampled_from([2024, 2025, 2026]))
def test_annual_share_equals_the_mean_of_daily_shares(
    rules: list[ExportControlRow], year: int
) -> None:
    flow = {"exporter": "CN", "destination": "US", "element": "Dy", "form": "separated_oxide"}
    assert annual_licence_share(rules, **flow, year=year) == pytest.approx(
        _daily_mean(rules, year, **flow)
    )


@pytest.mark.parametrize("element", symbols())
def test_annual_share_stays_between_the_daily_extremes(
    rules: tuple[ExportControlRow, ...], element: str
) -> None:
    flow = {"exporter": "CN", "destination": "US", "element": element, "form": "separated_oxide"}
    for year in (2025, 2026, 2027):
        annual = annual_licence_share(rules, **flow, year=year)
        segments = year_segments(rules, year)
        daily = [licence_share(rules, **flow, on=start) for start, _ in segments]
        assert min(daily) <= annual <= max(daily)


def test_scenario_lever_sets_the_share_of_licence_regimes_only(
    rules: tuple[ExportControlRow, ...],
) -> None:
    strict = with_licence_share(rules, 0.2)
    on = date(2026, 12, 1)
    assert share_on(list(strict), on, element="Dy") == 0.2
    assert share_on(list(strict), on, element="Ho") == 0.2
    assert share_on(list(strict), on, element="Nd") == 1.0
    assert share_on(list(strict), on, form="technology") == 0.0
    flow = {"exporter": "MM", "destination": "CN", "element": "Dy", "form": "ore_concentrate"}
    assert licence_share(strict, **flow, on=on) == 0.5  # disruption untouched
    assert (
        licence_share(with_licence_share(rules, 0.1, kinds=(RuleKind.DISRUPTION,)), **flow, on=on)
        == 0.1
    )


@pytest.mark.parametrize(
    ("share", "kinds", "fragment"),
    [(1.5, (RuleKind.LICENCE,), "out of range"), (0.5, (RuleKind.SUSPENSION,), "suspension")],
)
def test_scenario_lever_rejects_bad_values(
    share: float, kinds: tuple[RuleKind, ...], fragment: str
) -> None:
    with pytest.raises(KazreeError, match=fragment):
        with_licence_share((), share, kinds=kinds)
