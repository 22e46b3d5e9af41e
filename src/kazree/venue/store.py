"""The service's own tables: API keys, the audit log and auction schedules.

They live in the journal's database (SQLAlchemy Core, separate tables). A key reads
``kz_<key id>_<secret>``; only the salt and the scrypt hash of the secret are stored, and the
key is shown once, when issued. Verification is constant-time; a key verified once is
remembered by a fast digest so the scrypt cost is paid once per key and process, while the
revoked flag is read from the database on every request.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from kazree.errors import KazreeError
from kazree.exchange.durability.store import open_tables
from kazree.venue.clock import now_us
from kazree.venue.schedule import AuctionSchedule, hh_mm, parse_schedule

metadata = sa.MetaData()

api_keys = sa.Table(
    "api_keys",
    metadata,
    sa.Column("key_id", sa.String(32), primary_key=True),
    sa.Column("participant", sa.String(64), nullable=False, index=True),
    sa.Column("salt", sa.LargeBinary, nullable=False),
    sa.Column("hash", sa.LargeBinary, nullable=False),
    sa.Column("created_us", sa.BigInteger, nullable=False),
    sa.Column("revoked_us", sa.BigInteger, nullable=True),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("ts_us", sa.BigInteger, nullable=False),
    sa.Column("actor", sa.String(64), nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("args", sa.Text, nullable=False),
)

auction_schedules = sa.Table(
    "auction_schedules",
    metadata,
    sa.Column("instrument", sa.String(64), primary_key=True),
    sa.Column("opens", sa.String(5), nullable=False),
    sa.Column("uncross", sa.String(5), nullable=False),
    sa.Column("days", sa.String(32), nullable=False),
    sa.Column("updated_us", sa.BigInteger, nullable=False),
)
"""Daily call auctions: UTC ``HH:MM`` times and weekdays such as ``mon,tue,wed,thu,fri``."""

_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
KEY_PREFIX = "kz_"
KEY_RECHECK_S = 1.0
"""How long a key's check is trusted before its row (revoked?) is read again, in seconds."""


def _scrypt(secret: str, salt: bytes) -> bytes:
    return hashlib.scrypt(secret.encode(), salt=salt, **_SCRYPT)


class KeyStatus(StrEnum):
    """Outcome of checking a presented key."""

    VALID = "valid"
    UNKNOWN = "unknown"
    REVOKED = "revoked"


@dataclass(frozen=True, slots=True)
class KeyCheck:
    """The participant a key belongs to, when it is valid."""

    status: KeyStatus
    participant: str | None = None
    key_id: str | None = None


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """A stored key without its secret."""

    key_id: str
    participant: str
    created_us: int
    revoked_us: int | None


_KEY = re.compile(r"kz_([0-9a-f]{1,32})_([A-Za-z0-9-]{1,128})")
"""A key's shape: ``kz_``, a hex id, ``_``, the secret (issued ones: 12 and 32 characters)."""


def split_key(key: str) -> tuple[str, str] | None:
    """``(key id, secret)`` of a well-formed key, else ``None`` (never a database read)."""
    match = _KEY.fullmatch(key)
    return (match[1], match[2]) if match else None


class ServiceStore:
    """Keys, audit log and auction schedules (the policy is engine state: see
    ``kazree.exchange.core.policy``)."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        self._verified: dict[str, bytes] = {}
        """key id -> sha256 of salt + secret, once its scrypt hash matched."""
        self._recent: dict[str, tuple[KeyCheck, float]] = {}
        """key -> the outcome of its check and when, for :data:`KEY_RECHECK_S`: only keys whose
        secret matched (one a key id), and only those checked within that time."""
        self._key_locks: dict[str, threading.Lock] = {}

    @classmethod
    def open(cls, url: str) -> ServiceStore:
        """Connect to ``url`` (the journal's URL) and create the tables if missing."""
        return cls(open_tables(url, metadata, "the service tables"))

    @property
    def db(self) -> sa.Engine:
        """The database the tables live in (the journal's)."""
        return self._engine

    def close(self) -> None:
        """Release the connections."""
        self._engine.dispose()

    def ping(self) -> bool:
        """Whether the database answers."""
        try:
            with self._engine.connect() as conn:
                conn.execute(sa.select(1))
        except SQLAlchemyError:
            return False
        return True

    # keys

    def issue_key(self, participant: str) -> str:
        """A new key for ``participant``; the returned string is the only copy of the secret."""
        key_id, secret, salt = (
            secrets.token_hex(6),
            secrets.token_urlsafe(24),
            secrets.token_bytes(16),
        )
        secret = secret.replace("_", "x")
        with self._engine.begin() as conn:
            conn.execute(
                api_keys.insert(),
                {
                    "key_id": key_id,
                    "participant": participant,
                    "salt": salt,
                    "hash": _scrypt(secret, salt),
                    "created_us": now_us(),
                    "revoked_us": None,
                },
            )
        return f"{KEY_PREFIX}{key_id}_{secret}"

    def revoke_key(self, key_id: str) -> KeyInfo:
        """Revoke a key by id; :class:`KazreeError` for an unknown id."""
        with self._engine.begin() as conn:
            done = conn.execute(
                api_keys.update()
                .where(api_keys.c.key_id == key_id, api_keys.c.revoked_us.is_(None))
                .values(revoked_us=now_us())
            )
            row = conn.execute(api_keys.select().where(api_keys.c.key_id == key_id)).first()
        if row is None:
            msg = f"key id {key_id!r}: no such key (see `kazree exchange admin keys`)"
            raise KazreeError(msg)
        if done.rowcount == 0 and row.revoked_us is None:  # pragma: no cover - race only
            msg = f"key id {key_id!r}: could not be revoked"
            raise KazreeError(msg)
        return KeyInfo(row.key_id, row.participant, row.created_us, row.revoked_us)

    def keys(self, participant: str | None = None) -> list[KeyInfo]:
        """Stored keys (without secrets), oldest first."""
        query = api_keys.select().order_by(api_keys.c.created_us, api_keys.c.key_id)
        if participant is not None:
            query = query.where(api_keys.c.participant == participant)
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
        return [KeyInfo(r.key_id, r.participant, r.created_us, r.revoked_us) for r in rows]

    def check_key(self, key: str) -> KeyCheck:
        """Whose key this is, in constant time for the secret; unknown or revoked otherwise.

        Reads the key's row (salt, hash, revoked flag) from the database; the first success
        costs one scrypt, later ones a sha256 of the secret. The outcome is then remembered for
        :meth:`recent_check`.
        """
        parts = split_key(key)
        if parts is None:
            return KeyCheck(KeyStatus.UNKNOWN)
        key_id, secret = parts
        with self._engine.connect() as conn:
            row = conn.execute(api_keys.select().where(api_keys.c.key_id == key_id)).first()
        if row is None:
            return KeyCheck(KeyStatus.UNKNOWN)
        fast = hashlib.sha256(row.salt + secret.encode()).digest()
        with self._key_locks.setdefault(key_id, threading.Lock()):  # one scrypt per key
            known = self._verified.get(key_id)
            if known is not None:
                ok = hmac.compare_digest(known, fast)
            else:
                ok = hmac.compare_digest(_scrypt(secret, row.salt), row.hash)
        if not ok:
            return KeyCheck(KeyStatus.UNKNOWN)
        status = KeyStatus.VALID if row.revoked_us is None else KeyStatus.REVOKED
        result = KeyCheck(status, row.participant, key_id)
        self._verified[key_id] = fast
        now = time.monotonic()
        recent = {k: v for k, v in self._recent.items() if now - v[1] <= KEY_RECHECK_S}
        recent[key] = (result, now)
        self._recent = recent  # one rebinding: readers on other threads see either dict
        return result

    def verified(self, key_id: str) -> bool:
        """Whether a key with this id was verified in this process (checking it is cheap)."""
        return key_id in self._verified

    def recent_check(self, key: str) -> KeyCheck | None:
        """The outcome of :meth:`check_key` for exactly ``key`` if checked in the last
        :data:`KEY_RECHECK_S` seconds, so a revocation takes effect within that time.

        One dictionary lookup, for the request path: no database access and no hash. A wrong
        secret is never compared with the right one (its string hash differs, and the hash is
        keyed per process), so the lookup's timing tells nothing about the right secret.
        """
        known = self._recent.get(key)
        if known is None or time.monotonic() - known[1] > KEY_RECHECK_S:
            return None
        return known[0]

    # audit

    def audit(self, actor: str, action: str, args: dict[str, Any]) -> None:
        """Record an administrative action."""
        with self._engine.begin() as conn:
            conn.execute(
                audit_log.insert(),
                {
                    "ts_us": now_us(),
                    "actor": actor,
                    "action": action,
                    "args": json.dumps(args, sort_keys=True),
                },
            )

    def audit_entries(self) -> list[dict[str, Any]]:
        """The audit log, oldest first."""
        with self._engine.connect() as conn:
            rows = conn.execute(audit_log.select().order_by(audit_log.c.id)).all()
        return [
            {"ts_us": r.ts_us, "actor": r.actor, "action": r.action, "args": json.loads(r.args)}
            for r in rows
        ]

    def audit_page(self, before: int | None, limit: int) -> list[dict[str, Any]]:
        """Up to ``limit`` audit entries with ids below ``before``, newest first, with ids."""
        query = audit_log.select().order_by(audit_log.c.id.desc()).limit(limit)
        if before is not None:
            query = query.where(audit_log.c.id < before)
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            {
                "id": r.id,
                "ts": r.ts_us,
                "actor": r.actor,
                "action": r.action,
                "args": json.loads(r.args),
            }
            for r in rows
        ]

    # auction schedules

    def set_auction_schedule(self, schedule: AuctionSchedule) -> None:
        """Store ``schedule`` (replacing the instrument's previous one)."""
        row = {
            "instrument": schedule.instrument,
            "opens": hh_mm(schedule.opens),
            "uncross": hh_mm(schedule.uncross),
            "days": ",".join(schedule.day_names),
            "updated_us": now_us(),
        }
        with self._engine.begin() as conn:
            conn.execute(
                auction_schedules.delete().where(
                    auction_schedules.c.instrument == schedule.instrument
                )
            )
            conn.execute(auction_schedules.insert(), row)

    def clear_auction_schedule(self, instrument: str) -> None:
        """Remove ``instrument``'s schedule; :class:`KazreeError` if it has none."""
        where = auction_schedules.c.instrument == instrument
        missing = f"instrument {instrument!r}: has no auction schedule"
        self._delete(auction_schedules, where, missing)

    def auction_schedules(
        self, after: str | None = None, limit: int | None = None
    ) -> dict[str, AuctionSchedule]:
        """instrument -> its auction schedule, by instrument: those after ``after`` (all when
        ``None``), at most ``limit`` (all when ``None``)."""
        query = auction_schedules.select().order_by(auction_schedules.c.instrument).limit(limit)
        if after is not None:
            query = query.where(auction_schedules.c.instrument > after)
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
        return {
            r.instrument: parse_schedule(r.instrument, r.opens, r.uncross, r.days.split(","))
            for r in rows
        }

    def auction_schedule(self, instrument: str) -> AuctionSchedule | None:
        """``instrument``'s auction schedule, if it has one."""
        query = auction_schedules.select().where(auction_schedules.c.instrument == instrument)
        with self._engine.connect() as conn:
            r = conn.execute(query).first()
        if r is None:
            return None
        return parse_schedule(r.instrument, r.opens, r.uncross, r.days.split(","))

    def _delete(self, table: sa.Table, where: sa.ColumnElement[bool], missing: str) -> None:
        """Delete the rows of ``table`` matching ``where``; :class:`KazreeError` if none did."""
        with self._engine.begin() as conn:
            done = conn.execute(table.delete().where(where))
        if done.rowcount == 0:
            raise KazreeError(missing)
