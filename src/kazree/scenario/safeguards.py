"""Environmental safeguards of a scenario: rules the model (and the planner) must obey.

Every rule holds year by year from its ``from_year``. Quantities are per year; footprints come
from the dataset's ``footprints`` table (per t of a stage's model basis).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kazree.chain.forms import Stage
from kazree.data.rows.economics import FootprintMetric

Name = Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
Year = Annotated[int, Field(ge=2000, le=2050)]
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
RESIDUE = "residue"
"""Name of the residue-storage rule among a scenario's safeguards."""
ORE_STAGES = (Stage.MINING, Stage.CRACKING, Stage.SEPARATION)
"""Stages whose flows the model resolves by ore type."""


class Rule(BaseModel):
    """A safeguard block: unknown fields are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class FootprintCap(Rule):
    """At most ``limit`` of ``metric`` per year in ``region`` (or in a zone of facilities)."""

    name: Name
    metric: FootprintMetric
    limit: Annotated[float, Field(ge=0.0)]
    """Per year, in the metric's unit (m3 of water, t CO2e, t of residue, GJ, MWh, t of reagent)."""
    region: str | None = None
    """A country code or a bloc of ``countries.csv``."""
    facilities: list[str] = []
    """A zone: these facilities' own footprints (at their stage and ore type)."""
    from_year: Year = 2000

    @model_validator(mode="after")
    def _where(self) -> FootprintCap:
        if (self.region is None) == (not self.facilities):
            msg = f"cap {self.name!r} needs a region or facilities, not both or neither"
            raise ValueError(msg)
        return self


class ResidueStore(Rule):
    """A declared store for radioactive residue: ``capacity_t`` of residue a year from
    ``start_year`` on."""

    name: Name
    country: Country
    capacity_t: Annotated[float, Field(ge=0.0)]
    start_year: Year


class ResidueRule(Rule):
    """Residue (``radioactive_residue_t``) made in a country each year must fit its stores."""

    countries: list[Country] = []
    """Where the rule holds; empty: every country."""
    from_year: Year = 2000


class Ban(Rule):
    """No ``stage`` output from ``ore`` in ``countries`` (e.g. in-situ leaching of ionic clays)."""

    name: Name
    stage: Stage
    ore: str = Field(pattern=r"^[a-z0-9_]+$")
    countries: list[Country] = []
    """Where the ban holds; empty: every country."""
    from_year: Year = 2000

    @model_validator(mode="after")
    def _ore_stage(self) -> Ban:
        if self.stage not in ORE_STAGES:
            allowed = ", ".join(s.value for s in ORE_STAGES)
            msg = f"ban {self.name!r}: stage {self.stage.value!r} (allowed: {allowed})"
            raise ValueError(msg)
        return self


class RecyclingFloor(Rule):
    """Secondary supply in ``region`` is at least ``share`` of the region's oxide use."""

    name: Name
    region: str
    share: Annotated[float, Field(gt=0.0, le=1.0)]
    from_year: Year = 2000


class SafeguardSpec(Rule):
    """Every safeguard of a scenario (all empty: none)."""

    caps: list[FootprintCap] = []
    residue_stores: list[ResidueStore] = []
    residue_rule: ResidueRule | None = None
    bans: list[Ban] = []
    recycling: list[RecyclingFloor] = []

    @model_validator(mode="after")
    def _unique(self) -> SafeguardSpec:
        names = self.names
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            msg = f"safeguard names used twice: {', '.join(twice)} (allowed: each name once)"
            raise ValueError(msg)
        return self

    @property
    def names(self) -> list[str]:
        """The rules that have a constraint of their own, in order (residue: ``residue``)."""
        rules = [c.name for c in self.caps] + [b.name for b in self.bans]
        rules += [r.name for r in self.recycling]
        return rules + ([RESIDUE] if self.residue_rule is not None else [])
