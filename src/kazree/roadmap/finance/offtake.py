"""Offtake contracts: volume, tenor and price formula (fixed, or market with floor and cap)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from kazree.data.schema import CountryCode
from kazree.roadmap.yamlfile import load_yaml_model

ALLOWED = "a YAML mapping with offtakes: a list of contracts (see docs/roadmap-tools.md)"
Pct = Annotated[float, Field(ge=0.0, le=100.0)]
Price = Annotated[float, Field(gt=0.0)]


class Formula(StrEnum):
    """How an offtake is priced."""

    FIXED = "fixed"
    """``price_usd_per_kg`` every year."""
    MARKET = "market"
    """The reference price, held within ``floor_usd_per_kg`` and ``cap_usd_per_kg`` if given."""


class Offtake(BaseModel):
    """One contract: who takes how much, for how long, at what price."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    offtaker: str = Field(min_length=1)
    country: CountryCode | None = None
    share_pct: Pct | None = None
    """Share of each year's output; or give ``volume_t``."""
    volume_t: float | None = Field(default=None, gt=0.0)
    """Tonnes per year (capped at what is produced)."""
    start_year: int | None = Field(default=None, ge=2000, le=2100)
    """First contract year (default: the project's first year of production)."""
    tenor_years: int = Field(ge=1, le=40)
    formula: Formula
    price_usd_per_kg: Price | None = None
    floor_usd_per_kg: Price | None = None
    cap_usd_per_kg: Price | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Offtake:
        if (self.share_pct is None) == (self.volume_t is None):
            msg = "give exactly one of share_pct and volume_t"
            raise ValueError(msg)
        if self.formula is Formula.FIXED and self.price_usd_per_kg is None:
            msg = "a fixed formula needs price_usd_per_kg"
            raise ValueError(msg)
        floor, cap = self.floor_usd_per_kg, self.cap_usd_per_kg
        if floor is not None and cap is not None and floor > cap:
            msg = f"floor_usd_per_kg {floor} is above cap_usd_per_kg {cap} (allowed: floor <= cap)"
            raise ValueError(msg)
        return self

    def price(self, reference: np.ndarray) -> np.ndarray:
        """The contract price in each year given the reference price, US$/kg."""
        if self.formula is Formula.FIXED:
            return np.full(reference.shape, float(self.price_usd_per_kg or 0.0))
        low = -np.inf if self.floor_usd_per_kg is None else self.floor_usd_per_kg
        high = np.inf if self.cap_usd_per_kg is None else self.cap_usd_per_kg
        clipped: np.ndarray = np.clip(reference, low, high)
        return clipped


class OfftakeBook(BaseModel):
    """A project's offtake contracts."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    offtakes: list[Offtake] = Field(default_factory=list)

    @model_validator(mode="after")
    def _shares(self) -> OfftakeBook:
        total = sum(o.share_pct or 0.0 for o in self.offtakes)
        if total > 100.0 + 1e-9:
            msg = f"share_pct sum to {total:g} % of output (allowed: at most 100 %)"
            raise ValueError(msg)
        return self


def revenue_musd(
    book: OfftakeBook,
    years: np.ndarray,
    production_t: np.ndarray,
    reference: np.ndarray,
    first_year: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Revenue (million US$) and tonnes sold under contract, per year.

    Contracts take their volumes in file order until output runs out; the rest sells at the
    reference price. t x US$/kg / 1000 = million US$.
    """
    left = production_t.astype(float).copy()
    revenue = np.zeros(years.shape)
    contracted = np.zeros(years.shape)
    for deal in book.offtakes:
        start = deal.start_year or first_year
        active = (years >= start) & (years < start + deal.tenor_years)
        wanted = (
            production_t * (deal.share_pct or 0.0) / 100
            if deal.volume_t is None
            else np.full(years.shape, deal.volume_t)
        )
        volume = np.where(active, np.minimum(wanted, left), 0.0)
        left -= volume
        contracted += volume
        revenue += volume * deal.price(reference) / 1000
    return revenue + left * reference / 1000, contracted


def load_offtakes(path: Path) -> OfftakeBook:
    """The offtake book in the YAML file at ``path``."""
    return load_yaml_model(path, OfftakeBook, ALLOWED)
