"""Cash accounts and warehouse receipts, with the totals that conservation is checked against."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import NamedTuple

from kazree.exchange.core.domain import Assay, InstrumentSpec, ProvenanceStep
from kazree.exchange.core.provenance import origin_countries


class Account:
    """One participant's cash in one currency, in minor units."""

    __slots__ = ("available", "locked")

    def __init__(self, available: int = 0, locked: int = 0) -> None:
        self.available = available
        self.locked = locked


class Grade(NamedTuple):
    """What decides where a receipt may be offered: product, warehouse, purity, origins."""

    product: str
    warehouse: str
    purity_bp: int
    origins: frozenset[str]


def ineligibility(grade: Grade, spec: InstrumentSpec) -> str | None:
    """``None`` when receipts of ``grade`` may back a sell on ``spec``, else why not."""
    if grade.product != spec.product:
        return f"product {grade.product!r} is not {spec.product!r}"
    if grade.warehouse != spec.warehouse:
        return f"warehouse {grade.warehouse!r} is not {spec.warehouse!r}"
    if grade.purity_bp < spec.min_purity_bp:
        return f"purity {grade.purity_bp} bp is below {spec.min_purity_bp} bp"
    banned = grade.origins.intersection(spec.excluded_origins)
    if banned:
        return f"provenance passes through {', '.join(sorted(banned))}, excluded by the basket"
    return None


class Receipt:
    """A warehouse receipt: ``quantity_kg`` of a product, of which ``locked_kg`` back sells."""

    __slots__ = (
        "assay",
        "grade",
        "licence",
        "locked_kg",
        "owner",
        "provenance",
        "quantity_kg",
        "receipt_id",
    )

    def __init__(
        self,
        receipt_id: str,
        owner: str,
        grade: Grade,
        quantity_kg: int,
        assay: Assay,
        provenance: tuple[ProvenanceStep, ...],
        locked_kg: int = 0,
        licence: str | None = None,
    ) -> None:
        self.receipt_id = receipt_id
        self.owner = owner
        self.grade = grade
        self.quantity_kg = quantity_kg
        self.assay = assay
        self.provenance = provenance
        self.locked_kg = locked_kg
        self.licence = licence
        """The export licence the goods carry; the parts split off in settlement keep it."""

    @property
    def product(self) -> str:
        """The product on the receipt."""
        return self.grade.product

    @property
    def warehouse(self) -> str:
        """Where the goods are."""
        return self.grade.warehouse

    @property
    def origins(self) -> frozenset[str]:
        """The countries the chain of custody passes through."""
        return self.grade.origins

    def ineligibility(self, spec: InstrumentSpec) -> str | None:
        """``None`` when this receipt may back a sell on ``spec``, else why not."""
        return ineligibility(self.grade, spec)


def new_receipt(
    receipt_id: str,
    owner: str,
    warehouse: str,
    product: str,
    quantity_kg: int,
    assay: Assay,
    provenance: tuple[ProvenanceStep, ...],
    locked_kg: int = 0,
    licence: str | None = None,
) -> Receipt:
    """A receipt with its grade worked out from the assay and the provenance."""
    grade = Grade(product, warehouse, assay.purity_bp, origin_countries(provenance))
    return Receipt(receipt_id, owner, grade, quantity_kg, assay, provenance, locked_kg, licence)


class Ledger:
    """All cash accounts and receipts, plus the running totals of what entered and left."""

    def __init__(self) -> None:
        self.accounts: dict[str, dict[str, Account]] = {}
        """participant -> currency -> account."""
        self.fee_income: dict[str, int] = {}
        """currency -> fees collected by the exchange."""
        self.net_deposits: dict[str, int] = {}
        """currency -> deposits less withdrawals."""
        self.receipts: dict[str, Receipt] = {}
        self.holdings: dict[str, dict[Grade, dict[str, Receipt]]] = {}
        """owner -> grade -> receipts, grades and receipts in the order first acquired."""
        self.net_issued_kg: dict[str, int] = {}
        """product -> kg issued less kg withdrawn."""

    def account(self, participant: str, currency: str) -> Account:
        """The account, created empty on first use."""
        accounts = self.accounts[participant]
        acc = accounts.get(currency)
        if acc is None:
            acc = accounts[currency] = Account()
        return acc

    def available(self, participant: str, currency: str) -> int:
        """Available cash, 0 for an account never used."""
        acc = self.accounts[participant].get(currency)
        return acc.available if acc is not None else 0

    def add_receipt(self, receipt: Receipt) -> None:
        """File a receipt under its id and at the end of its owner's group for its grade."""
        self.receipts[receipt.receipt_id] = receipt
        groups = self.holdings[receipt.owner]
        group = groups.get(receipt.grade)
        if group is None:
            group = groups[receipt.grade] = {}
        group[receipt.receipt_id] = receipt

    def drop_receipt(self, receipt: Receipt) -> None:
        """Remove a receipt from both indexes (an emptied grade group goes too)."""
        del self.receipts[receipt.receipt_id]
        groups = self.holdings[receipt.owner]
        group = groups[receipt.grade]
        del group[receipt.receipt_id]
        if not group:
            del groups[receipt.grade]

    def transfer_receipt(self, receipt: Receipt, to: str) -> None:
        """Hand a whole receipt to a new owner."""
        self.drop_receipt(receipt)
        receipt.owner = to
        self.add_receipt(receipt)

    @property
    def by_owner(self) -> Mapping[str, dict[str, Receipt]]:
        """owner -> {receipt id: receipt}, built on access, grouped as :meth:`owned` lists."""
        return _ByOwner(self)

    def owned(self, owner: str) -> Iterator[Receipt]:
        """An owner's receipts, grouped by grade."""
        for group in self.holdings.get(owner, {}).values():
            yield from group.values()

    def cash_totals(self) -> dict[str, int]:
        """currency -> cash held in all accounts plus the exchange's fee income."""
        totals = dict(self.fee_income)
        for accounts in self.accounts.values():
            for currency, acc in accounts.items():
                totals[currency] = totals.get(currency, 0) + acc.available + acc.locked
        return totals

    def product_totals(self) -> dict[str, int]:
        """product -> kg held on receipts."""
        totals: dict[str, int] = {}
        for r in self.receipts.values():
            product = r.grade.product
            totals[product] = totals.get(product, 0) + r.quantity_kg
        return totals

    def iter_receipts(self) -> Iterator[Receipt]:
        """Every receipt: owners sorted, then as :meth:`owned` lists them."""
        for owner in sorted(self.holdings):
            yield from self.owned(owner)


class _ByOwner(Mapping[str, dict[str, Receipt]]):
    """A read-only owner -> receipts view over a ledger's holdings."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def __getitem__(self, owner: str) -> dict[str, Receipt]:
        if owner not in self._ledger.holdings:
            raise KeyError(owner)
        return {r.receipt_id: r for r in self._ledger.owned(owner)}

    def __iter__(self) -> Iterator[str]:
        return iter(self._ledger.holdings)

    def __len__(self) -> int:
        return len(self._ledger.holdings)
