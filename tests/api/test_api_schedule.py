"""Auction schedule arithmetic: parsing, next times and what is due, on hand-checked dates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kazree.venue.schedule import ScheduleError, Step, due, next_times, parse_schedule, to_us

SCHEDULE = parse_schedule("TB-OX", "09:45", "10:00")  # Monday to Friday


def at(text: str) -> datetime:
    """A UTC time in January 2030 (the 7th is a Monday)."""
    return datetime.fromisoformat(f"2030-01-{text}").replace(tzinfo=UTC)


def us(text: str) -> int:
    return to_us(at(text))


def test_parse_defaults_to_weekdays_and_accepts_names_in_any_case() -> None:
    assert SCHEDULE.day_names == ["mon", "tue", "wed", "thu", "fri"]
    weekend = parse_schedule("TB-OX", "23:00", "23:59", [" SAT", "sun", "sat"])
    assert weekend.day_names == ["sat", "sun"]


@pytest.mark.parametrize(
    ("opens", "uncross", "days", "message"),
    [
        ("9:45", "10:00", None, "opens = '9:45': need a UTC time of day HH:MM, 00:00 to 23:59"),
        ("09:45", "24:00", None, "uncross = '24:00': need a UTC time of day HH:MM"),
        ("09:45", "09:45", None, "uncross = '09:45': must be after opens (09:45) on the same"),
        ("09:45", "10:00", ["mon", "funday"], "days = ['funday']: need one or more of mon, tue"),
        ("09:45", "10:00", [], "days = []: need one or more of"),
    ],
)
def test_parse_names_the_field_the_value_and_what_is_allowed(
    opens: str, uncross: str, days: list[str] | None, message: str
) -> None:
    with pytest.raises(ScheduleError) as refused:
        parse_schedule("TB-OX", opens, uncross, days)
    assert str(refused.value).startswith(message)


@pytest.mark.parametrize(
    ("now", "call_open", "uncross"),
    [
        ("07T09:00", "07T09:45", "07T10:00"),  # Monday morning
        ("07T09:50", "08T09:45", "07T10:00"),  # in the call phase: the next open is tomorrow
        ("11T10:00", "14T09:45", "14T10:00"),  # Friday's uncross time: next is Monday
        ("12T12:00", "14T09:45", "14T10:00"),  # Saturday
    ],
)
def test_next_times_skip_days_off(now: str, call_open: str, uncross: str) -> None:
    assert next_times(SCHEDULE, at(now)) == (at(call_open), at(uncross))


def test_a_session_opens_then_uncrosses_once() -> None:
    assert due(SCHEDULE, us("07T09:44:59"), None, None) is None
    assert due(SCHEDULE, us("07T09:45"), None, None) == (Step.OPEN, at("07T09:45"))
    assert due(SCHEDULE, us("07T09:59:59"), us("07T09:45:01"), None) is None  # no double open
    assert due(SCHEDULE, us("07T10:00"), us("07T09:45:01"), None) == (
        Step.UNCROSS,
        at("07T10:00"),
    )
    last = (us("07T09:45:01"), us("07T10:00"))
    assert due(SCHEDULE, us("07T10:00:01"), None, last) is None
    assert due(SCHEDULE, us("12T09:50"), None, last) is None  # Saturday
    assert due(SCHEDULE, us("14T09:50"), None, last) == (Step.OPEN, at("14T09:45"))


def test_a_late_start_within_the_window_still_opens() -> None:
    last = (us("07T09:45"), us("07T10:00"))
    assert due(SCHEDULE, us("08T09:58"), None, last) == (Step.OPEN, at("08T09:45"))


@pytest.mark.parametrize("opened", ["07T09:45", "07T09:40"], ids=["by-schedule", "by-hand"])
def test_an_early_uncross_by_an_admin_is_not_reopened(opened: str) -> None:
    assert due(SCHEDULE, us("07T09:52"), None, (us(opened), us("07T09:50"))) is None


def test_an_auction_by_hand_the_day_before_does_not_skip_a_session() -> None:
    last = (us("07T11:00"), us("07T11:05"))
    assert due(SCHEDULE, us("08T09:45"), None, last) == (Step.OPEN, at("08T09:45"))


def test_a_call_phase_left_open_while_down_is_uncrossed_when_seen() -> None:
    opened = us("07T09:45")
    assert due(SCHEDULE, us("07T13:00"), opened, None) == (Step.UNCROSS, at("07T10:00"))
    # down until Friday, inside Friday's window: uncross the old one, then open Friday's
    assert due(SCHEDULE, us("11T09:50"), opened, None) == (Step.UNCROSS, at("10T10:00"))
    last = (opened, us("11T09:50"))
    assert due(SCHEDULE, us("11T09:50"), None, last) == (Step.OPEN, at("11T09:45"))


def test_a_call_phase_opened_by_hand_after_the_uncross_waits_for_the_next_one() -> None:
    opened = us("07T11:00")
    assert due(SCHEDULE, us("07T12:00"), opened, None) is None
    assert due(SCHEDULE, us("08T09:50"), opened, None) is None
    assert due(SCHEDULE, us("08T10:00"), opened, None) == (Step.UNCROSS, at("08T10:00"))
