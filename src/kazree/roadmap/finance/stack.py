"""A capital stack in YAML: tranches of debt, grants and equity, with terms from the dataset."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kazree.data.rows import InstrumentKind, InstrumentTerm
from kazree.errors import KazreeError
from kazree.roadmap.yamlfile import load_yaml_model

ALLOWED = "a YAML mapping with name and tranches (see docs/roadmap-tools.md)"
DEBT_KINDS = frozenset(
    {
        InstrumentKind.COMMERCIAL_DEBT,
        InstrumentKind.CONCESSIONAL_DEBT,
        InstrumentKind.GUARANTEED_DEBT,
        InstrumentKind.BLENDED_DEBT,
        InstrumentKind.OFFTAKE_LINKED_DEBT,
    }
)
Pct = Annotated[float, Field(ge=0.0, le=100.0)]


class Repayment(StrEnum):
    """How a debt tranche repays its principal after its grace years."""

    SCULPTED = "sculpted"
    """Debt service a constant share of each year's CFADS, so that every repayment year has the
    same DSCR (the tranche's LLCR at its first repayment)."""
    EQUAL = "equal"
    """Equal principal instalments to the end of the tenor."""


class Tranche(BaseModel):
    """One source of capital; terms left out come from the dataset's ``instrument_terms``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: InstrumentKind
    institution: str | None = None
    """Picks the ``instrument_terms`` row of that institution (default: the kind's first row)."""
    share_pct: Pct = 0.0
    """Share of capex this tranche pays."""
    rate_pct: Pct | None = None
    tenor_years: int | None = Field(default=None, ge=1, le=40)
    grace_years: int | None = Field(default=None, ge=0, le=40)
    repayment: Repayment = Repayment.SCULPTED
    carried_pct: Pct = 0.0
    """For a carried state stake: its share of distributions (it pays no capex)."""

    @model_validator(mode="after")
    def _carried(self) -> Tranche:
        if self.carried_pct > 0 and self.kind is not InstrumentKind.STATE_EQUITY:
            msg = f"carried_pct {self.carried_pct}: only a state_equity tranche can be carried"
            raise ValueError(msg)
        if self.carried_pct > 0 and self.share_pct > 0:
            msg = f"share_pct {self.share_pct}: a carried stake pays no capex (allowed: 0)"
            raise ValueError(msg)
        return self


class CapitalStack(BaseModel):
    """Tranches paying shares of capex; what they leave is sponsor equity."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = "stack"
    tranches: list[Tranche] = Field(default_factory=list)

    @model_validator(mode="after")
    def _shares(self) -> CapitalStack:
        total = sum(t.share_pct for t in self.tranches)
        if total > 100.0 + 1e-9:
            msg = (
                f"share_pct sum to {total:g} % of capex "
                "(allowed: at most 100 %; the remainder is sponsor equity)"
            )
            raise ValueError(msg)
        carried = sum(t.carried_pct for t in self.tranches)
        if carried >= 100.0:
            msg = f"carried_pct sum to {carried:g} % (allowed: below 100 %)"
            raise ValueError(msg)
        return self


@dataclass(frozen=True)
class Debt:
    """A debt tranche with its terms resolved (fractions per year)."""

    label: str
    share: float
    rate: float
    tenor: int
    grace: int
    repayment: Repayment = Repayment.SCULPTED


@dataclass(frozen=True)
class ResolvedStack:
    """A stack ready for the cash-flow model."""

    name: str
    debts: tuple[Debt, ...]
    grant_share: float
    """Share of capex paid by grants (never repaid)."""
    carried_share: float
    """Share of distributions owed to carried stakes."""
    sources: tuple[str, ...]

    @property
    def equity_share(self) -> float:
        """Share of capex paid by equity (sponsors and paying state stakes)."""
        return 1.0 - self.grant_share - sum(d.share for d in self.debts)


def _terms_row(
    tranche: Tranche, terms: dict[InstrumentKind, list[InstrumentTerm]], where: str
) -> InstrumentTerm | None:
    rows = terms.get(tranche.kind, [])
    if tranche.institution is None:
        return rows[0] if rows else None
    for row in rows:
        if row.institution.lower() == tranche.institution.lower():
            return row
    if tranche.kind in DEBT_KINDS and None in (tranche.rate_pct, tranche.tenor_years):
        names = ", ".join(repr(r.institution) for r in rows) or "none"
        msg = (
            f"{where}.institution: {tranche.institution!r} has no {tranche.kind.value} terms in "
            f"instrument_terms.csv (allowed: {names}, or give rate_pct and tenor_years)"
        )
        raise KazreeError(msg)
    return None


def _term(row: InstrumentTerm | None, name: str) -> float | None:
    value = getattr(row, name, None)
    return None if value is None else float(value)


def _debt(tranche: Tranche, row: InstrumentTerm | None, where: str) -> Debt:
    rate = tranche.rate_pct if tranche.rate_pct is not None else (row.rate_pct if row else None)
    tenor = tranche.tenor_years if tranche.tenor_years is not None else _term(row, "tenor_years")
    grace = tranche.grace_years if tranche.grace_years is not None else _term(row, "grace_years")
    if rate is None or not tenor:
        msg = f"{where}: {tranche.kind.value} needs rate_pct and tenor_years (none in the dataset)"
        raise KazreeError(msg)
    if grace is not None and grace >= tenor:
        msg = f"{where}: grace_years {grace:g} is not below tenor_years {tenor:g}"
        raise KazreeError(msg)
    label = tranche.institution or (row.institution if row else tranche.kind.value)
    return Debt(
        label,
        tranche.share_pct / 100,
        rate / 100,
        int(tenor),
        int(grace or 0),
        tranche.repayment,
    )


def resolve(
    stack: CapitalStack, terms: dict[InstrumentKind, list[InstrumentTerm]], origin: str
) -> ResolvedStack:
    """The stack with every tranche's terms filled in from ``terms`` where it gives none."""
    debts, sources = [], set()
    for i, tranche in enumerate(stack.tranches):
        where = f"{origin}: tranches[{i}]"
        row = _terms_row(tranche, terms, where)
        if row is not None:
            sources |= set(row.source_ids)
        if tranche.kind in DEBT_KINDS and tranche.share_pct > 0:
            debts.append(_debt(tranche, row, where))
    grants = sum(t.share_pct for t in stack.tranches if t.kind is InstrumentKind.GRANT)
    carried = sum(t.carried_pct for t in stack.tranches)
    return ResolvedStack(
        stack.name, tuple(debts), grants / 100, carried / 100, tuple(sorted(sources))
    )


def load_stack(path: Path) -> CapitalStack:
    """The stack in the YAML file at ``path``."""
    return load_yaml_model(path, CapitalStack, ALLOWED)
