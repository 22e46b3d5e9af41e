"""Policy administration: keep the engine's export controls in step with the dataset, and adopt
the policy tables of databases written before the policy moved into the engine.

The engine enforces the policy (``kazree.exchange.core.policy``); here the service only decides
which commands to send it. Both the running service (at start-up) and ``kazree exchange admin``
(before each change) call :func:`sync_policy` with their own way of submitting, and every
command it sends is applied and audited as actor ``system`` like any other administrative one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING

import sqlalchemy as sa

from kazree.data.controls_schema import ExportControlRow
from kazree.exchange.core.commands import (
    Command,
    DenyParty,
    GrantLicence,
    SetExportControls,
    SetJurisdiction,
)
from kazree.exchange.core.engine import Exchange
from kazree.policy.rules import dataset_rules
from kazree.venue.audit import AuditLog, Submit, apply_and_audit
from kazree.venue.controls import export_controls
from kazree.venue.errors import CommandRefused

if TYPE_CHECKING:
    from kazree.venue.service import Service

ACTOR = "system"
"""The audit log's actor for changes the service makes by itself."""

LEGACY_TABLES = ("denied_parties", "export_licences", "instrument_jurisdictions")
"""Service tables that held the policy before it became engine state."""

_log = logging.getLogger("kazree.venue.policy")


def controls_update(
    engine: Exchange, rules: Sequence[ExportControlRow]
) -> SetExportControls | None:
    """The command that brings the engine's export controls in line, or ``None`` if they are."""
    wanted = export_controls(rules, (s.product for s in engine.instruments()))
    if wanted == engine.policy().controls:
        return None
    return SetExportControls(ts=0, controls=wanted)


def legacy_commands(db: sa.Engine, engine: Exchange) -> list[Command]:
    """The policy rows of the old service tables, as commands for what still exists.

    A licence goes to the receipt it names and to the parts split off it (the old rule); rows
    naming a participant, instrument or receipt that no longer exists are left out.
    """
    tables = sa.MetaData()
    tables.reflect(db, only=lambda name, _: name in LEGACY_TABLES)
    commands: list[Command] = []
    with db.connect() as conn:
        if "denied_parties" in tables.tables:
            for row in conn.execute(tables.tables["denied_parties"].select()):
                if engine.participant_view(row.participant) is not None:
                    commands.append(DenyParty(0, row.participant, row.reason))
        if "instrument_jurisdictions" in tables.tables:
            for row in conn.execute(tables.tables["instrument_jurisdictions"].select()):
                if engine.instrument(row.instrument) is not None:
                    countries = tuple(sorted(row.countries.split(",")))
                    commands.append(SetJurisdiction(0, row.instrument, countries))
        if "export_licences" in tables.tables:
            licences = {
                r.receipt_id: r.licence
                for r in conn.execute(tables.tables["export_licences"].select())
            }
            for owner in engine.participant_names():
                for r in engine.receipts(owner):
                    licence = licences.get(r.receipt_id.split("/")[0])
                    if licence is not None:
                        commands.append(GrantLicence(0, r.receipt_id, licence))
    return commands


def drop_legacy_tables(db: sa.Engine) -> None:
    """Drop the old policy tables (after their rows were journaled as commands)."""
    tables = sa.MetaData()
    tables.reflect(db, only=lambda name, _: name in LEGACY_TABLES)
    tables.drop_all(db)


Reading = Callable[[], AbstractAsyncContextManager[Exchange]]
"""Gives the engine between batches (``Sequencer.reading``)."""


async def sync_policy(
    submit: Submit,
    log: AuditLog,
    reading: Reading,
    db: sa.Engine,
) -> None:
    """Adopt old policy tables once, then set the export controls the dataset puts in force."""
    async with reading() as engine:
        adopted = await asyncio.to_thread(legacy_commands, db, engine)
    for command in adopted:
        try:
            await apply_and_audit(submit, log, ACTOR, command, {"adopted_from": "service tables"})
        except CommandRefused as exc:  # e.g. adopted before a crash; audited with the reason
            _log.warning("old policy row not adopted: %s", exc)
    legacy = await asyncio.to_thread(_has_legacy, db)
    if legacy:
        await asyncio.to_thread(drop_legacy_tables, db)
        _log.info("old policy tables adopted into the journal as %d commands", len(adopted))
    async with reading() as engine:
        update = controls_update(engine, dataset_rules())
    if update is not None:
        await apply_and_audit(submit, log, ACTOR, update)


def _has_legacy(db: sa.Engine) -> bool:
    return bool(set(sa.inspect(db).get_table_names()) & set(LEGACY_TABLES))


async def sync_service_policy(service: Service) -> None:
    """:func:`sync_policy` for the running service (through its writer)."""
    sequencer = service.sequencer
    await sync_policy(sequencer.submit, service.store, sequencer.reading, service.store.db)
