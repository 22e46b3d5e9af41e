"""A consortium's terms in YAML, independent of any scenario: partners, shares, commitments."""

from __future__ import annotations

from enum import StrEnum
from importlib.resources import files
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kazree.data.schema import CountryCode
from kazree.roadmap.yamlfile import load_yaml_model

ALLOWED = "a consortium YAML with name, partners and projects (see docs/roadmap-tools.md)"
Pct = Annotated[float, Field(ge=0.0, le=100.0)]


class CommitmentKind(StrEnum):
    """What a partner promises."""

    TECHNOLOGY_TRANSFER = "technology_transfer"
    LOCAL_CONTENT = "local_content"


class Commitment(BaseModel):
    """A dated promise, e.g. 70 % of separation staff Kazakh by 2032."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: CommitmentKind
    what: str = Field(min_length=1)
    share_pct: Pct | None = None
    by_year: int | None = Field(default=None, ge=2000, le=2100)


class Partner(BaseModel):
    """One member of a consortium."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9-]+$")
    name: str = Field(min_length=1)
    country: CountryCode
    equity_pct: Pct = 0.0
    offtake_pct: dict[str, Pct] = Field(default_factory=dict)
    """Share of each product's output the partner takes (product -> %)."""
    commitments: list[Commitment] = Field(default_factory=list)
    basis: str = ""
    """The published agreement or statement that makes this partner plausible, if any."""


class Consortium(BaseModel):
    """A joint venture or consortium: partners, the projects it covers and its terms."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    description: str = ""
    home: CountryCode = "KZ"
    """Host country: its partners' offtake is domestic use, not export."""
    projects: list[str] = Field(min_length=1)
    """Ids of the projects covered (dataset deposits or facilities, or finance project ids)."""
    partners: list[Partner] = Field(min_length=1)

    @model_validator(mode="after")
    def _shares(self) -> Consortium:
        ids = [p.id for p in self.partners]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            msg = f"partner id {repeated[0]!r} appears twice (allowed: one entry per partner)"
            raise ValueError(msg)
        equity = sum(p.equity_pct for p in self.partners)
        if equity > 100.0 + 1e-9:
            msg = f"equity_pct sum to {equity:g} % (allowed: at most 100 %)"
            raise ValueError(msg)
        for product in sorted({k for p in self.partners for k in p.offtake_pct}):
            total = sum(p.offtake_pct.get(product, 0.0) for p in self.partners)
            if total > 100.0 + 1e-9:
                msg = f"offtake_pct of {product} sum to {total:g} % (allowed: at most 100 %)"
                raise ValueError(msg)
        return self


def shipped_consortia() -> dict[str, Path]:
    """The consortia shipped with kazree, by name (file stem)."""
    root = Path(str(files("kazree.roadmap") / "files" / "consortia"))
    return {p.stem: p for p in sorted(root.glob("*.yaml"))}


def load_consortium(name_or_path: str) -> Consortium:
    """A shipped consortium by name, or the YAML file at a path."""
    shipped = shipped_consortia()
    path = shipped.get(name_or_path, Path(name_or_path))
    allowed = f"{ALLOWED}; shipped: {', '.join(shipped)}"
    return load_yaml_model(path, Consortium, allowed)
