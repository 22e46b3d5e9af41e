"""Plants against the ore that feeds them: separation capacity vs the NdPr that could fill it,
and planned Dy and Tb output vs the element distribution of the feed's deposit type.

Base-year rows only (operating, started by :data:`BASE_YEAR`, not inside an aggregate). Each
problem names the plant's row and the rows it is compared with, as ``file:line``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kazree.chain.forms import Stage
from kazree.data.checks.base import Records, file_of, rows_of
from kazree.data.problems import Problem, Severity
from kazree.data.rows import (
    CapacityBasis,
    ElementShare,
    Facility,
    SecondaryProduction,
    Status,
    TradeFlow,
)
from kazree.data.schema import BASE_YEAR

NDPR = ("Nd", "Pr")
RATIO_FACTOR = 2.0
"""A plant's Dy or Tb per t NdPr may differ from its feed type's by this factor (assays are
recalled literature values) before it is flagged."""


def type_shares(records: Records) -> dict[str, dict[str, tuple[int, float]]]:
    """Element shares as fractions of the type's sum, with their lines, by deposit type."""
    rows: dict[str, dict[str, tuple[int, float]]] = defaultdict(dict)
    for line, row in rows_of(records, "element_distribution", ElementShare):
        rows[row.deposit_type][row.element] = (line, row.share_pct)
    out: dict[str, dict[str, tuple[int, float]]] = {}
    for kind, elements in rows.items():
        total = sum(pct for _, pct in elements.values())
        if total > 0:
            out[kind] = {el: (line, pct / total) for el, (line, pct) in elements.items()}
    return out


def _ndpr(shares: dict[str, tuple[int, float]]) -> float:
    return sum(shares.get(el, (0, 0.0))[1] for el in NDPR)


def _base_year(row: Facility) -> bool:
    started = row.start_year is None or row.start_year <= BASE_YEAR
    return (
        row.status is Status.OPERATING
        and started
        and row.part_of is None
        and row.capacity_t is not None
    )


@dataclass
class _Supply:
    """NdPr (t oxide) by country from mines, imports and scrap, with the rows behind it."""

    ore: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    """Mined t REO."""
    mined: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    """NdPr oxide in the mined ore."""
    imported: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    scrap: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    lines: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @property
    def world(self) -> float:
        """NdPr from all mines and scrap."""
        return sum(self.mined.values()) + sum(self.scrap.values())

    def share(self, country: str) -> float:
        """NdPr share of ``country``'s mined ore, or of the world's where it mines none."""
        if self.ore.get(country):
            return self.mined[country] / self.ore[country]
        ore = sum(self.ore.values())
        return sum(self.mined.values()) / ore if ore else 0.0

    def local(self, country: str) -> float:
        """NdPr ``country`` can feed from its own mines, recorded imports and scrap."""
        return (
            self.mined.get(country, 0.0)
            + self.imported.get(country, 0.0)
            + self.scrap.get(country, 0.0)
        )


def _supply(records: Records, types: dict[str, dict[str, tuple[int, float]]]) -> _Supply:
    supply = _Supply()
    for line, row in rows_of(records, "facilities", Facility):
        fed = row.deposit_type in types and row.capacity_basis is CapacityBasis.T_REO
        if row.stage is Stage.MINING and _base_year(row) and fed and row.capacity_t:
            supply.ore[row.country] += row.capacity_t
            supply.mined[row.country] += row.capacity_t * _ndpr(types[str(row.deposit_type)])
            supply.lines[row.country].append(f"{file_of('facilities')}:{line}")
    for line, flow in rows_of(records, "trade_flows", TradeFlow):
        if flow.year == BASE_YEAR:
            supply.imported[flow.destination] += flow.quantity_t_reo * supply.share(flow.origin)
            supply.lines[flow.destination].append(f"{file_of('trade_flows')}:{line}")
    for line, scrap in rows_of(records, "secondary_production", SecondaryProduction):
        if scrap.year == BASE_YEAR and scrap.element in (*NDPR, "NdPr"):
            supply.scrap[scrap.country] += scrap.quantity_t_reo
            supply.lines[scrap.country].append(f"{file_of('secondary_production')}:{line}")
    return supply


def mined_ndpr_share(records: Records) -> dict[str, float]:
    """NdPr share of each country's base-year mined ore, weighted by t REO mine capacity."""
    supply = _supply(records, type_shares(records))
    return {country: supply.share(country) for country in supply.ore}


def _separation_ndpr(row: Facility, supply: _Supply) -> float:
    """A base-year separation row's capacity in t NdPr oxide (0 for heavy-RE feed)."""
    capacity = row.capacity_t or 0.0
    if row.capacity_basis is CapacityBasis.T_NDPR_OXIDE:
        return capacity
    if row.capacity_basis is CapacityBasis.T_REO:
        return capacity * supply.share(row.country)
    return 0.0


def check_separation_feed(records: Records) -> list[Problem]:
    """Each country's separation capacity, as t NdPr oxide, can be fed.

    An error where it exceeds all the NdPr the world's mines and scrap yield; a warning where
    it exceeds what the country's own mines, recorded imports (``trade_flows``) and scrap yield.
    """
    types = type_shares(records)
    supply = _supply(records, types)
    plants: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for line, row in rows_of(records, "facilities", Facility):
        if row.stage is Stage.SEPARATION and _base_year(row):
            plants[row.country].append((line, _separation_ndpr(row, supply)))
    problems = []
    for country, items in sorted(plants.items()):
        capacity = sum(ndpr for _, ndpr in items)
        here = f"{file_of('facilities')}:{','.join(str(line) for line, _ in items)}"
        local = supply.local(country)
        behind = "; ".join(supply.lines.get(country, [])) or "no rows"
        if capacity > supply.world:
            message = (
                f"{country} separation capacity holds {capacity:,.0f} t NdPr oxide ({here}) but "
                f"the world's mines and scrap yield {supply.world:,.0f} t (allowed: at most that)"
            )
            problems.append(Problem(file_of("facilities"), items[0][0], "capacity_t", message))
        elif capacity > local:
            message = (
                f"{country} separation capacity holds {capacity:,.0f} t NdPr oxide ({here}) but "
                f"its mines, recorded imports and scrap yield {local:,.0f} t ({behind}); "
                "its feed route is missing from trade_flows.csv (allowed: at most that)"
            )
            problems.append(
                Problem(file_of("facilities"), items[0][0], "capacity_t", message, Severity.WARNING)
            )
    return problems


def check_plant_feed(records: Records) -> list[Problem]:
    """A plant's planned Dy and Tb per t NdPr match its feed's deposit type within a factor 2."""
    types = type_shares(records)
    problems = []
    for line, row in rows_of(records, "facilities", Facility):
        shares = types.get(str(row.deposit_type))
        if shares is None or row.capacity_basis is not CapacityBasis.T_NDPR_OXIDE:
            continue
        for element, planned in (("Dy", row.dy_oxide_t), ("Tb", row.tb_oxide_t)):
            if planned is None or not row.capacity_t or element not in shares:
                continue
            plant = planned / row.capacity_t
            ore = shares[element][1] / _ndpr(shares)
            if ore > 0 and 1 / RATIO_FACTOR <= plant / ore <= RATIO_FACTOR:
                continue
            rows = f"{file_of('element_distribution')}:{shares[element][0]}"
            message = (
                f"{row.id}: {element} {plant:.2%} of NdPr, its feed type {row.deposit_type!r} "
                f"holds {ore:.2%} ({rows}; allowed: within a factor {RATIO_FACTOR:g})"
            )
            field_name = f"{element.lower()}_oxide_t"
            problems.append(
                Problem(file_of("facilities"), line, field_name, message, Severity.WARNING)
            )
    return problems
