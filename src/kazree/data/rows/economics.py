"""Prices, lead times, capital costs, environmental factors and China's quotas."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from kazree.chain.forms import Form, Stage
from kazree.data.rows.supply import CapacityBasis
from kazree.data.schema import (
    OptionalFloat,
    OptionalNonNegative,
    OptionalStr,
    OptionalTonnes,
    SourcedRow,
    Year,
)


class Market(StrEnum):
    """Where a price is quoted."""

    CHINA_FOB = "china_fob"
    CHINA_DOMESTIC = "china_domestic"
    EUROPE = "europe"
    FLOOR = "floor"
    """A guaranteed minimum (e.g. a government price floor)."""
    MARKET = "market"
    """A producer's realised or a market-wide price without a stated place."""
    UNSTATED = "unstated"
    """The source states no market basis (USGS annual averages)."""


class Price(SourcedRow):
    """A price of one product in one market and year, US$ per kg (annual average or point)."""

    product: str = Field(pattern=r"^([A-Z][a-z]?|NdPr|mischmetal)$")
    """Element symbol, ``NdPr`` or ``mischmetal``."""
    form: Form
    market: Market
    year: Year
    date: OptionalStr = None
    """Quote date where the price is a point rather than an annual average."""
    edition: OptionalStr = None
    """Edition of a serial source (``MCS2025``); a later edition may revise a year's price."""
    price_usd_per_kg: float = Field(gt=0.0)
    low_usd_per_kg: OptionalFloat = None
    high_usd_per_kg: OptionalFloat = None
    purity: OptionalStr = None


class LeadTimeScope(StrEnum):
    """Which projects a lead time was measured on."""

    RARE_EARTHS = "rare_earths"
    CRITICAL_MINERALS = "critical_minerals"
    """Critical-mineral projects in general (IEA, WRI)."""
    BASE_PRECIOUS_METALS = "base_precious_metals"
    COPPER = "copper"
    MINING_METALS = "mining_metals"
    """Mining and metals projects in general (McKinsey, EY)."""


class LeadTime(SourcedRow):
    """Years from one milestone to another for a kind of project (central value and range)."""

    item: str = Field(pattern=r"^[a-z0-9_]+$")
    commodity: LeadTimeScope
    """The projects the figure was measured on; only ``rare_earths`` is rare-earth evidence."""
    stage: Stage
    years: float = Field(ge=0.0)
    low_years: OptionalFloat = None
    high_years: OptionalFloat = None
    context: OptionalStr = None


class OverrunMeasure(StrEnum):
    """What ran over: the capital cost or the schedule."""

    CAPEX = "capex"
    SCHEDULE = "schedule"


class ProjectOverrun(SourcedRow):
    """How often and by how much a kind of project overran its first estimate (capex or
    schedule), %: the evidence the risk laws are calibrated on."""

    item: str = Field(pattern=r"^[a-z0-9_]+$")
    commodity: LeadTimeScope
    measure: OverrunMeasure
    affected_pct: OptionalNonNegative = None
    """Share of the projects that overran."""
    overrun_pct: OptionalFloat = None
    """Average overrun, % of the first estimate (a lower bound where the source says "more
    than")."""
    low_pct: OptionalFloat = None
    high_pct: OptionalFloat = None
    context: OptionalStr = None


class Currency(StrEnum):
    """Currency of a capital cost, as the source gave it (no conversion applied)."""

    USD = "USD"
    AUD = "AUD"
    EUR = "EUR"


class CapexBenchmark(SourcedRow):
    """Capital cost of one project per tonne of annual capacity, in the source's currency."""

    project: str = Field(min_length=1)
    stage: Stage
    capex_m: float = Field(gt=0.0)
    """Capital cost, millions of ``currency``."""
    currency: Currency
    capacity_t: float = Field(gt=0.0)
    """Annual capacity the cost buys, t per year on ``capacity_basis``."""
    capacity_basis: CapacityBasis
    capex_per_t_per_year: float = Field(gt=0.0)
    """``capex_m`` x 1e6 / ``capacity_t``, in ``currency`` per t/yr."""
    greenfield: bool


class OpexBenchmark(SourcedRow):
    """Published operating cost of a project per kg of its product, in the source's currency."""

    project: str = Field(min_length=1)
    stage: Stage
    year: Year
    """Year of the study that published the cost."""
    opex_per_kg: float = Field(gt=0.0)
    currency: Currency
    product: str = Field(pattern=r"^[a-z0-9_]+$")
    """What one kg is of, e.g. ``ndpr_oxide``."""
    net_of_by_products: bool
    """True where by-product credits (e.g. phosphoric acid) are deducted."""
    study: OptionalStr = None
    """The study or update the figure comes from."""


class Environment(SourcedRow):
    """An environmental factor per tonne of product (central value and range)."""

    metric: str = Field(pattern=r"^[a-z0-9_]+$")
    value: OptionalFloat = None
    """Missing where no figure was found (a known gap)."""
    low: OptionalFloat = None
    high: OptionalFloat = None
    unit: str = Field(min_length=1)
    context: OptionalStr = None


class FootprintMetric(StrEnum):
    """What a footprint row measures, per tonne of its stage's model basis."""

    WATER_M3 = "water_m3"
    """Process water discharged (acidic wastewater), m3."""
    CO2E_T = "co2e_t"
    """Greenhouse gases, t CO2-equivalent (cradle to the stage's gate)."""
    RADIOACTIVE_RESIDUE_T = "radioactive_residue_t"
    """Thorium- and uranium-bearing residue to store, t."""
    WASTE_GAS_M3 = "waste_gas_m3"
    """Waste gas (dust, HF, SO2, H2SO4), m3."""
    WATER_USE_M3 = "water_use_m3"
    """Fresh water taken in (process and cooling), m3."""
    ENERGY_GJ = "energy_gj"
    """Final energy used: fuels and electricity (1 MWh = 3.6 GJ), GJ."""
    ELECTRICITY_MWH = "electricity_mwh"
    """Electricity used, MWh (also counted in ``energy_gj``)."""
    TAILINGS_T = "tailings_t"
    """Beneficiation tailings, t (dry)."""
    SULPHURIC_ACID_T = "sulphuric_acid_t"
    """Sulphuric acid used, t H2SO4."""
    HCL_T = "hcl_t"
    """Hydrochloric acid used, t HCl (100 % basis)."""
    AMMONIUM_BICARBONATE_T = "ammonium_bicarbonate_t"
    """Ammonium bicarbonate used (precipitant), t NH4HCO3."""


class Footprint(SourcedRow):
    """An environmental footprint of one stage and ore type, per t of the stage's model basis.

    ``ore`` is a deposit type of ``element_distribution`` or ``*`` (every ore type without a row
    of its own).
    """

    stage: Stage
    ore: str = Field(pattern=r"^([a-z0-9_]+|\*)$")
    metric: FootprintMetric
    value: float = Field(ge=0.0)
    low: OptionalFloat = None
    high: OptionalFloat = None
    basis: str = Field(min_length=1)
    """What the figure covers and how it was carried over to this stage and ore."""


class QuotaOreType(StrEnum):
    """Which ores a quota row covers."""

    ALL = "all"
    HARD_ROCK = "hard_rock"
    """Rock-type (light) rare-earth ores: Bayan Obo, Sichuan and Shandong bastnaesite."""
    IONIC_CLAY = "ionic_clay"
    """Ion-adsorption clays of southern China (mainly medium and heavy rare earths)."""


class ChinaQuota(SourcedRow):
    """China's mining and smelting/separation quota for a year or a batch, t REO."""

    year: Year
    batch: str = Field(min_length=1)
    ore_type: QuotaOreType = QuotaOreType.ALL
    mining_quota_t_reo: OptionalTonnes = None
    separation_quota_t_reo: OptionalTonnes = None


class FinancingInstrument(SourcedRow):
    """A public or private financing commitment for a rare-earth project or programme."""

    institution: str = Field(min_length=1)
    jurisdiction: str = Field(min_length=1)
    """Country code(s) or bloc of the financier, ``/``-separated for joint ones (``EU/KZ``)."""
    date: str = Field(min_length=1)
    """Date or period as published (``2025-07``, ``2022-06 / 2023-07``)."""
    recipient: str = Field(min_length=1)
    instrument_type: str = Field(min_length=1)
    amount: OptionalStr = None
    """Amount as published, with its currency (not converted)."""
    amount_musd: OptionalNonNegative = None
    """The amount in million US$, only where the source states it in US$."""
