"""A project to finance: capacity, costs, timing; from a project YAML or a dataset facility."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kazree.chain.forms import Form, Stage
from kazree.data.loader import Dataset
from kazree.data.rows import Facility
from kazree.errors import KazreeError
from kazree.scenario.loading import describe, read_mapping

ALLOWED = "a project YAML (see docs/roadmap-tools.md) or a facility id of the dataset"

Pct = Annotated[float, Field(ge=0.0, le=100.0)]


class Project(BaseModel):
    """One plant or mine as a financed project; money in million US$ (real), output in t/yr."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    name: str = ""
    facility: str | None = None
    """Dataset facility the project builds on (its fields fill what the YAML leaves out)."""
    stage: Stage
    product: str = "NdPr"
    """Product sold, as ``prices.product`` names it (``NdPr``, an element symbol)."""
    form: Form = Form.SEPARATED_OXIDE
    capacity_t: float = Field(gt=0.0)
    """Saleable product at full rate, t per year."""
    capex_musd: float = Field(gt=0.0)
    opex_usd_per_kg: float = Field(ge=0.0)
    """Cash operating cost per kg of product sold."""
    fixed_opex_musd: float = Field(default=0.0, ge=0.0)
    start_year: int = Field(ge=2000, le=2100)
    """First year of production."""
    lead_time_years: int = Field(ge=1, le=15)
    """Construction years before ``start_year``; capex is spread evenly over them."""
    ramp_up_pct: list[Pct] = Field(default_factory=lambda: [50.0, 80.0])
    """Utilisation in the first years of operation, then 100 %."""
    life_years: int = Field(default=20, ge=1, le=60)
    buildings_share_pct: Pct = 30.0
    """Share of capex depreciated as buildings (the rest as machinery)."""
    met_pct: Pct | None = None
    """Mineral extraction tax, % of revenue; default: the top of the dataset's range for mining
    projects, 0 for processing."""
    met_holiday: bool = False
    """Claims the 60-month MET holiday for new deposits (its conditions must be met)."""
    technogenic: bool = False
    """Feed is a technogenic formation (tailings, residues): MET times the dataset's factor."""
    source: str = ""
    """Source ids (``;``-separated) of the figures above; every id must be in sources.csv."""


def _from_facility(dataset: Dataset, facility_id: str) -> dict[str, Any]:
    rows = {r.id: r for r in dataset.rows("facilities") if isinstance(r, Facility)}
    row = rows.get(facility_id)
    if row is None:
        msg = f"unknown facility {facility_id!r} ({'allowed: ' + ALLOWED})"
        raise KazreeError(msg)
    known: dict[str, Any] = {
        "id": row.id,
        "name": row.name,
        "stage": row.stage,
        "capacity_t": row.capacity_t,
        "capex_musd": row.capex_musd,
        "start_year": row.start_year,
        "source": row.source,
    }
    return {k: v for k, v in known.items() if v is not None}


def _check_sources(origin: str, project: Project, dataset: Dataset) -> None:
    known = {str(getattr(r, "id", "")) for r in dataset.rows("sources")}
    for sid in (s.strip() for s in project.source.split(";") if s.strip()):
        if sid not in known:
            msg = f"{origin}: source: unknown source id {sid!r} (allowed: an id in sources.csv)"
            raise KazreeError(msg)


def load_project(spec: str, dataset: Dataset) -> Project:
    """The project named by ``spec``: a YAML file, or a facility id of the dataset."""
    path = Path(spec)
    if path.suffix in {".yaml", ".yml"} or path.is_file():
        if not path.is_file():
            msg = f"{path}: no such file (allowed: {ALLOWED})"
            raise KazreeError(msg)
        data, origin = read_mapping(path, ALLOWED), str(path)
        base = _from_facility(dataset, str(data["facility"])) if "facility" in data else {}
    else:
        origin, data, base = f"facility {spec}", {}, _from_facility(dataset, spec)
    try:
        project = Project.model_validate({**base, **data})
    except ValidationError as exc:
        hint = (
            "" if data else f" (the dataset lacks it: write a project YAML with facility: {spec})"
        )
        raise KazreeError(describe(Path(origin), exc, Project) + hint) from None
    _check_sources(origin, project, dataset)
    return project
