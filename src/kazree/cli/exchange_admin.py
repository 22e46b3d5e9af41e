"""``kazree exchange admin``: participants, keys, cash, denied parties, auctions, audit log.

Commands that change the exchange (participants, cash) write to the journal directly and so
refuse while the service runs (one writer at a time); use the /v1/admin routes then. Listing
instruments, and key, denied-party, jurisdiction, auction-schedule and audit commands work at
any time (the service sees a change within seconds). Every change is audited.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from kazree.errors import KazreeError
from kazree.exchange.core.domain import Role
from kazree.venue.schedule import DEFAULT_DAYS, hh_mm, next_times, parse_schedule, to_datetime

if TYPE_CHECKING:
    from kazree.exchange.core.commands import Command
    from kazree.exchange.core.engine import Exchange
    from kazree.venue.store import ServiceStore

app = typer.Typer(
    help="Administer the exchange: participants, API keys, cash, denied parties, auctions.",
    no_args_is_help=True,
)

Db = Annotated[
    str, typer.Option("--db", help="Journal database (sqlite:///PATH.db or postgresql://...)")
]
Actor = Annotated[str | None, typer.Option(help="Who is acting, for the audit log")]
DEFAULT_DB = "sqlite:///exchange.db"
_out = Console(highlight=False)


def now_us() -> int:
    """UTC microseconds since the epoch (the exchange's timestamp unit)."""
    from kazree.venue.store import now_us as now

    return now()


def read_exchange(db: str) -> Exchange:
    """The exchange as of its last durable command (SQLAlchemy loads only now)."""
    from kazree.exchange.durability.durable import read_exchange as read

    return read(db)


@contextmanager
def _store(db: str) -> Iterator[ServiceStore]:
    from kazree.venue.store import ServiceStore

    store = ServiceStore.open(db)
    try:
        yield store
    finally:
        store.close()


def _when(us: int | None) -> str:
    if us is None:
        return ""
    return to_datetime(us).isoformat(timespec="seconds")


def _apply(db: str, actor: str | None, command: Command) -> None:
    """Journal ``command`` (not while the service runs) and audit it; a refusal is one line."""
    from kazree.exchange.core.commands import command_to_json
    from kazree.exchange.core.events import Rejected
    from kazree.exchange.durability.durable import DurableExchange

    with DurableExchange.open(db) as exchange:
        events = exchange.submit(command)
    first = events[0]
    args = {k: v for k, v in command_to_json(command).items() if k not in ("ts", "type")}
    with _store(db) as store:
        outcome = {"refused": first.message} if isinstance(first, Rejected) else {}
        store.audit(actor or getpass.getuser(), type(command).__name__, {**args, **outcome})
    if isinstance(first, Rejected):
        msg = f"{type(command).__name__}: {first.message}"
        raise KazreeError(msg)


@app.command("add-participant")
def add_participant(
    participant: Annotated[str, typer.Argument(help="Participant id")],
    country: Annotated[str, typer.Option(help="ISO 3166 alpha-2 code")],
    role: Annotated[list[Role], typer.Option(help="Role (repeat for several)")],
    db: Db = DEFAULT_DB,
    actor: Actor = None,
) -> None:
    """Register a participant (not while the service runs)."""
    from kazree.exchange.core.commands import AddParticipant

    _apply(db, actor, AddParticipant(now_us(), participant, country, tuple(role)))
    _out.print(f"participant {participant} ({country}; {', '.join(r.value for r in role)}) added")


@app.command()
def deposit(
    participant: str,
    currency: str,
    amount: Annotated[int, typer.Argument(help="Minor units (cents)")],
    db: Db = DEFAULT_DB,
    actor: Actor = None,
) -> None:
    """Credit cash to a participant (not while the service runs)."""
    from kazree.exchange.core.commands import DepositCash

    _apply(db, actor, DepositCash(now_us(), participant, currency, amount))
    _out.print(f"deposited {amount} {currency} minor units to {participant}")


@app.command()
def withdraw(
    participant: str,
    currency: str,
    amount: Annotated[int, typer.Argument(help="Minor units (cents)")],
    db: Db = DEFAULT_DB,
    actor: Actor = None,
) -> None:
    """Debit available cash from a participant (not while the service runs)."""
    from kazree.exchange.core.commands import WithdrawCash

    _apply(db, actor, WithdrawCash(now_us(), participant, currency, amount))
    _out.print(f"withdrew {amount} {currency} minor units from {participant}")


@app.command()
def instruments(db: Db = DEFAULT_DB) -> None:
    """List the instruments and their specifications."""
    specs = read_exchange(db).instruments()
    table = Table("instrument", "product", "min purity bp", "lot kg", "currency", "warehouse")
    for s in specs:
        table.add_row(
            s.instrument, s.product, str(s.min_purity_bp), str(s.lot_kg), s.currency, s.warehouse
        )
    _out.print(table)


@app.command("issue-key")
def issue_key(participant: str, db: Db = DEFAULT_DB, actor: Actor = None) -> None:
    """Issue an API key for a registered participant; it is printed once, never stored."""
    known = participant in read_exchange(db).participants
    if not known:
        msg = f"participant {participant!r}: not registered (add it with add-participant)"
        raise KazreeError(msg)
    with _store(db) as store:
        key = store.issue_key(participant)
        store.audit(actor or getpass.getuser(), "issue_key", {"participant": participant})
    _out.print(f"API key for {participant} (shown only now):")
    print(key)


@app.command("revoke-key")
def revoke_key(key_id: str, db: Db = DEFAULT_DB, actor: Actor = None) -> None:
    """Revoke an API key by its id (the part after ``kz_``); effective immediately."""
    with _store(db) as store:
        info = store.revoke_key(key_id)
        store.audit(actor or getpass.getuser(), "revoke_key", {"key_id": key_id})
    _out.print(f"key {key_id} of {info.participant} revoked")


@app.command()
def keys(
    db: Db = DEFAULT_DB,
    participant: Annotated[str | None, typer.Option(help="Only this participant's keys")] = None,
) -> None:
    """List API keys (ids only; secrets are never stored)."""
    with _store(db) as store:
        rows = store.keys(participant)
    table = Table("key id", "participant", "created", "revoked")
    for k in rows:
        table.add_row(k.key_id, k.participant, _when(k.created_us), _when(k.revoked_us))
    _out.print(table)


@app.command()
def deny(
    participant: str,
    reason: Annotated[str, typer.Option(help="Why, e.g. the sanctions list entry")],
    db: Db = DEFAULT_DB,
    actor: Actor = None,
) -> None:
    """Put a participant on the denied-party list (it may then only cancel orders)."""
    with _store(db) as store:
        store.deny(participant, reason)
        store.audit(
            actor or getpass.getuser(), "deny", {"participant": participant, "reason": reason}
        )
    _out.print(f"{participant} is on the denied-party list")


@app.command()
def undeny(participant: str, db: Db = DEFAULT_DB, actor: Actor = None) -> None:
    """Take a participant off the denied-party list."""
    with _store(db) as store:
        store.undeny(participant)
        store.audit(actor or getpass.getuser(), "undeny", {"participant": participant})
    _out.print(f"{participant} is off the denied-party list")


@app.command()
def denied(db: Db = DEFAULT_DB) -> None:
    """List denied parties."""
    with _store(db) as store:
        rows = store.denied()
    table = Table("participant", "reason")
    for p, reason in sorted(rows.items()):
        table.add_row(p, reason)
    _out.print(table)


@app.command()
def restrict(
    instrument: str,
    country: Annotated[list[str], typer.Option(help="Admitted country (repeat for several)")],
    db: Db = DEFAULT_DB,
    actor: Actor = None,
) -> None:
    """Admit only participants in the given countries to an instrument."""
    with _store(db) as store:
        store.restrict(instrument, country)
        args = {"instrument": instrument, "countries": sorted(set(country))}
        store.audit(actor or getpass.getuser(), "restrict", args)
    _out.print(f"{instrument} is open to participants in {', '.join(sorted(set(country)))}")


@app.command()
def unrestrict(instrument: str, db: Db = DEFAULT_DB, actor: Actor = None) -> None:
    """Open an instrument to participants from every country."""
    with _store(db) as store:
        store.unrestrict(instrument)
        store.audit(actor or getpass.getuser(), "unrestrict", {"instrument": instrument})
    _out.print(f"{instrument} is open to participants from every country")


@app.command()
def jurisdictions(db: Db = DEFAULT_DB) -> None:
    """List restricted instruments and the countries they admit."""
    with _store(db) as store:
        rows = store.jurisdictions()
    table = Table("instrument", "countries")
    for instrument, countries in sorted(rows.items()):
        table.add_row(instrument, ", ".join(sorted(countries)))
    _out.print(table)


@app.command("auction-schedule")
def auction_schedule(
    instrument: str,
    opens: Annotated[str | None, typer.Option(help="UTC time HH:MM the call phase opens")] = None,
    uncross: Annotated[str | None, typer.Option(help="UTC time HH:MM of the uncross")] = None,
    days: Annotated[str, typer.Option(help="Weekdays, comma-separated (mon ... sun)")] = ",".join(
        DEFAULT_DAYS
    ),
    clear: Annotated[bool, typer.Option(help="Remove the instrument's schedule")] = False,
    db: Db = DEFAULT_DB,
    actor: Actor = None,
) -> None:
    """Set (or --clear) an instrument's daily call auction; the running service follows it."""
    who = actor or getpass.getuser()
    if clear:
        with _store(db) as store:
            store.clear_auction_schedule(instrument)
            store.audit(who, "clear_auction_schedule", {"instrument": instrument})
        _out.print(f"{instrument}: auction schedule removed")
        return
    if opens is None or uncross is None:
        msg = "--opens and --uncross are both needed to set a schedule (or give --clear)"
        raise KazreeError(msg)
    schedule = parse_schedule(instrument, opens, uncross, days.split(","))
    listed = read_exchange(db).markets
    if instrument not in listed:
        from kazree.exchange.core.errors import unknown_instrument

        raise KazreeError(unknown_instrument(instrument, listed))
    args = {
        "instrument": instrument,
        "opens": hh_mm(schedule.opens),
        "uncross": hh_mm(schedule.uncross),
        "days": schedule.day_names,
    }
    with _store(db) as store:
        store.set_auction_schedule(schedule)
        store.audit(who, "set_auction_schedule", args)
    next_open, _ = next_times(schedule, to_datetime(now_us()))
    _out.print(
        f"{instrument}: call phase {args['opens']} to {args['uncross']} UTC on "
        f"{', '.join(schedule.day_names)}; next opens {next_open.isoformat()}"
    )


@app.command("auction-schedules")
def auction_schedules(db: Db = DEFAULT_DB) -> None:
    """List the auction schedules (UTC) and each one's next call phase."""
    with _store(db) as store:
        rows = store.auction_schedules()
    now = to_datetime(now_us())
    table = Table("instrument", "opens", "uncross", "days", "next call open")
    for s in rows.values():
        next_open, _ = next_times(s, now)
        table.add_row(
            s.instrument,
            hh_mm(s.opens),
            hh_mm(s.uncross),
            ",".join(s.day_names),
            next_open.isoformat(timespec="minutes"),
        )
    _out.print(table)


@app.command()
def audit(db: Db = DEFAULT_DB) -> None:
    """Print the audit log as JSON lines, oldest first."""
    with _store(db) as store:
        for entry in store.audit_entries():
            print(json.dumps(entry, sort_keys=True))
