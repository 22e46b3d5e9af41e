"""Pure parts of the service: level diffs, stream numbering, token buckets, key format."""

from __future__ import annotations

from kazree.venue.marketdata import MarketData, Subscriber, level_changes
from kazree.venue.ratelimit import TokenBuckets
from kazree.venue.store import split_key


def test_level_changes_report_new_totals_and_removals() -> None:
    before = {100: 5, 101: 2, 102: 7}
    after = {100: 5, 101: 3, 103: 1}
    assert level_changes(before, after) == [[101, 3], [102, 0], [103, 1]]
    assert level_changes(after, after) == []


def test_streams_number_deltas_consecutively_and_snapshots_carry_the_seq() -> None:
    md = MarketData()
    md.seed("X", [(99, 1)], [(101, 2)])
    early = Subscriber(100)
    md.subscribe("book", "X", early)
    md.publish_book("X", [(99, 1)], [(101, 2)])  # no change: nothing published
    md.publish_book("X", [(99, 3)], [(101, 2)])
    late = Subscriber(100)
    md.subscribe("book", "X", late)
    md.publish_book("X", [], [(101, 2)])
    got = [early.queue.get_nowait() for _ in range(early.queue.qsize())]
    assert [(m["type"], m["seq"]) for m in got] == [("snapshot", 0), ("delta", 1), ("delta", 2)]
    assert got[1]["bids"] == [[99, 3]]
    assert got[2]["bids"] == [[99, 0]]
    late_got = [late.queue.get_nowait() for _ in range(late.queue.qsize())]
    assert late_got[0]["seq"] == 1
    assert late_got[0]["bids"] == [[99, 3]]
    assert late_got[1]["seq"] == 2


def test_slow_subscriber_is_marked_not_fed_a_gap() -> None:
    md = MarketData()
    sub = Subscriber(2)
    md.subscribe("book", "X", sub)
    for n in range(1, 4):
        md.publish_book("X", [(100, n)], [])
    assert sub.overflowed
    assert sub.queue.qsize() == 2  # snapshot + delta 1; nothing after the overflow


def test_token_bucket_refills_at_the_rate() -> None:
    now = [0.0]
    buckets = TokenBuckets(rate=2.0, burst=2, clock=lambda: now[0])
    assert [buckets.take("k") for _ in range(3)] == [0, 0, 1]
    now[0] = 0.5  # one token back
    assert buckets.take("k") == 0
    assert buckets.take("k") == 1
    assert buckets.take("other") == 0


def test_key_format() -> None:
    assert split_key("kz_abc123_sec-ret") == ("abc123", "sec-ret")
    assert split_key("kz_abc123_") is None
    assert split_key("abc") is None
    assert split_key("kz__secret") is None
