"""Candidate projects: non-operating dataset facilities and the scenario's generic candidates.

In plan mode a non-operating dataset facility with a known capacity is a candidate instead of
counting by its status's risk weight: the planner decides whether and when it is built. Its own
capacity, capex (``capex_musd``) and start year stand (with ``--integer`` it is built whole or
not at all); a published start year is its earliest online year, so its lead time is
``max(start_year - first decision year, 0)``; without one the stage's sourced lead time applies
(:mod:`kazree.planner.costs`). Facilities the scenario declares are its premise and stay fixed
unless ``plan.replaces`` names them. With ``plan.choose: false`` (the roadmap as announced)
the facilities ``plan.replaces`` names are the only candidates, each a fixed build of its
declared capacity online in its declared start year, decided its stage's lead time earlier (not
before the first decision year).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial

import numpy as np
import pandas as pd

from kazree.chain.forms import Stage
from kazree.data import Dataset
from kazree.data.rows.supply import CapacityBasis, Status
from kazree.errors import KazreeError
from kazree.model.capacity import local_ndpr_share, model_capacity_t
from kazree.model.inputs import Inputs
from kazree.planner.costs import (
    annuity_factor,
    financing_of,
    lead_years,
    rate_pct,
    stage_capex_usd_per_t,
)
from kazree.scenario.plan import CandidateSpec, Financing, PlanSpec
from kazree.scenario.schema import FacilitySpec, Scenario

BASIS_OF = {
    Stage.MINING: CapacityBasis.T_REO,
    Stage.CRACKING: CapacityBasis.T_REO,
    Stage.SEPARATION: CapacityBasis.T_REO,
    Stage.METAL: CapacityBasis.T_METAL,
    Stage.MAGNET: CapacityBasis.T_MAGNET,
}
COLUMNS = [
    "stage",
    "country",
    "zone",
    "origin",
    "max_t",
    "min_t",
    "capex_usd_per_t",
    "lead_years",
    "earliest_online",
    "ramp_up_years",
    "financing",
    "rate_pct",
    "annual_usd_per_t",
    "fixed_year",
]
"""``annual_usd_per_t``: annuity of the capex plus fixed O&M, US$ per t/yr per year online;
``fixed_year``: the decision year of a fixed build (built whole then), NaN for a free choice."""


def spec_of(scenario: Scenario) -> PlanSpec:
    """The scenario's ``plan:`` block (an empty plan when it has none)."""
    return scenario.plan or PlanSpec()


def first_decision_year(scenario: Scenario) -> int:
    """First year a build may be decided."""
    own = spec_of(scenario).first_decision_year
    return scenario.years.start if own is None else max(own, scenario.years.start)


def plan_scenario(scenario: Scenario) -> Scenario:
    """``scenario`` in plan mode: the facilities ``plan.replaces`` names left out, generic
    candidates added as facilities (no capacity in the base year) so that the model knows their
    countries and ores; the planner sets their capacity. With ``plan.choose: false``: the
    scenario as it is (the facilities ``plan.replaces`` names become fixed builds)."""
    spec = spec_of(scenario)
    unknown = set(spec.replaces) - {f.id for f in scenario.facilities}
    if unknown:
        msg = (
            f"{scenario.origin}: plan.replaces: {sorted(unknown)[0]!r} is not a facility of the"
            f" scenario (allowed: {', '.join(f.id for f in scenario.facilities) or 'none'})"
        )
        raise KazreeError(msg)
    if not spec.choose:
        return scenario
    kept = [f for f in scenario.facilities if f.id not in spec.replaces]
    added = [
        FacilitySpec(
            id=c.id,
            name=c.zone or "",
            country=c.country,
            stage=c.stage,
            capacity_t=c.max_capacity_t,
            capacity_basis=BASIS_OF[c.stage],
            status=Status.ANNOUNCED,
            start_year=scenario.years.end,
            deposit_type=c.deposit_type if c.stage is Stage.MINING else None,
            ramp_up_years=c.ramp_up_years,
        )
        for c in spec.candidates
    ]
    return scenario.model_copy(update={"facilities": [*kept, *added]})


def candidate_table(scenario: Scenario, ds: Dataset, inputs: Inputs) -> pd.DataFrame:
    """One row per candidate (index: facility id), columns :data:`COLUMNS`."""
    spec = spec_of(scenario)
    first = first_decision_year(scenario)
    capex = stage_capex_usd_per_t(ds, spec)
    generic = {c.id: c for c in spec.candidates}
    facilities = inputs.facilities
    ndpr = local_ndpr_share(facilities, inputs.composition)
    own_capex = ds.table("facilities").set_index("id")["capex_musd"]
    rate = cache(partial(rate_pct, ds, spec))
    rows = []
    for fid, row in facilities[_offered(facilities, spec)].iterrows():
        given = generic.get(str(fid)) if spec.choose else None
        fixed = not spec.choose and str(fid) in spec.replaces
        size = given.max_capacity_t if given else model_capacity_t(row, inputs.composition, ndpr)
        if size <= 0:
            continue
        place = Place(str(fid), row, size, given, fixed)
        rows.append(_row(scenario, ds, spec, place, own_capex, capex, first, rate))
    table = pd.DataFrame(rows, columns=["id", *COLUMNS]).set_index("id")
    annuity = [annuity_factor(r, spec.life_years) for r in table["rate_pct"]]
    table["annual_usd_per_t"] = table["capex_usd_per_t"] * (
        np.asarray(annuity, dtype=float) + spec.fixed_om_pct / 100.0
    )
    return table


def _offered(facilities: pd.DataFrame, spec: PlanSpec) -> np.ndarray:
    """Which facilities the planner may build: the scenario's generic candidates and, with
    ``dataset_candidates``, the dataset's non-operating undeclared facilities; with ``choose:
    false``, the facilities ``plan.replaces`` names."""
    ids = facilities.index.astype(str)
    if not spec.choose:
        return np.asarray(ids.isin(spec.replaces))
    generic = np.asarray(ids.isin([c.id for c in spec.candidates]))
    if not spec.dataset_candidates:
        return generic
    dataset = (facilities["status"] != Status.OPERATING.value) & ~facilities["declared"].astype(
        bool
    )
    return generic | dataset.to_numpy()


@dataclass(frozen=True)
class Place:
    """A facility of the model offered to the planner: its size on the model basis, its
    scenario candidate (generic ones) and whether it is a fixed build (``choose: false``)."""

    fid: str
    row: pd.Series
    size: float
    given: CandidateSpec | None
    fixed: bool


def _timing(ds: Dataset, spec: PlanSpec, place: Place, first: int) -> tuple[int, int, float]:
    """(decision year, lead years, fixed decision year or NaN) of a candidate."""
    stage, country = str(place.row["stage"]), str(place.row["country"])
    start, given = place.row["start_year"], place.given
    if given is not None and given.lead_years is not None:
        return first, given.lead_years, np.nan
    if pd.isna(start):
        return first, lead_years(ds, spec, stage, country), np.nan
    if not place.fixed:
        return first, max(int(start) - first, 0), np.nan
    decision = max(int(start) - lead_years(ds, spec, stage, country), first)
    return decision, max(int(start) - decision, 0), float(decision)


def _row(
    scenario: Scenario,
    ds: Dataset,
    spec: PlanSpec,
    place: Place,
    own_capex: pd.Series,
    capex: dict[str, float],
    first: int,
    rate: Callable[[Financing], float],
) -> dict[str, object]:
    row, given, size = place.row, place.given, place.size
    stage, country = str(row["stage"]), str(row["country"])
    decision, lead, fixed_year = _timing(ds, spec, place, first)
    published = own_capex.get(place.fid) if given is None else None
    if given is not None and given.capex_usd_per_t is not None:
        per_t = given.capex_usd_per_t
    elif published is not None and not pd.isna(published):
        per_t = float(published) * 1e6 / size
    else:
        per_t = capex[stage]
    per_t *= spec.capex_factor.get(Stage(stage), 1.0)
    own_ramp = row["ramp_up_years"]
    financing = financing_of(spec, country, given.financing if given else None)
    return {
        "id": place.fid,
        "stage": stage,
        "country": country,
        "zone": given.zone if given else None,
        "origin": "scenario" if given or place.fixed else "dataset",
        "max_t": size,
        "min_t": given.min_capacity_t if given else size,
        "capex_usd_per_t": per_t,
        "lead_years": lead,
        "earliest_online": decision + lead,
        "ramp_up_years": scenario.ramp_up_years if pd.isna(own_ramp) else int(own_ramp),
        "financing": financing.value,
        "rate_pct": rate(financing),
        "annual_usd_per_t": np.nan,
        "fixed_year": fixed_year,
    }
