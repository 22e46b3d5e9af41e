"""Weights of the zone criteria and the discount of resource claims, read from YAML."""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kazree.data.rows import ClaimBasis, ResourceClass
from kazree.data.schema import Confidence
from kazree.roadmap.yamlfile import load_yaml_model
from kazree.roadmap.zones.criteria import SiteKind, criterion_names

SUM_TOLERANCE = 1e-6
"""How far a kind's weights may sum from 1."""
ALLOWED = "a YAML mapping with deposit, processing and claim_discount (see docs/roadmap-tools.md)"

Factor = Annotated[float, Field(ge=0.0, le=1.0)]


class ClaimDiscount(BaseModel):
    """Factors (0 to 1) that multiply a claim's contained REO by its code, class and confidence."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    basis: dict[ClaimBasis, Factor]
    resource_class: dict[ResourceClass, Factor]
    confidence: dict[Confidence, Factor]

    def factor(self, basis: ClaimBasis, resource_class: ResourceClass, conf: Confidence) -> float:
        """The product of the three factors (a missing entry counts 0: no credit)."""
        return (
            self.basis.get(basis, 0.0)
            * self.resource_class.get(resource_class, 0.0)
            * self.confidence.get(conf, 0.0)
        )


def _kind_weights(kind: SiteKind, value: dict[str, float]) -> dict[str, float]:
    allowed = criterion_names(kind)
    unknown = [name for name in value if name not in allowed]
    if unknown:
        msg = f"unknown criterion {unknown[0]!r} (allowed: {', '.join(allowed)})"
        raise ValueError(msg)
    negative = {k: v for k, v in value.items() if v < 0}
    if negative:
        name, weight = next(iter(negative.items()))
        msg = f"{name}: weight {weight} is negative (allowed: 0 to 1)"
        raise ValueError(msg)
    total = sum(value.values())
    if abs(total - 1.0) > SUM_TOLERANCE:
        msg = f"weights sum to {total:.6g} (allowed: weights that sum to 1)"
        raise ValueError(msg)
    return value


class ZoneWeights(BaseModel):
    """Criterion weights per kind of site, the claim discount and the sampling concentration."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    deposit: dict[str, float]
    processing: dict[str, float]
    claim_discount: ClaimDiscount
    concentration: float = Field(default=50.0, gt=0.0)
    """Dirichlet concentration: weight samples have mean = the weights; larger is tighter."""

    @field_validator("deposit")
    @classmethod
    def _deposit(cls, value: dict[str, float]) -> dict[str, float]:
        return _kind_weights(SiteKind.DEPOSIT, value)

    @field_validator("processing")
    @classmethod
    def _processing(cls, value: dict[str, float]) -> dict[str, float]:
        return _kind_weights(SiteKind.PROCESSING, value)

    def of(self, kind: SiteKind) -> dict[str, float]:
        """The weights of ``kind``'s criteria (0 for a criterion left out)."""
        given = self.deposit if kind is SiteKind.DEPOSIT else self.processing
        return {name: given.get(name, 0.0) for name in criterion_names(kind)}


def load_weights(path: Path) -> ZoneWeights:
    """The weights in the YAML file at ``path``."""
    return load_yaml_model(path, ZoneWeights, ALLOWED)


def default_weights() -> ZoneWeights:
    """kazree's default weights (``kazree/roadmap/files/zone_weights.yaml``)."""
    with as_file(files("kazree.roadmap") / "files" / "zone_weights.yaml") as path:
        return load_weights(path)
