"""The ``plan:`` block of a scenario: candidates, financing and dated targets of the planner.

Only ``kazree plan`` reads it; ``kazree run`` ignores it. Money is US$ unless a name says
``musd``; capacities are t per year on the model basis of the stage (docs/model.md).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kazree.chain.forms import Stage

Share = Annotated[float, Field(ge=0.0, le=1.0)]
NonNegative = Annotated[float, Field(ge=0.0)]
Positive = Annotated[float, Field(gt=0.0)]
ModelYear = Annotated[int, Field(ge=2000, le=2050)]
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
YearCount = Annotated[int, Field(ge=0, le=40)]
BUILD_STAGES = (Stage.MINING, Stage.CRACKING, Stage.SEPARATION, Stage.METAL, Stage.MAGNET)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Financing(StrEnum):
    """Where a project's capital comes from; it sets the discount rate of its annuity."""

    COMMERCIAL = "commercial"
    CONCESSIONAL = "concessional"
    BLENDED = "blended"
    OFFTAKE_LINKED = "offtake_linked"
    STATE_EQUITY = "state_equity"


class TargetKind(StrEnum):
    """What a planning target constrains (see docs/planner.md)."""

    SUPPLY = "supply"
    """Separated oxide of an element group made in a region outside China (``world``: anywhere
    outside China), t REO."""
    PARTNER_SHARE = "partner_share"
    """Most any one importer may take of a country's exports (t element content), a share."""
    PROCESSING_SHARE = "processing_share"
    """A stage's output in a country over the country's mine output, both t REO-eq."""
    VALUE_ADDED = "value_added"
    """A country's value added at the price deck, MUSD per year."""
    CRMA = "crma"
    """A bloc's mine (extraction) or separation (processing) output over its consumption."""
    CAPITAL = "capital"
    """Capital spent on builds, MUSD: per decision year or in total up to the target year."""


class CandidateSpec(_Strict):
    """A generic project the planner may build: one stage in one country (or zone)."""

    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    stage: Stage
    country: Country
    zone: str | None = None
    """A site label inside the country (e.g. a ``kazree zones`` priority zone); shown, not used."""
    max_capacity_t: Positive
    """Largest plant, t per year on the stage's model basis."""
    min_capacity_t: NonNegative = 0.0
    """Smallest plant when built with ``--integer``."""
    capex_usd_per_t: Positive | None = None
    """Capital cost per t/yr of capacity; default: the stage's benchmark."""
    deposit_type: str | None = None
    """Ore a mine yields (default: the scenario's ``default_deposit_type``)."""
    lead_years: YearCount | None = None
    """Decision to first output; default: the stage's sourced lead time."""
    ramp_up_years: YearCount | None = None
    financing: Financing | None = None

    @model_validator(mode="after")
    def _sizes(self) -> CandidateSpec:
        if self.stage not in BUILD_STAGES:
            allowed = ", ".join(s.value for s in BUILD_STAGES)
            msg = f"stage {self.stage.value!r} cannot be built (allowed: {allowed})"
            raise ValueError(msg)
        if self.min_capacity_t > self.max_capacity_t:
            msg = (
                f"min_capacity_t {self.min_capacity_t} is above max_capacity_t"
                f" {self.max_capacity_t} (allowed: at most max_capacity_t)"
            )
            raise ValueError(msg)
        return self


_NEEDS: dict[TargetKind, tuple[str, ...]] = {
    TargetKind.SUPPLY: ("region", "min_t"),
    TargetKind.PARTNER_SHARE: ("country", "share"),
    TargetKind.PROCESSING_SHARE: ("country", "stage", "share"),
    TargetKind.VALUE_ADDED: ("country", "musd"),
    TargetKind.CRMA: ("region", "stage", "share"),
    TargetKind.CAPITAL: ("musd",),
}
"""Fields each kind of target needs."""


class PlanTarget(_Strict):
    """A dated target: it holds in ``year`` and every later modelled year."""

    name: str = Field(pattern=r"^[a-z0-9_]+$")
    kind: TargetKind
    year: ModelYear
    region: str | None = None
    """A country code or a bloc of ``countries.csv``."""
    country: Country | None = None
    stage: Stage | None = None
    group: str = "all"
    """Element group: ``all``, ``light``, ``heavy``, ``magnet`` or an element symbol."""
    min_t: NonNegative | None = None
    share: Share | None = None
    musd: NonNegative | None = None
    per_year: bool = True
    """Capital only: a budget for each decision year (true) or one in total (false)."""

    @model_validator(mode="after")
    def _fields(self) -> PlanTarget:
        missing = [f for f in _NEEDS[self.kind] if getattr(self, f) is None]
        if missing:
            msg = (
                f"target {self.name!r} of kind {self.kind.value!r} lacks {', '.join(missing)}"
                f" (allowed: a {self.kind.value} target gives {', '.join(_NEEDS[self.kind])})"
            )
            raise ValueError(msg)
        return self

    @property
    def level(self) -> float:
        """The number the target asks for (t, share or MUSD)."""
        for value in (self.min_t, self.share, self.musd):
            if value is not None:
                return value
        return 0.0

    def at(self, level: float, year: int | None = None) -> PlanTarget:
        """The same target asking for ``level`` (and from ``year``)."""
        field = next(f for f in ("min_t", "share", "musd") if getattr(self, f) is not None)
        update: dict[str, float | int] = {field: level}
        if year is not None:
            update["year"] = year
        return self.model_copy(update=update)


class PlanSpec(_Strict):
    """What the planner may build, how it is financed, and the targets it must meet."""

    first_decision_year: ModelYear | None = None
    """No build is decided before this year (default: the first modelled year)."""
    replaces: list[str] = []
    """Facilities the scenario declares that plan mode leaves out, so the planner chooses in
    their place (a roadmap's announced plants)."""
    dataset_candidates: bool = True
    """Non-operating dataset facilities with a known capacity become candidates (false: they
    count by their status's risk weight, as in a run)."""
    candidates: list[CandidateSpec] = []
    financing: Financing = Financing.COMMERCIAL
    financing_by_country: dict[Country, Financing] = {}
    rate_pct: dict[Financing, Annotated[float, Field(ge=0.0, le=50.0)]] = {}
    """Discount rate overrides; default: ``instrument_terms`` (state equity: an assumption)."""
    life_years: Annotated[int, Field(ge=1, le=60)] = 20
    """Economic life the capex is annualised over (an assumption)."""
    fixed_om_pct: Annotated[float, Field(ge=0.0, le=50.0)] = 3.0
    """Fixed O&M, % of capex per year online (an assumption)."""
    lead_years: dict[Stage, YearCount] = {}
    """Lead time overrides by stage."""
    capex_usd_per_t: dict[Stage, Positive] = {}
    """Capex benchmark overrides by stage, US$ per t/yr."""
    capex_factor: dict[Stage, Positive] = {}
    """Multiplies the capex of every candidate of a stage (1 where absent): an overrun, as a
    risk run samples it (docs/uncertainty.md)."""
    targets: list[PlanTarget] = []
