"""Published outlooks of supply and demand: shares and tonnages by stage, coverage and year."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from kazree.chain.forms import Stage
from kazree.data.rows.supply import ShareCoverage, ShareMeasure
from kazree.data.schema import SourcedRow, Year

WORLD = "WORLD"
"""Region of a world total."""


class OutlookMetric(StrEnum):
    """What ``value`` is."""

    SHARE_PCT = "share_pct"
    """The region's share of world output of the stage, %."""
    WORLD_T = "world_t"
    """World output of the stage (demand at ``end_use``), tonnes."""


class Outlook(SourcedRow):
    """One figure of a published outlook, observed (the outlook's own base year) or projected."""

    outlook: str = Field(min_length=1)
    """The publication, e.g. ``IEA GCMO 2024``."""
    case: str = Field(min_length=1, pattern=r"^[a-z0-9_]+$")
    """The outlook's case: ``observed`` for its base-year figures, else e.g. ``base_case``
    (operating and announced projects), ``aps`` (IEA Announced Pledges), ``pipeline``."""
    year: Year
    stage: Stage
    coverage: ShareCoverage
    """The elements the figure counts (as in ``stage_shares``)."""
    measure: ShareMeasure
    """Whether the figure is of output or of capacity."""
    region: str = Field(pattern=r"^([A-Z]{2}|WORLD)$")
    """A country code (for shares) or ``WORLD`` (for world tonnages)."""
    metric: OutlookMetric
    value: float = Field(ge=0.0)
    basis: str = Field(min_length=1)
    """What the figure counts (output or capacity, elements, projects) and how it was read."""

    @model_validator(mode="after")
    def _metric_fits(self) -> Outlook:
        if self.metric is OutlookMetric.SHARE_PCT:
            if self.region == WORLD:
                msg = "region: a share_pct is for a country, not WORLD (allowed: e.g. CN)"
                raise ValueError(msg)
            if self.value > 100.0:
                msg = f"value: share {self.value:g} % is above 100 (allowed: 0 to 100)"
                raise ValueError(msg)
        elif self.region != WORLD:
            msg = f"region: a world_t figure is for WORLD, not {self.region!r} (allowed: WORLD)"
            raise ValueError(msg)
        return self
