"""The scenario schema: every assumption of a model run, validated as one pydantic object.

Defaults here are the documented assumptions of ``baseline``; a scenario file changes any of them.
Money is US$, quantities tonnes per year, shares 0-1 unless a name says ``pct``.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kazree.chain.elements import symbols
from kazree.chain.forms import MAGNET_SECTORS as MAGNET_SECTORS
from kazree.chain.forms import Form, Sector, Stage
from kazree.data.rows.supply import CapacityBasis, Status
from kazree.scenario.plan import PlanSpec
from kazree.scenario.safeguards import SafeguardSpec
from kazree.scenario.uncertain import UncertainSpec

Share = Annotated[float, Field(ge=0.0, le=1.0)]
NonNegative = Annotated[float, Field(ge=0.0)]
ModelYear = Annotated[int, Field(ge=2000, le=2050)]
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]


class Strict(BaseModel):
    """A scenario block: unknown fields are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Years(Strict):
    """The modelled years (inclusive); the first is the base year."""

    start: ModelYear = 2024
    end: ModelYear = 2040

    @model_validator(mode="after")
    def _ordered(self) -> Years:
        if self.end < self.start:
            msg = f"end {self.end} is before start {self.start} (allowed: end >= start)"
            raise ValueError(msg)
        return self

    @property
    def values(self) -> list[int]:
        """Every modelled year."""
        return list(range(self.start, self.end + 1))


class FacilitySpec(Strict):
    """A facility added inline (same fields as the dataset's ``facilities`` table)."""

    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    name: str = ""
    country: Country
    stage: Stage
    magnet_type: str | None = None
    capacity_t: NonNegative | None = None
    """t per year on ``capacity_basis``; empty = unknown (the model gives it no capacity)."""
    capacity_basis: CapacityBasis
    status: Status
    start_year: ModelYear | None = None
    deposit_type: str | None = None
    grade_pct_treo: Annotated[float, Field(gt=0.0, le=100.0)] | None = None
    """Ore grade, % TREO; converts a ``t_ore`` capacity to t REO."""
    ramp_up_years: Annotated[int, Field(ge=0, le=10)] | None = None
    """Years to full capacity after the start year; default the scenario's ``ramp_up_years``."""


class Override(Strict):
    """Set ``set`` on the rows of dataset table ``table`` matching every ``where`` cell."""

    table: str
    where: dict[str, Any]
    set: dict[str, Any]


class DatasetSpec(Strict):
    """Which dataset the scenario reads, and the values it changes."""

    path: str | None = None
    """A dataset directory (relative to the scenario file); default the embedded dataset."""
    overrides: list[Override] = []


class ControlsSpec(Strict):
    """Export controls applied to trade lanes."""

    use_dataset: bool = False
    """Apply the dataset's rule table (``export_controls``)."""
    licence_share: Share | None = None
    """Approval share of every licence regime (the dataset assumes 0.5)."""
    disruption_share: Share | None = None
    """Share let through by disruptions (the dataset assumes 0.5)."""
    rules: list[dict[str, Any]] = []
    """Extra or replacing rules, same fields as ``export_controls.csv``."""


class DemandCase(Strict):
    """Scale (``factor``) or add to (``add_t``) the demand of a sector from ``from_year`` on."""

    sector: Sector
    country: Country | None = None
    element: str | None = None
    from_year: ModelYear = 2000
    factor: NonNegative = 1.0
    add_t: float = 0.0

    @field_validator("element")
    @classmethod
    def _element(cls, value: str | None) -> str | None:
        return _check_element(value) if value is not None else None


class DemandSpec(Strict):
    """Demand curves: world 2024 demand by sector split to countries, grown by its case, priced.

    Each sector's demand in a country is a stepwise curve through (reference quantity, 2024
    price deck) with a constant price elasticity (see docs/model.md).
    """

    case: str = "stated_policies"
    """Demand case of ``demand_cases`` (growth by sector and year)."""
    magnet_split: dict[Country, Share] = {}
    """Country shares of world magnet demand (sum 1)."""
    other_split: dict[Country, Share] = {}
    """Country shares of world non-magnet demand (sum 1)."""
    own_use_t: dict[Country, NonNegative] = {}
    """Countries whose demand is their industry's own use (t REO, all sectors, base year),
    kept out of the splits; their demand has the world's sector and element make-up."""
    growth_pct: dict[Sector, float] = {}
    """Growth %/yr by sector, replacing the demand case."""
    magnet_grade_order: list[str] = ["N52", "gbd_low_hree", "high_hree"]
    """Magnet grades (``magnet_recipes``) from the lowest to the highest heavy-REE content: a
    sector needing one grade can use any later one (``magnet_grade_use``)."""
    elasticity: dict[Sector, Annotated[float, Field(lt=0.0, ge=-5.0)]] = {
        Sector.EV_TRACTION: -0.2,
        Sector.WIND: -0.2,
        Sector.INDUSTRIAL_MOTORS: -0.3,
        Sector.ELECTRONICS: -0.3,
        Sector.DEFENCE: -0.05,
        Sector.CATALYSTS: -0.2,
        Sector.GLASS_POLISHING: -0.3,
        Sector.PHOSPHORS: -0.2,
        Sector.METALLURGY: -0.3,
        Sector.OTHER: -0.3,
    }
    """Own-price elasticity of each sector's demand (kazree assumptions, docs/model.md)."""
    choke_factor: Annotated[float, Field(gt=1.0, le=100.0)] = 5.0
    """Highest willingness to pay, as a multiple of the reference price: the highest premium
    paid outside China under the 2025 controls (Tb oxide in Europe 3,625 US$/kg against the
    2024 deck's 792, 4.6x; ``prices``: ``benchmark_mineral``), rounded up."""
    price_year: ModelYear = 2024
    """Year of the price deck (``prices``, China) the curves are anchored at."""
    assumed_price_usd_per_kg: dict[str, Annotated[float, Field(gt=0.0)]] = {
        "Sm": 2.0,
        "Gd": 20.0,
        "Ho": 60.0,
        "Er": 30.0,
        "Tm": 100.0,
        "Yb": 15.0,
        "Lu": 700.0,
        "Sc": 800.0,
        "Y": 6.5,
    }
    """Oxide prices of elements without a 2024 China quote in ``prices`` (kazree assumptions)."""
    cases: list[DemandCase] = []

    @field_validator("magnet_split", "other_split")
    @classmethod
    def _sums_to_one(cls, value: dict[str, float]) -> dict[str, float]:
        if value and abs(sum(value.values()) - 1.0) > 1e-6:
            msg = f"shares sum to {sum(value.values()):.4f} (allowed: a sum of 1)"
            raise ValueError(msg)
        return value

    @field_validator("assumed_price_usd_per_kg")
    @classmethod
    def _elements(cls, value: dict[str, float]) -> dict[str, float]:
        for symbol in value:
            _check_element(symbol)
        return value


class GrowthSpec(Strict):
    """Capacity of a country's base-year plants of one stage growing by ``pct_per_year``."""

    country: Country
    stage: Stage
    pct_per_year: Annotated[float, Field(ge=-50.0, le=500.0)]
    from_year: ModelYear
    """First year that grows (the year after the last published quota, say)."""
    to_year: ModelYear = 2050


class SupplySpec(Strict):
    """How capacity develops: risk weights and start delays by status, ramp-ups, growth paths."""

    start_delay_years: dict[Status, Annotated[int, Field(ge=0, le=20)]] = {
        Status.CONSTRUCTION: 2,
        Status.FEASIBILITY: 5,
        Status.ANNOUNCED: 6,
    }
    """Start year of a project without one: base year + this delay (no entry: never starts)."""
    growth: list[GrowthSpec] = []


class CostSpec(Strict):
    """Unit costs (US$ per t of the stage's model basis) and penalties."""

    stage_usd_per_t: dict[Stage, NonNegative] = {
        Stage.MINING: 3_000.0,
        Stage.CRACKING: 1_000.0,
        Stage.SEPARATION: 5_000.0,
        Stage.METAL: 10_000.0,
        Stage.MAGNET: 15_000.0,
    }
    country_factor: dict[Country, NonNegative] = {}
    """Multiplier on every stage cost in a country (default 1)."""
    transport_base_usd_per_t: NonNegative = 50.0
    transport_usd_per_t_km: NonNegative = 0.01
    disposal_usd_per_t: NonNegative = 1_000.0
    """Cost of stockpiling or disposing of a tonne of separated oxide nobody buys."""
    reference_value_usd_per_t: dict[Form, NonNegative] = {
        Form.ORE_CONCENTRATE: 5_000.0,
        Form.MIXED_INTERMEDIATE: 10_000.0,
        Form.SEPARATED_OXIDE: 25_000.0,
        Form.METAL_ALLOY: 50_000.0,
        Form.MAGNET: 60_000.0,
    }
    """Value a tariff percentage applies to."""


class Tariff(Strict):
    """An ad-valorem tariff on a lane (``*`` matches any country)."""

    exporter: str = "*"
    importer: str = "*"
    form: Form
    pct: Annotated[float, Field(ge=0.0)]


class SecondarySupply(Strict):
    """Separated oxide entering a country's market outside primary mining, t REO per year.

    Recycled scrap, stock draws and undocumented output (USGS counts China's quota only).
    """

    country: Country
    element: str
    t_per_year: NonNegative
    from_year: ModelYear = 2000
    to_year: ModelYear = 2050

    @field_validator("element")
    @classmethod
    def _element(cls, value: str) -> str:
        return _check_element(value)


class TargetSpec(Strict):
    """A hard target from ``from_year`` on: ``stage`` output in ``region`` >= ``share`` x the
    region's use of that product + ``min_t`` (t per year on the stage's model basis)."""

    name: str = Field(pattern=r"^[a-z0-9_]+$")
    stage: Stage
    region: str
    """A country code or a bloc of ``countries.csv``."""
    share: Share = 0.0
    min_t: NonNegative = 0.0
    from_year: ModelYear

    @field_validator("stage")
    @classmethod
    def _producing(cls, value: Stage) -> Stage:
        if value in (Stage.END_USE, Stage.CRACKING):
            msg = f"{value.value!r} has no target (allowed: mining, separation, metal, magnet)"
            raise ValueError(msg)
        return value


class Scenario(Strict):
    """One validated scenario: the network, policies, demand, costs and years of a run."""

    name: str
    description: str = ""
    origin: str = "<scenario>"
    """The file the scenario was read from (named in error messages)."""
    counterfactual: str | None = None
    """The scenario this one is judged against (a roadmap's: the same controls without it);
    reports show the difference to it."""
    years: Years = Years()
    dataset: DatasetSpec = DatasetSpec()
    availability: dict[Status, Share] = {
        Status.OPERATING: 1.0,
        Status.CONSTRUCTION: 0.9,
        Status.FEASIBILITY: 0.5,
        Status.ANNOUNCED: 0.25,
    }
    """Risk weight: share of a project's capacity counted, by status (0 for statuses not listed)."""
    ramp_up_years: Annotated[int, Field(ge=0, le=10)] = 3
    """Years to full capacity after a start year later than the base year (linear)."""
    supply: SupplySpec = SupplySpec()
    default_deposit_type: str = "monazite_placer"
    """Composition of mines without a ``deposit_type``."""
    separation_recovery: Annotated[float, Field(gt=0.0, le=1.0)] = 1.0
    facilities: list[FacilitySpec] = []
    secondary_supply: list[SecondarySupply] = []
    controls: ControlsSpec = ControlsSpec()
    demand: DemandSpec = DemandSpec()
    costs: CostSpec = CostSpec()
    tariffs: list[Tariff] = []
    targets: list[TargetSpec] = []
    safeguards: SafeguardSpec = SafeguardSpec()
    """Environmental rules the model obeys (:mod:`kazree.scenario.safeguards`)."""
    plan: PlanSpec | None = None
    """Candidates, financing and dated targets read by ``kazree plan`` (docs/planner.md)."""
    uncertain: UncertainSpec = UncertainSpec()
    """Distributions and regimes read by ``kazree risk`` and ``kazree plan --stochastic``
    (docs/uncertainty.md)."""


def _check_element(value: str) -> str:
    if value not in symbols():
        msg = f"unknown element {value!r} (allowed: {', '.join(symbols())})"
        raise ValueError(msg)
    return value
