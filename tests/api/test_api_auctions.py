"""Scheduled call auctions through the service: schedules over HTTP, the scheduler on a fake
clock (open, rest without matching, uncross at one price), restarts and catch-up, the audit."""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from api_support import Market, database, demo_market

from databases import BACKENDS
from kazree.exchange.core.commands import OpenAuction, RunAuction
from kazree.venue import scheduler as auctions
from kazree.venue.schedule import Step, to_us
from kazree.venue.scheduler import AuctionScheduler


class FakeClock:
    """UTC microseconds, set by the test."""

    def __init__(self, when: str) -> None:
        self.now = 0
        self.set(when)

    def set(self, when: str) -> int:
        """Move to ``when`` (ISO, UTC); its microseconds."""
        self.now = to_us(datetime.fromisoformat(when).replace(tzinfo=UTC))
        return self.now

    def __call__(self) -> int:
        return self.now


MONDAY = "2030-01-07"
Serve = Callable[..., AbstractContextManager[Market]]


@pytest.fixture(params=BACKENDS)
def served(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    sqlite_template: tuple[Path, dict[str, str]],
) -> Iterator[tuple[Serve, FakeClock]]:
    """Starts of the demo service on one database, every one on the same fake clock."""
    clock = FakeClock(f"{MONDAY}T09:00")
    with database(request.param, tmp_path) as url:
        keys = None
        if request.param == "sqlite":
            template, keys = sqlite_template
            shutil.copy(template, tmp_path / "exchange.db")

        def serve(**settings: object) -> AbstractContextManager[Market]:
            return demo_market(url, keys, **{"clock": clock, "auction_poll_s": 0.01, **settings})

        if keys is None:  # install once, on the first start
            with serve() as m:
                keys = m.keys
        yield serve, clock


def wait_for(check: Callable[[], bool], what: str) -> None:
    """Until ``check()`` holds (the scheduler polls every 10 ms), at most 10 s."""
    deadline = time.monotonic() + 10
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def auction(m: Market, instrument: str = "TB-OX", **params: Any) -> dict[str, Any]:
    r = m.client.get(
        f"/v1/instruments/{instrument}/auction", headers=m.headers("observer"), params=params
    )
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def put_schedule(m: Market, body: dict[str, Any], instrument: str = "TB-OX") -> Any:
    return m.client.put(
        f"/v1/admin/auctions/{instrument}/schedule", headers=m.headers("admin"), json=body
    )


def scheduler_audit(m: Market) -> list[tuple[str, str, str]]:
    return [
        (e["action"], e["args"]["instrument"], e["args"]["scheduled"])
        for e in m.service.store.audit_entries()
        if e["actor"] == "scheduler"
    ]


def order(m: Market, who: str, side: str, lots: int, price: int) -> dict[str, Any]:
    r = m.client.post(
        "/v1/orders",
        headers=m.headers(who),
        json={
            "client_order_id": f"{who}-{side}-{price}",
            "instrument": "TB-OX",
            "side": side,
            "quantity_lots": lots,
            "price_ticks": price,
        },
    )
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def test_schedule_is_set_listed_and_cleared_over_http(
    served: tuple[Serve, FakeClock],
) -> None:
    serve, _clock = served
    with serve() as m:
        assert auction(m)["schedule"] is None
        r = put_schedule(m, {"opens": "09:45", "uncross": "10:00"})
        assert r.status_code == 200, r.text
        expected = {
            "instrument": "TB-OX",
            "opens": "09:45",
            "uncross": "10:00",
            "days": ["mon", "tue", "wed", "thu", "fri"],
            "next_call_open": f"{MONDAY}T09:45:00Z",
            "next_uncross": f"{MONDAY}T10:00:00Z",
        }
        assert r.json() == expected
        assert auction(m)["schedule"] == expected
        r = put_schedule(m, {"opens": "14:00", "uncross": "14:05", "days": ["sat"]}, "DY-OX")
        assert r.status_code == 200, r.text
        assert r.json()["next_call_open"] == "2030-01-12T14:00:00Z"
        listed = m.client.get("/v1/auctions", headers=m.headers("observer"))
        assert [s["instrument"] for s in listed.json()] == ["DY-OX", "TB-OX"]
        r = m.client.delete("/v1/admin/auctions/DY-OX/schedule", headers=m.headers("admin"))
        assert r.status_code == 204
        assert auction(m, "DY-OX")["schedule"] is None
        r = m.client.delete("/v1/admin/auctions/DY-OX/schedule", headers=m.headers("admin"))
        assert r.status_code == 404
        assert r.json()["detail"] == "instrument 'DY-OX': has no auction schedule"
        audit = [
            (e["actor"], e["action"], e["args"]["instrument"])
            for e in m.service.store.audit_entries()
            if "schedule" in e["action"]
        ]
    assert audit == [
        ("exchange-admin", "set_auction_schedule", "TB-OX"),
        ("exchange-admin", "set_auction_schedule", "DY-OX"),
        ("exchange-admin", "clear_auction_schedule", "DY-OX"),
        ("exchange-admin", "clear_auction_schedule", "DY-OX"),  # refused, and so audited
    ]


@pytest.mark.parametrize(
    ("instrument", "body", "status", "detail"),
    [
        (
            "TB-OX",
            {"opens": "9.45", "uncross": "10:00"},
            422,
            "opens = '9.45': need a UTC time of day HH:MM, 00:00 to 23:59",
        ),
        (
            "TB-OX",
            {"opens": "10:00", "uncross": "09:45"},
            422,
            "uncross = '09:45': must be after opens (10:00) on the same day (UTC)",
        ),
        (
            "TB-OX",
            {"opens": "09:45", "uncross": "10:00", "days": ["mon", "someday"]},
            422,
            "days = ['someday']: need one or more of mon, tue, wed, thu, fri, sat, sun",
        ),
        (
            "GOLD",
            {"opens": "09:45", "uncross": "10:00"},
            404,
            "unknown instrument 'GOLD' (listed: DY-OX, NDFEB-N52, NDPR-OX, TB-OX)",
        ),
    ],
)
def test_bad_schedules_are_refused_with_what_is_allowed(
    served: tuple[Serve, FakeClock], instrument: str, body: dict[str, Any], status: int, detail: str
) -> None:
    serve, _clock = served
    with serve() as m:
        r = put_schedule(m, body, instrument)
        assert r.status_code == status, r.text
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["detail"] == detail
        assert m.service.store.auction_schedules() == {}
        [entry] = [e for e in m.service.store.audit_entries() if e["actor"] == "exchange-admin"]
    assert entry["action"] == "set_auction_schedule"
    assert entry["args"]["refused"] == detail


def test_missing_and_unknown_fields_are_request_errors(served: tuple[Serve, FakeClock]) -> None:
    serve, _clock = served
    with serve() as m:
        r = put_schedule(m, {"opens": "09:45"})
        assert (r.status_code, r.json()["detail"]) == (422, "body.uncross: required")
        r = put_schedule(m, {"opens": "09:45", "uncross": "10:00", "days": []})
        assert r.status_code == 422
        assert r.json()["detail"].startswith("body.days = []")


def test_the_scheduler_opens_rests_orders_and_uncrosses_at_one_price(
    served: tuple[Serve, FakeClock],
) -> None:
    serve, clock = served
    with serve() as m:
        assert put_schedule(m, {"opens": "09:45", "uncross": "10:00"}).status_code == 200
        time.sleep(0.1)  # several rounds before the call opens: nothing is due
        assert not auction(m)["in_call_phase"]
        opened = clock.set(f"{MONDAY}T09:45:30")
        wait_for(lambda: auction(m)["in_call_phase"], "the call phase")
        assert auction(m)["call_opened_ts"] == opened
        # The demo book holds trader-us's bid for 2 lots at 99,000. Crossing orders rest:
        order(m, "trader", "buy", 3, 101_000)  # trader-de
        order(m, "other_trader", "buy", 1, 98_500)  # trader-kz
        jp = m.client.post(
            "/v1/orders",
            headers={"Authorization": f"Bearer {_jp_key(m)}"},
            json={
                "client_order_id": "jp-sell",
                "instrument": "TB-OX",
                "side": "sell",
                "quantity_lots": 4,
                "price_ticks": 98_000,
            },
        )
        assert jp.status_code == 201, jp.text
        book = m.client.get("/v1/instruments/TB-OX/book", headers=m.headers("observer")).json()
        assert book["bids"][0]["price_ticks"] > book["asks"][0]["price_ticks"]  # crossed
        assert _trades(m) == []
        time.sleep(0.1)
        assert auction(m)["in_call_phase"]  # no double open, nothing uncrossed early
        uncrossed = clock.set(f"{MONDAY}T10:00:02")
        wait_for(lambda: not auction(m)["in_call_phase"], "the uncross")
        body = auction(m)
        trades = _trades(m)
        audit = scheduler_audit(m)
    # Bids 101,000 x3, 99,000 x2, 98,500 x1 against 98,000 x4: 4 lots could trade at 98,000
    # and 98,500 (6 lots bid: imbalance 2) or at 99,000 (5 bid: imbalance 1), so 99,000.
    assert body["results"] == [
        {
            "ts": uncrossed,
            "call_opened_ts": opened,
            "price_ticks": 99_000,
            "volume_lots": 4,
            "imbalance_lots": 1,
        }
    ]
    assert {t["price_ticks"] for t in trades} == {99_000}
    assert sum(t["quantity_lots"] for t in trades) == 4
    assert {t["ts"] for t in trades} == {uncrossed}
    assert all(t["aggressor"] is None for t in trades)
    assert body["schedule"]["next_call_open"] == "2030-01-08T09:45:00Z"
    assert audit == [
        ("open_auction", "TB-OX", f"{MONDAY}T09:45:00+00:00"),
        ("run_auction", "TB-OX", f"{MONDAY}T10:00:00+00:00"),
    ]


def test_results_survive_restarts_and_a_missed_uncross_is_caught_up(
    served: tuple[Serve, FakeClock],
) -> None:
    serve, clock = served
    with serve() as m:
        assert put_schedule(m, {"opens": "09:45", "uncross": "10:00"}).status_code == 200
        opened = clock.set(f"{MONDAY}T09:46")
        wait_for(lambda: auction(m)["in_call_phase"], "the call phase")
    # down from 09:46 to 10:30: the call phase is still open at start-up and uncrossed then
    caught_up = clock.set(f"{MONDAY}T10:30")
    with serve() as m:
        wait_for(lambda: not auction(m)["in_call_phase"], "the catch-up uncross")
        assert [(r["ts"], r["call_opened_ts"]) for r in auction(m)["results"]] == [
            (caught_up, opened)
        ]
        assert scheduler_audit(m)[-1] == ("run_auction", "TB-OX", f"{MONDAY}T10:00:00+00:00")
    clock.set(f"{MONDAY}T11:00")
    with serve() as m:
        time.sleep(0.1)
        body = auction(m)
        assert len(body["results"]) == 1  # kept, and nothing more is due today
        assert not body["in_call_phase"]
        # Tuesday: the next session opens; a limit of 1 returns the latest result only
        clock.set("2030-01-08T09:45")
        wait_for(lambda: auction(m)["in_call_phase"], "Tuesday's call phase")
        clock.set("2030-01-08T10:00")
        wait_for(lambda: not auction(m)["in_call_phase"], "Tuesday's uncross")
        assert len(auction(m)["results"]) == 2
        assert auction(m, limit=1)["results"][0]["ts"] == clock.now
        actions = [a for a, _, _ in scheduler_audit(m)]
    assert actions == ["open_auction", "run_auction", "open_auction", "run_auction"]


def test_a_scheduled_action_is_audited_before_its_outcome_is_visible(
    served: tuple[Serve, FakeClock], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whoever sees the call phase open (or uncrossed) finds the scheduler's audit entry too,
    however slow the audit write (it was written after the outcome was readable)."""
    serve, clock = served
    with serve() as m:
        assert put_schedule(m, {"opens": "09:45", "uncross": "10:00"}).status_code == 200
        store = m.service.store
        write = store.audit

        def slow_audit(*args: Any) -> None:
            time.sleep(0.3)
            write(*args)

        monkeypatch.setattr(store, "audit", slow_audit)
        clock.set(f"{MONDAY}T09:46")
        wait_for(lambda: auction(m)["in_call_phase"], "the call phase")
        assert [a for a, _, _ in scheduler_audit(m)] == ["open_auction"]
        clock.set(f"{MONDAY}T10:01")
        wait_for(lambda: not auction(m)["in_call_phase"], "the uncross")
        assert [a for a, _, _ in scheduler_audit(m)] == ["open_auction", "run_auction"]
        r = m.client.post("/v1/admin/auctions/TB-OX/run", headers=m.headers("admin"))
        assert r.status_code == 409  # refused by the engine, and audited before the answer
        refused = store.audit_entries()[-1]
        assert (refused["actor"], refused["action"]) == ("exchange-admin", "run_auction")
        assert refused["args"]["refused"] == "TB-OX has no open call phase"


def test_an_admin_may_uncross_early_without_a_reopen(served: tuple[Serve, FakeClock]) -> None:
    serve, clock = served
    with serve() as m:
        admin = m.headers("admin")
        clock.set(f"{MONDAY}T09:40")
        assert m.client.post("/v1/admin/auctions/TB-OX/open", headers=admin).status_code == 200
        assert put_schedule(m, {"opens": "09:45", "uncross": "10:00"}).status_code == 200
        clock.set(f"{MONDAY}T09:47")
        time.sleep(0.1)  # already in a call phase: the scheduler submits nothing
        assert scheduler_audit(m) == []
        assert m.client.post("/v1/admin/auctions/TB-OX/run", headers=admin).status_code == 200
        clock.set(f"{MONDAY}T09:50")
        time.sleep(0.1)  # this session's call phase was uncrossed: no second one
        assert not auction(m)["in_call_phase"]
        assert scheduler_audit(m) == []
        assert len(auction(m)["results"]) == 1


def test_an_engine_refusal_is_logged_and_audited_not_fatal(
    served: tuple[Serve, FakeClock],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    serve, clock = served
    with serve(auction_poll_s=3600) as m:  # the service's own scheduler idles after start-up
        opened = m.client.post("/v1/admin/auctions/TB-OX/open", headers=m.headers("admin"))
        assert opened.status_code == 200
        assert put_schedule(m, {"opens": "09:45", "uncross": "10:00"}).status_code == 200
        clock.set(f"{MONDAY}T09:50")
        scheduler = AuctionScheduler(m.service, clock, poll_s=3600)
        # as if an admin had opened the call phase between the scheduler's look and its submit
        monkeypatch.setattr(auctions, "due", lambda *_: (Step.OPEN, datetime(2030, 1, 7, 9, 45)))
        with caplog.at_level(logging.WARNING, "kazree.venue.scheduler"):
            submitted = m.client.portal.call(scheduler.tick)  # type: ignore[union-attr]
        assert submitted == [OpenAuction(ts=0, instrument="TB-OX")]
        assert "scheduled open of TB-OX refused: TB-OX is already in a call phase" in caplog.text
        refused = m.service.store.audit_entries()[-1]
        assert (refused["actor"], refused["action"]) == ("scheduler", "open_auction")
        assert refused["args"]["refused"] == "TB-OX is already in a call phase"
        monkeypatch.undo()
        clock.set(f"{MONDAY}T10:00")
        submitted = m.client.portal.call(scheduler.tick)  # type: ignore[union-attr]
        assert submitted == [RunAuction(ts=0, instrument="TB-OX")]
        assert len(auction(m)["results"]) == 1


def test_a_failed_round_is_logged_and_the_next_one_runs(
    served: tuple[Serve, FakeClock],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    serve, clock = served
    with serve() as m:
        assert put_schedule(m, {"opens": "09:45", "uncross": "10:00"}).status_code == 200
        store = m.service.store

        def unreachable() -> None:
            msg = "database unreachable"
            raise OSError(msg)

        with caplog.at_level(logging.ERROR, "kazree.venue.scheduler"):
            monkeypatch.setattr(store, "auction_schedules", unreachable)
            wait_for(lambda: "auction scheduler round failed" in caplog.text, "a failed round")
        monkeypatch.undo()
        clock.set(f"{MONDAY}T09:45")
        wait_for(lambda: auction(m)["in_call_phase"], "the call phase")


def _jp_key(m: Market) -> str:
    """An API key for trader-jp, who holds the demo's (licensed) terbium receipt."""
    return m.service.store.issue_key("trader-jp")


def _trades(m: Market) -> list[dict[str, Any]]:
    r = m.client.get("/v1/instruments/TB-OX/trades", headers=m.headers("observer"))
    trades: list[dict[str, Any]] = r.json()
    return trades
