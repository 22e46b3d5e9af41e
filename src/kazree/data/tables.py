"""The registry of dataset tables: one :class:`TableSpec` per CSV file in ``files/``."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from kazree.data import rows
from kazree.data.controls_schema import ExportControlRow
from kazree.data.schema import Source


@dataclass(frozen=True)
class TableSpec:
    """A dataset table: its name, file, row schema and the columns that identify a row."""

    name: str
    file: str
    row: type[BaseModel]
    key: tuple[str, ...]
    description: str


def _spec(name: str, row: type[BaseModel], key: tuple[str, ...], description: str) -> TableSpec:
    return TableSpec(name, f"{name}.csv", row, key, description)


TABLES: tuple[TableSpec, ...] = (
    _spec("sources", Source, ("id",), "Every cited source, once; rows refer to them by id."),
    _spec("countries", rows.Country, ("code",), "Countries (ISO 3166 alpha-2) and their blocs."),
    _spec(
        "mine_production",
        rows.MineProduction,
        ("country", "year", "edition"),
        "Mine production by country and year, t REO, per USGS edition.",
    ),
    _spec(
        "reserves",
        rows.Reserve,
        ("country", "year", "edition"),
        "Reserves by country, t REO; missing where USGS gives none (NA).",
    ),
    _spec(
        "world_totals",
        rows.WorldTotal,
        ("metric", "year", "edition"),
        "World totals of mine production and reserves, t REO, as USGS rounds them.",
    ),
    _spec(
        "trade_flows",
        rows.TradeFlow,
        ("origin", "destination", "year", "form", "measure", "source"),
        "Rare-earth feed and products shipped between countries, t REO.",
    ),
    _spec(
        "secondary_production",
        rows.SecondaryProduction,
        ("country", "year", "element", "feed"),
        "Rare earths recovered from scrap, t REO.",
    ),
    _spec(
        "stage_shares",
        rows.StageShare,
        ("stage", "coverage", "measure", "country", "year", "basis"),
        "Published shares of countries in each stage of the chain, %.",
    ),
    _spec(
        "facilities",
        rows.Facility,
        ("id",),
        "Mines and plants, and country aggregates where plants are not itemised; t per year.",
    ),
    _spec(
        "deposits",
        rows.Deposit,
        ("id",),
        "Resource claims: ore tonnage, grade and contained rare earths as claimed.",
    ),
    _spec(
        "element_distribution",
        rows.ElementShare,
        ("deposit_type", "element"),
        "Element shares of TREO by deposit type, %.",
    ),
    _spec(
        "magnet_recipes",
        rows.MagnetRecipe,
        ("magnet_type", "grade", "element"),
        "Rare-earth content of magnet grades, wt % (metal basis).",
    ),
    _spec(
        "demand", rows.Demand, ("region", "sector", "year"), "Demand by region and sector, t REO."
    ),
    _spec(
        "demand_growth",
        rows.DemandGrowth,
        ("sector", "from_year", "to_year"),
        "Demand growth by sector, % per year.",
    ),
    _spec(
        "demand_cases",
        rows.DemandCaseGrowth,
        ("case", "sector", "from_year", "to_year"),
        "Demand growth by sector in published outlook cases, % per year.",
    ),
    _spec(
        "magnet_grade_use",
        rows.MagnetGradeUse,
        ("sector", "grade"),
        "Share of each magnet sector's demand needing at least a magnet grade, %.",
    ),
    _spec(
        "sector_elements",
        rows.SectorElement,
        ("sector", "element"),
        "Element composition of each non-magnet sector's demand, % of t REO.",
    ),
    _spec(
        "magnet_intensity",
        rows.MagnetIntensity,
        ("application", "unit"),
        "Magnet or rare-earth content per vehicle, per MW and the like.",
    ),
    _spec(
        "magnet_output",
        rows.MagnetOutput,
        ("country", "year", "product"),
        "Magnet output by country and year, t of magnet.",
    ),
    _spec(
        "prices",
        rows.Price,
        ("product", "form", "market", "year", "date", "edition", "source"),
        "Prices by product, form, market and year, US$/kg.",
    ),
    _spec("lead_times", rows.LeadTime, ("item",), "Project lead times, years."),
    _spec(
        "project_overruns",
        rows.ProjectOverrun,
        ("item",),
        "How often and by how much projects overran their capex or schedule, %.",
    ),
    _spec(
        "capex_benchmarks",
        rows.CapexBenchmark,
        ("project",),
        "Capital cost per tonne of annual capacity, US$ per t/yr.",
    ),
    _spec(
        "opex_benchmarks",
        rows.OpexBenchmark,
        ("project", "year", "net_of_by_products", "study"),
        "Published operating cost per kg of product, in the source's currency.",
    ),
    _spec("environment", rows.Environment, ("metric",), "Environmental factors per tonne."),
    _spec(
        "footprints",
        rows.Footprint,
        ("stage", "ore", "metric"),
        "Environmental footprints per stage and ore type, per t of the stage's model basis.",
    ),
    _spec(
        "china_quotas",
        rows.ChinaQuota,
        ("year", "batch", "ore_type"),
        "China's mining and separation quotas by batch and ore type, t REO.",
    ),
    _spec(
        "financing_instruments",
        rows.FinancingInstrument,
        ("institution", "date", "recipient"),
        "Financing commitments for rare-earth projects, as published.",
    ),
    _spec(
        "outlooks",
        rows.Outlook,
        ("outlook", "case", "year", "stage", "coverage", "measure", "region", "metric"),
        "Published outlooks: shares and world tonnages by stage, coverage and year.",
    ),
    _spec(
        "zone_criteria",
        rows.ZoneCriterion,
        ("site", "criterion"),
        "Criteria of Kazakh deposits and processing sites for priority zones.",
    ),
    _spec(
        "fiscal_terms",
        rows.FiscalTerm,
        ("term",),
        "Kazakhstan's fiscal terms for mining and processing.",
    ),
    _spec(
        "instrument_terms",
        rows.InstrumentTerm,
        ("kind", "institution"),
        "Default terms of capital-stack tranches (rate, tenor, grace).",
    ),
    _spec(
        "export_controls",
        ExportControlRow,
        ("id",),
        "Dated export-control rules (see kazree.policy).",
    ),
    _spec(
        "derivations",
        rows.Derivation,
        ("target",),
        "How each derived cell is computed from numbers and other cells.",
    ),
)
"""All tables, in load order."""

TABLE_NAMES: tuple[str, ...] = tuple(spec.name for spec in TABLES)


def table_spec(name: str) -> TableSpec:
    """The spec of table ``name``; ``KeyError`` if there is none."""
    for spec in TABLES:
        if spec.name == name:
            return spec
    raise KeyError(name)
