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
    """World demand by sector (dataset, 2024) split to countries and grown over the years."""

    magnet_split: dict[Country, Share] = {}
    """Country shares of world magnet demand (sum 1)."""
    other_split: dict[Country, Share] = {}
    """Country shares of world non-magnet demand (sum 1)."""
    growth_pct: dict[Sector, float] = {}
    """Growth %/yr by sector, replacing the dataset's ``demand_growth``."""
    magnet_grades: dict[str, Share] = {"N52": 0.85, "high_temperature_ev": 0.15}
    """Mix of magnet grades (``magnet_recipes``), sum 1."""
    other_sector_elements: dict[str, Share] = {}
    """Element make-up of the ``other`` sector (sum 1); default: the world mine-output mix."""
    cases: list[DemandCase] = []

    @field_validator("magnet_split", "other_split", "magnet_grades")
    @classmethod
    def _sums_to_one(cls, value: dict[str, float]) -> dict[str, float]:
        if value and abs(sum(value.values()) - 1.0) > 1e-6:
            msg = f"shares sum to {sum(value.values()):.4f} (allowed: a sum of 1)"
            raise ValueError(msg)
        return value

    @field_validator("other_sector_elements")
    @classmethod
    def _elements(cls, value: dict[str, float]) -> dict[str, float]:
        for symbol in value:
            _check_element(symbol)
        return cls._sums_to_one(value)


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
    transport_usd_per_t_km: NonNegative = 0.05
    disposal_usd_per_t: NonNegative = 1_000.0
    unmet_usd_per_t: NonNegative = 100_000.0
    sector_priority: dict[Sector, NonNegative] = {
        Sector.DEFENCE: 3.0,
        Sector.EV_TRACTION: 2.0,
        Sector.WIND: 2.0,
    }
    """Weight on the unmet-demand penalty (default 1)."""
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
    years: Years = Years()
    dataset: DatasetSpec = DatasetSpec()
    availability: dict[Status, Share] = {Status.OPERATING: 1.0, Status.CONSTRUCTION: 1.0}
    """Share of capacity available by status (default 0 for statuses not listed)."""
    ramp_up_years: Annotated[int, Field(ge=0, le=10)] = 0
    """Years to reach full capacity after the start year (linear)."""
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


def _check_element(value: str) -> str:
    if value not in symbols():
        msg = f"unknown element {value!r} (allowed: {', '.join(symbols())})"
        raise ValueError(msg)
    return value
