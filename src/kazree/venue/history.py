"""The history read model: every order, trade, position and refusal, in SQL, from the journal.

Four tables in the journal's database (``history_orders``, ``history_trades``,
``history_positions``, ``history_refusals``) and a cursor (``history_cursor``) hold what the
journal says, up to the cursor's seq. :meth:`HistoryStore.catch_up` takes the journal entries
after the cursor (as the writer hands them over, else read back from the journal), projects
them (:mod:`kazree.venue.projection`) and writes the rows and the new cursor in one
transaction, so the tables are always exactly the journal up to some seq: a crash loses
nothing (the next start catches up), and commands written while the service was down
(``kazree exchange admin``) are projected at start-up. Lists are newest first, paginated
by id (``before``) and bounded (:data:`MAX_PAGE`).
"""

from __future__ import annotations

import json
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa

from kazree.exchange.durability.journal import JournalEntry
from kazree.exchange.durability.store import bulk_insert, journal_table, open_tables
from kazree.venue.history_tables import (
    cursor_table,
    metadata,
    orders_table,
    positions_table,
    refusals_table,
    trades_table,
)
from kazree.venue.positions import Position
from kazree.venue.projection import Entry, OrderRow, RefusalRow, Round, TradeRow, apply, touched

MAX_PAGE = 1_000
"""The most rows one list answers."""
MAX_ID = 2**63 - 1
"""The largest id a BIGINT column holds (no order, trade or seq is beyond it)."""
ROUND_ENTRIES = 5_000
"""Journal entries projected per transaction."""

_ORDER_COLUMNS = tuple(c.name for c in orders_table.columns)
_ORDER_VALUES = operator.attrgetter(*_ORDER_COLUMNS)
_TRADE_COLUMNS = tuple(c.name for c in trades_table.columns)
_REFUSAL_COLUMNS = tuple(c.name for c in refusals_table.columns)
_MUTABLE = ("limit_ticks", "quantity_lots", "open_lots", "filled_lots", "filled_ticks_lots")
_UPDATE_ORDER = (
    orders_table.update()
    .where(orders_table.c.order_id == sa.bindparam("key_id"))
    .values({name: sa.bindparam(name) for name in (*_MUTABLE, "closed", "updated_ts")})
)


@dataclass(frozen=True, slots=True)
class Page:
    """Rows newest first, and the ``before`` value of the next page (``None``: no more)."""

    rows: list[Any]
    next_before: int | None


def _page(rows: Sequence[Any], limit: int, key: str) -> Page:
    more = len(rows) > limit
    kept = list(rows[:limit])
    return Page(kept, getattr(kept[-1], key) if more else None)


class HistoryStore:
    """The history tables: projected from the journal by :meth:`catch_up`, queried by the API."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine

    @classmethod
    def open(cls, url: str) -> HistoryStore:
        """Connect to ``url`` (the journal's URL) and create the tables if missing."""
        return cls(open_tables(url, metadata, "the history tables"))

    def close(self) -> None:
        """Release the connections."""
        self._engine.dispose()

    # projection

    def seq(self) -> int:
        """The journal seq the tables are projected up to."""
        with self._engine.connect() as conn:
            return _cursor(conn)

    def catch_up(self, limit: int = ROUND_ENTRIES, recent: Sequence[JournalEntry] = ()) -> int:
        """Project up to ``limit`` journal entries after the cursor; the new cursor seq.

        ``recent``: entries just journaled, in seq order (the writer's last batches); when they
        continue from the cursor they are projected as they are instead of being read back
        from the journal. One caller at a time (the service's projector task): the rows are
        read, projected in memory, then written with the cursor in a transaction that starts
        with a write, so it waits for the journal's writer instead of failing on SQLite.
        """
        with self._engine.connect() as conn:
            start = _cursor(conn)
            given = [e for e in recent if e.seq > start][:limit]
            if given and given[0].seq == start + 1:
                rows: Iterable[Any] = given
            else:
                query = (
                    sa.select(journal_table.c.seq, journal_table.c.command, journal_table.c.events)
                    .where(journal_table.c.seq > start)
                    .order_by(journal_table.c.seq)
                    .limit(limit)
                )
                rows = conn.execute(query)
            entries: list[Entry] = [
                (r.seq, orjson.loads(r.command), orjson.loads(r.events)) for r in rows
            ]
            if not entries:
                return start
            order_ids, pairs = touched(entries)
            round_ = Round(_load_orders(conn, order_ids), _load_positions(conn, pairs))
        apply(round_, entries)
        end = entries[-1][0]
        with self._engine.begin() as conn:
            conn.execute(cursor_table.delete())
            conn.execute(cursor_table.insert(), {"name": "journal", "seq": end})
            _write(conn, round_, set(pairs))
        return end

    # queries

    def order(self, order_id: int) -> OrderRow | None:
        """One order, resting or not."""
        if not 0 < order_id <= MAX_ID:
            return None
        query = orders_table.select().where(orders_table.c.order_id == order_id)
        with self._engine.connect() as conn:
            row = conn.execute(query).first()
        return OrderRow(**row._mapping) if row is not None else None

    def orders(
        self,
        participant: str | None,
        *,
        instrument: str | None = None,
        open_only: bool | None = None,
        before: int | None = None,
        limit: int = 100,
    ) -> Page:
        """Orders, newest first: one participant's or everyone's; open or closed ones only."""
        t = orders_table
        query = t.select().order_by(t.c.order_id.desc()).limit(limit + 1)
        if participant is not None:
            query = query.where(t.c.participant == participant)
        if instrument is not None:
            query = query.where(t.c.instrument == instrument)
        if open_only is not None:
            query = query.where(t.c.open_lots > 0 if open_only else t.c.open_lots == 0)
        if before is not None:
            query = query.where(t.c.order_id < before)
        with self._engine.connect() as conn:
            rows = [OrderRow(**r._mapping) for r in conn.execute(query)]
        return _page(rows, limit, "order_id")

    def trades(
        self,
        participant: str | None,
        *,
        instrument: str | None = None,
        before: int | None = None,
        limit: int = 100,
    ) -> Page:
        """Trades, newest first: those ``participant`` bought or sold in, or every trade."""
        t = trades_table
        query = t.select().order_by(t.c.trade_id.desc()).limit(limit + 1)
        if participant is not None:
            query = query.where(sa.or_(t.c.buyer == participant, t.c.seller == participant))
        if instrument is not None:
            query = query.where(t.c.instrument == instrument)
        if before is not None:
            query = query.where(t.c.trade_id < before)
        with self._engine.connect() as conn:
            rows = [_trade(r) for r in conn.execute(query)]
        return _page(rows, limit, "trade_id")

    def positions(self, participant: str) -> dict[str, Position]:
        """instrument -> the participant's position, for every instrument it has traded."""
        t = positions_table
        query = t.select().where(t.c.participant == participant).order_by(t.c.instrument)
        with self._engine.connect() as conn:
            return {r.instrument: _position(r) for r in conn.execute(query)}

    def refusals(
        self, participant: str | None, *, before: int | None = None, limit: int = 100
    ) -> Page:
        """Refused commands, newest first: one participant's or everyone's."""
        t = refusals_table
        query = t.select().order_by(t.c.seq.desc()).limit(limit + 1)
        if participant is not None:
            query = query.where(t.c.participant == participant)
        if before is not None:
            query = query.where(t.c.seq < before)
        with self._engine.connect() as conn:
            rows = [RefusalRow(**r._mapping) for r in conn.execute(query)]
        return _page(rows, limit, "seq")


def _cursor(conn: sa.Connection) -> int:
    seq = conn.execute(sa.select(cursor_table.c.seq)).scalar()
    return int(seq) if seq is not None else 0


def _trade(row: Any) -> TradeRow:
    values = dict(row._mapping)
    values["receipts"] = [(r, kg) for r, kg in json.loads(values["receipts"])]
    return TradeRow(**values)


def _position(row: Any) -> Position:
    return Position(
        net_lots=row.net_lots,
        open_lots=tuple((p, n) for p, n in json.loads(row.open_lots)),
        realised_ticks_lots=row.realised_ticks_lots,
        bought_lots=row.bought_lots,
        sold_lots=row.sold_lots,
        fees_minor=row.fees_minor,
    )


def _load_orders(conn: sa.Connection, ids: Iterable[int]) -> dict[int, OrderRow]:
    wanted = sorted(ids)
    found: dict[int, OrderRow] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        query = orders_table.select().where(orders_table.c.order_id.in_(chunk))
        found.update({r.order_id: OrderRow(**r._mapping) for r in conn.execute(query)})
    return found


def _load_positions(
    conn: sa.Connection, pairs: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], Position]:
    t = positions_table
    names = sorted({p for p, _ in pairs})
    wanted = set(pairs)
    if not names:
        return {}
    query = t.select().where(t.c.participant.in_(names))
    return {
        (r.participant, r.instrument): _position(r)
        for r in conn.execute(query)
        if (r.participant, r.instrument) in wanted
    }


def _row(item: object, columns: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(item, name) for name in columns}


def _write(conn: sa.Connection, round_: Round, pairs: set[tuple[str, str]]) -> None:
    new = [_ORDER_VALUES(round_.orders[i]) for i in sorted(round_.new_orders)]
    changed = [
        {"key_id": o.order_id, **{n: getattr(o, n) for n in (*_MUTABLE, "closed", "updated_ts")}}
        for i, o in round_.orders.items()
        if i not in round_.new_orders
    ]
    bulk_insert(conn, orders_table, new)  # an order row per order placed: the bulk of a round
    if changed:
        conn.execute(_UPDATE_ORDER, changed)
    if round_.trades:
        rows = [
            {**_row(t, _TRADE_COLUMNS), "receipts": json.dumps(t.receipts)} for t in round_.trades
        ]
        conn.execute(trades_table.insert(), rows)
    if round_.refusals:
        conn.execute(refusals_table.insert(), [_row(r, _REFUSAL_COLUMNS) for r in round_.refusals])
    if pairs:
        t = positions_table
        key = sa.and_(
            t.c.participant == sa.bindparam("p_key"), t.c.instrument == sa.bindparam("i_key")
        )
        conn.execute(t.delete().where(key), [{"p_key": p, "i_key": i} for p, i in sorted(pairs)])
        conn.execute(
            t.insert(),
            [
                {
                    "participant": p,
                    "instrument": i,
                    "net_lots": pos.net_lots,
                    "open_lots": json.dumps(pos.open_lots),
                    "realised_ticks_lots": pos.realised_ticks_lots,
                    "bought_lots": pos.bought_lots,
                    "sold_lots": pos.sold_lots,
                    "fees_minor": pos.fees_minor,
                }
                for (p, i), pos in sorted(round_.positions.items())
            ],
        )
