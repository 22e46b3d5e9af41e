"""A yearly price path: a flat number, a YAML of year: price, or a dataset market's latest price."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kazree.data.loader import Dataset
from kazree.errors import KazreeError
from kazree.roadmap.finance.project import Project
from kazree.scenario.loading import read_mapping

ALLOWED = "a price in US$/kg, a YAML file of year: US$/kg, or a market of the prices table"


@dataclass(frozen=True)
class PricePath:
    """Reference price per year, US$/kg: linear between given years, flat outside them."""

    years: tuple[int, ...]
    usd_per_kg: tuple[float, ...]
    label: str

    def at(self, years: np.ndarray) -> np.ndarray:
        """The price in each of ``years``."""
        prices: np.ndarray = np.interp(years, self.years, self.usd_per_kg)
        return prices


def flat(price: float, label: str) -> PricePath:
    """The same price every year."""
    return PricePath((2000,), (price,), label)


def _market(dataset: Dataset, project: Project, market: str) -> PricePath:
    frame = dataset.table("prices")
    mine = frame[(frame["product"] == project.product) & (frame["form"] == project.form.value)]
    markets = sorted(set(mine["market"].astype(str)))
    if market not in markets:
        msg = (
            f"--prices {market!r}: no {project.product} {project.form.value} price in that market "
            f"(allowed: {ALLOWED}: {', '.join(markets) or 'none for this product'})"
        )
        raise KazreeError(msg)
    rows = mine[mine["market"] == market]
    year = int(rows["year"].max())
    price = float(rows.loc[rows["year"] == year, "price_usd_per_kg"].mean())
    sources = ";".join(sorted(set(rows.loc[rows["year"] == year, "source"].astype(str))))
    return flat(price, f"{project.product} {market} {year} ({sources}), held flat")


def _file(path: Path) -> PricePath:
    data = read_mapping(path, ALLOWED)
    points: list[tuple[int, float]] = []
    for key, value in data.items():
        try:
            year, price = int(key), float(value)
        except (TypeError, ValueError):
            msg = f"{path}: {key}: {value!r} is not year: price (allowed: e.g. 2030: 85.0)"
            raise KazreeError(msg) from None
        if price <= 0:
            msg = f"{path}: {key}: price {price} is not positive (allowed: US$/kg above 0)"
            raise KazreeError(msg)
        points.append((year, price))
    if not points:
        msg = f"{path}: no prices (allowed: {ALLOWED})"
        raise KazreeError(msg)
    points.sort()
    return PricePath(tuple(y for y, _ in points), tuple(p for _, p in points), str(path))


def price_path(spec: str, dataset: Dataset, project: Project) -> PricePath:
    """The path named by ``spec`` (see :data:`ALLOWED`)."""
    try:
        price = float(spec)
    except ValueError:
        path = Path(spec)
        return _file(path) if path.is_file() else _market(dataset, project, spec)
    if price <= 0:
        msg = f"--prices {spec!r}: not positive (allowed: {ALLOWED})"
        raise KazreeError(msg)
    return flat(price, f"{price:g} US$/kg flat")
