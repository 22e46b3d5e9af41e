"""``kazree exchange admin``: participants, instruments, keys, cash, the policy, auctions,
audit log.

Commands that change the exchange (participants, instruments, cash, denied parties,
jurisdictions, licences) are journaled through ``kazree.venue.audit.apply_and_audit``,
straight into the journal, so they refuse while the service runs (one writer at a time); use
the /v1/admin routes then. Listing, key, auction-schedule and audit commands work at any time.
Every change is audited.
"""

from __future__ import annotations

import asyncio
import dataclasses
import getpass
import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from kazree.errors import KazreeError
from kazree.exchange.core.commands import (
    AddInstrument,
    AddParticipant,
    Command,
    DenyParty,
    DepositCash,
    GrantLicence,
    LiftDenial,
    RevokeLicence,
    SetJurisdiction,
    WithdrawCash,
)
from kazree.exchange.core.domain import Role
from kazree.exchange.core.engine import Exchange
from kazree.exchange.core.errors import unknown_instrument
from kazree.exchange.core.events import Event
from kazree.venue.audit import Record, apply_and_audit
from kazree.venue.clock import now_us
from kazree.venue.errors import CommandRefused
from kazree.venue.listing import Listing, listing_spec
from kazree.venue.prices import per_kg
from kazree.venue.schedule import DEFAULT_DAYS, hh_mm, next_times, parse_schedule, to_datetime

if TYPE_CHECKING:
    from kazree.venue.store import ServiceStore

app = typer.Typer(
    help="Administer the exchange: participants, API keys, cash, denied parties, auctions.",
    no_args_is_help=True,
)

Db = Annotated[
    str, typer.Option("--db", help="Journal database (sqlite:///PATH.db or postgresql://...)")
]
Actor = Annotated[str | None, typer.Option(help="Who is acting, for the audit log")]
Amount = Annotated[int, typer.Argument(help="Minor units (cents)")]
DEFAULT_DB = "sqlite:///exchange.db"
_out = Console(highlight=False)


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
    """Journal ``command`` (not while the service runs) and audit it; a refusal is one line.

    Old policy tables are adopted and the export controls brought up to date first, as the
    service does when it starts.
    """
    from kazree.exchange.durability.durable import DurableExchange
    from kazree.venue.policy import sync_policy

    with DurableExchange.open(db) as exchange, _store(db) as store:

        async def submit(c: Command, record: Record | None = None) -> list[Event]:
            return exchange.submit(dataclasses.replace(c, ts=now_us()))  # audited after

        @asynccontextmanager
        async def reading() -> AsyncIterator[Exchange]:
            yield exchange.engine

        async def run() -> None:
            await sync_policy(submit, store, reading, store.db)
            await apply_and_audit(submit, store, actor or getpass.getuser(), command)

        try:
            asyncio.run(run())
        except CommandRefused as exc:
            msg = f"{exc.command}: {exc.message}"
            raise KazreeError(msg) from exc


def _read(db: str) -> Exchange:
    """The engine state of the journal at ``db``, read without the writer lock."""
    from kazree.exchange.durability.durable import read_exchange

    return read_exchange(db)


@app.command("add-participant")
def add_participant(
    participant: Annotated[str, typer.Argument(help="Participant id")],
    country: Annotated[str, typer.Option(help="ISO 3166 alpha-2 code")],
    role: Annotated[list[Role], typer.Option(help="Role (repeat for several)")],
    db: Db = DEFAULT_DB,
    actor: Actor = None,
) -> None:
    """Register a participant (not while the service runs)."""
    _apply(db, actor, AddParticipant(now_us(), participant, country, tuple(role)))
    _out.print(f"participant {participant} ({country}; {', '.join(r.value for r in role)}) added")


@app.command()
def deposit(
    participant: str,
    currency: str,
    amount: Amount,
    db: Db = DEFAULT_DB,
    actor: Actor = None,
) -> None:
    """Credit cash to a participant (not while the service runs)."""
    _apply(db, actor, DepositCash(now_us(), participant, currency, amount))
    _out.print(f"deposited {amount} {currency} minor units to {participant}")


@app.command()
def withdraw(
    participant: str,
    currency: str,
    amount: Amount,
    db: Db = DEFAULT_DB,
    actor: Actor = None,
) -> None:
    """Debit available cash from a participant (not while the service runs)."""
    _apply(db, actor, WithdrawCash(now_us(), participant, currency, amount))
    _out.print(f"withdrew {amount} {currency} minor units from {participant}")


@app.command("list-instrument")
def list_instrument(
    instrument: Annotated[str, typer.Argument(help="Instrument id, e.g. TB-METAL")],
    product: Annotated[
        str,
        typer.Option(
            help="<elements>-<form> (oxide, metal, carbonate, concentrate) or "
            "<magnet family>-<grade>: Tb-metal, NdPr-oxide, NdFeB-N48H"
        ),
    ],
    lot_kg: Annotated[int, typer.Option(help="kg in one lot")],
    reference: Annotated[
        Decimal, typer.Option(help="Reference price in the currency per kg (whole ticks)")
    ],
    warehouse: Annotated[str, typer.Option(help="Warehouse whose receipts it delivers")],
    min_purity_bp: Annotated[int, typer.Option(help="Minimum purity, basis points")] = 9950,
    tick_minor_per_kg: Annotated[int, typer.Option(help="Tick: minor units per kg")] = 1,
    currency: str = "USD",
    band_bp: Annotated[int, typer.Option(help="Price band half-width, basis points")] = 1000,
    excluded_origin: Annotated[
        list[str] | None, typer.Option(help="Origin country excluded (repeat for several)")
    ] = None,
    maker_fee_bp: int = 5,
    taker_fee_bp: int = 10,
    db: Db = DEFAULT_DB,
    actor: Actor = None,
) -> None:
    """List a new instrument with its specification (not while the service runs)."""
    listing = Listing(
        instrument=instrument,
        product=product,
        lot_kg=lot_kg,
        tick_minor_per_kg=tick_minor_per_kg,
        currency=currency,
        warehouse=warehouse,
        min_purity_bp=min_purity_bp,
        reference_per_kg=reference,
        band_bp=band_bp,
        excluded_origins=tuple(excluded_origin or ()),
        maker_fee_bp=maker_fee_bp,
        taker_fee_bp=taker_fee_bp,
    )
    spec = listing_spec(listing)
    _apply(db, actor, AddInstrument(now_us(), spec))
    _out.print(
        f"instrument {instrument} listed: {product}, lots of {lot_kg} kg, reference "
        f"{per_kg(spec.reference_ticks, spec)} {currency}/kg ({spec.reference_ticks} ticks)"
    )


@app.command()
def instruments(db: Db = DEFAULT_DB) -> None:
    """List the instruments and their specifications."""
    specs = _read(db).instruments()
    table = Table("instrument", "product", "min purity bp", "lot kg", "currency", "warehouse")
    for s in specs:
        table.add_row(
            s.instrument, s.product, str(s.min_purity_bp), str(s.lot_kg), s.currency, s.warehouse
        )
    _out.print(table)


@app.command("issue-key")
def issue_key(participant: str, db: Db = DEFAULT_DB, actor: Actor = None) -> None:
    """Issue an API key for a registered participant; it is printed once, never stored."""
    known = _read(db).participant_view(participant) is not None
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
    """Put a participant on the denied-party list: its resting orders are cancelled and it may
    then only cancel (not while the service runs)."""
    _apply(db, actor, DenyParty(now_us(), participant, reason))
    _out.print(f"{participant} is on the denied-party list")


@app.command()
def undeny(participant: str, db: Db = DEFAULT_DB, actor: Actor = None) -> None:
    """Take a participant off the denied-party list (not while the service runs)."""
    _apply(db, actor, LiftDenial(now_us(), participant))
    _out.print(f"{participant} is off the denied-party list")


@app.command()
def denied(db: Db = DEFAULT_DB) -> None:
    """List denied parties."""
    table = Table("participant", "reason")
    for p, reason in _read(db).policy().denied:
        table.add_row(p, reason)
    _out.print(table)


@app.command()
def restrict(
    instrument: str,
    country: Annotated[list[str], typer.Option(help="Admitted country (repeat for several)")],
    db: Db = DEFAULT_DB,
    actor: Actor = None,
) -> None:
    """Admit only participants in the given countries to an instrument; others' resting orders
    are cancelled (not while the service runs)."""
    countries = tuple(sorted(set(country)))
    _apply(db, actor, SetJurisdiction(now_us(), instrument, countries))
    _out.print(f"{instrument} is open to participants in {', '.join(countries)}")


@app.command()
def unrestrict(instrument: str, db: Db = DEFAULT_DB, actor: Actor = None) -> None:
    """Open an instrument to participants from every country (not while the service runs)."""
    _apply(db, actor, SetJurisdiction(now_us(), instrument, ()))
    _out.print(f"{instrument} is open to participants from every country")


@app.command()
def jurisdictions(db: Db = DEFAULT_DB) -> None:
    """List restricted instruments and the countries they admit."""
    table = Table("instrument", "countries")
    for instrument, countries in _read(db).policy().jurisdictions:
        table.add_row(instrument, ", ".join(countries))
    _out.print(table)


@app.command()
def licence(
    receipt_id: str,
    licence: Annotated[str | None, typer.Option(help="The export licence the goods carry")] = None,
    revoke: Annotated[bool, typer.Option(help="Remove the receipt's licence")] = False,
    db: Db = DEFAULT_DB,
    actor: Actor = None,
) -> None:
    """Record (--licence) or --revoke a receipt's export licence (not while the service runs)."""
    if revoke == (licence is not None):
        msg = "give either --licence TEXT or --revoke"
        raise KazreeError(msg)
    if licence is None:
        _apply(db, actor, RevokeLicence(now_us(), receipt_id))
        _out.print(f"{receipt_id}: export licence revoked")
        return
    _apply(db, actor, GrantLicence(now_us(), receipt_id, licence))
    _out.print(f"{receipt_id}: export licence {licence!r} recorded")


@app.command("export-controls")
def export_controls_cmd(db: Db = DEFAULT_DB) -> None:
    """List the export controls the exchange enforces (derived from the dataset's rules)."""
    table = Table("rule", "exporter", "products", "from", "to", "legal instrument")
    for c in _read(db).policy().controls:
        table.add_row(
            c.rule_id,
            c.exporter,
            ", ".join(c.products),
            c.first_day or "",
            c.last_day or "",
            c.legal_instrument,
        )
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
    engine = _read(db)
    if engine.instrument(instrument) is None:
        listed = (s.instrument for s in engine.instruments())
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
