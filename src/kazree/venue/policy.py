"""Policy-aware trading: eligible jurisdictions, denied parties, export controls on delivery.

Checked by the writer on the current state just before an order is journaled (see
``docs/api.md``):

1. A denied party may not place or replace orders (cancelling stays possible).
2. An instrument may list the countries its participants must be in.
3. A sell may not offer a receipt whose chain of custody passes through a country with an
   export-control rule in force on the trade date covering the product's elements and form
   (``kazree.policy``), unless the receipt carries an export licence, when the instrument is
   open to any buyer outside that country. Without explicit ``receipt_ids`` every receipt the
   sell could lock is checked.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Generic, TypeVar

from kazree.api.problems import ApiProblem
from kazree.chain.products import Product, UnknownProduct
from kazree.chain.products import product as chain_product
from kazree.data.controls_schema import ExportControlRow, RuleKind
from kazree.exchange.core.commands import Command, PlaceOrder, ReplaceOrder
from kazree.exchange.core.domain import InstrumentSpec, Side
from kazree.exchange.core.engine import Exchange
from kazree.exchange.core.ledger import Receipt
from kazree.policy.status import RuleStatus, covers, status_on

T = TypeVar("T")

RESTRICTING = frozenset({RuleKind.LICENCE, RuleKind.BAN, RuleKind.QUOTA})
"""Rule kinds that stop an unlicensed delivery abroad."""


def day_of(ts_us: int) -> date:
    """The UTC date of a timestamp in microseconds."""
    return datetime.fromtimestamp(ts_us / 1_000_000, tz=UTC).date()


class Cached(Generic[T]):
    """A value reloaded from its source (a service table) at most every ``ttl_s`` seconds."""

    def __init__(self, load: Callable[[], T], ttl_s: float = 1.0) -> None:
        self._load = load
        self._ttl_s = ttl_s
        self._value: T = load()
        self._at = time.monotonic()

    def get(self) -> T:
        """The current value."""
        if time.monotonic() - self._at > self._ttl_s:
            self._value, self._at = self._load(), time.monotonic()
        return self._value

    def refresh(self) -> None:
        """Reload now."""
        self._value, self._at = self._load(), time.monotonic()


@dataclass(frozen=True)
class TradingPolicy:
    """The rules the gate enforces."""

    rules: tuple[ExportControlRow, ...]
    jurisdictions: Cached[Mapping[str, frozenset[str]]]
    """instrument -> countries its participants must be in (absent: open to all)."""
    denied: Cached[Mapping[str, str]]
    """participant -> why it is denied."""
    licences: Cached[Mapping[str, str]]
    """receipt id -> export licence."""

    def controlling_rule(
        self, product: str, origins: Iterable[str], on: date
    ) -> ExportControlRow | None:
        """The first restricting rule in force on ``on`` covering the product from ``origins``.

        Products are read in the chain's vocabulary (:func:`kazree.chain.products.product`);
        one that does not read (listed before names were checked) is covered by every rule.
        """
        try:
            read: Product | None = chain_product(product)
        except UnknownProduct:
            read = None
        countries = set(origins)
        for rule in self.rules:
            if rule.kind not in RESTRICTING or rule.exporter not in countries:
                continue
            if read is not None and not any(
                covers(rule, element=e, form=read.form) for e in read.elements
            ):
                continue
            if status_on(rule, on, self.rules).status is RuleStatus.IN_FORCE:
                return rule
        return None

    def check(self, engine: Exchange, cmd: Command) -> ApiProblem | None:
        """Why ``cmd`` may not be journaled, or ``None``."""
        if not isinstance(cmd, PlaceOrder | ReplaceOrder):
            return None
        reason = self.denied.get().get(cmd.participant)
        if reason is not None:
            return ApiProblem(
                403,
                "policy.denied_party",
                f"participant {cmd.participant!r} is on the denied-party list ({reason}); "
                "it may only cancel orders",
            )
        if not isinstance(cmd, PlaceOrder):
            return None
        market = engine.markets.get(cmd.instrument)
        participant = engine.participants.get(cmd.participant)
        if market is None or participant is None:
            return None  # the engine rejects it with its own reason
        allowed = self.jurisdictions.get().get(cmd.instrument)
        if allowed is not None and participant.country not in allowed:
            return ApiProblem(
                403,
                "policy.jurisdiction",
                f"instrument {cmd.instrument!r} is open to participants in "
                f"{', '.join(sorted(allowed))} only; "
                f"{cmd.participant!r} is in {participant.country}",
            )
        if cmd.side is Side.SELL:
            return self._check_delivery(engine, cmd, market.spec, allowed)
        return None

    def _check_delivery(
        self,
        engine: Exchange,
        cmd: PlaceOrder,
        spec: InstrumentSpec,
        allowed: frozenset[str] | None,
    ) -> ApiProblem | None:
        owned = engine.ledger.by_owner.get(cmd.participant, {})
        offered: list[Receipt]
        if cmd.receipt_ids:
            offered = [owned[r] for r in cmd.receipt_ids if r in owned]
        else:
            offered = [r for r in owned.values() if r.ineligibility(spec) is None]
        on = day_of(cmd.ts)
        licences = self.licences.get()
        for receipt in offered:
            if receipt.receipt_id.split("/")[0] in licences:
                continue  # a part split off a receipt carries the receipt's licence
            rule = self.controlling_rule(receipt.product, receipt.origins, on)
            if rule is None:
                continue
            if allowed is not None and allowed <= {rule.exporter}:
                continue
            hint = "" if cmd.receipt_ids else " (name receipt_ids to offer other receipts)"
            return ApiProblem(
                422,
                "policy.export_control",
                f"receipt {receipt.receipt_id!r} ({receipt.product}, custody in "
                f"{rule.exporter}) needs an export licence under {rule.instrument} "
                f"(in force on {on.isoformat()}) to be delivered outside {rule.exporter}, "
                f"and instrument {spec.instrument!r} is open to buyers abroad{hint}",
            )
        return None
