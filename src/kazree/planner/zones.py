"""Priority zones feed the planner: ``plan.zones`` keeps generic candidates in top-ranked zones.

A generic candidate that names a ``zone`` is a project at a ranked site of ``kazree zones``: a
mine at a Kazakh deposit, any other stage at a Kazakh processing site. With ``plan.zones: {top:
N}`` the sites of each kind are ranked (``method``, ``weights``; no weight samples) and
candidates whose zone is not among the ``N`` best of its kind are dropped before the plan is
built, so the planner never sees them. Candidates without a zone (e.g. abroad) and dataset
projects are not restricted.
"""

from __future__ import annotations

from kazree.chain.forms import Stage
from kazree.data import Dataset
from kazree.errors import KazreeError
from kazree.roadmap.zones import SiteKind, default_weights, load_weights, rank_zones, top_sites
from kazree.roadmap.zones.rank import Method
from kazree.scenario.loading import beside
from kazree.scenario.plan import CandidateSpec
from kazree.scenario.schema import Scenario


def site_kind(stage: Stage) -> SiteKind:
    """The kind of zone a candidate of ``stage`` is sited in."""
    return SiteKind.DEPOSIT if stage is Stage.MINING else SiteKind.PROCESSING


def _method(scenario: Scenario, given: str) -> Method:
    allowed = [m.value for m in Method]
    if given not in allowed:
        msg = (
            f"{scenario.origin}: plan.zones.method: {given!r} is not a ranking method"
            f" (allowed: {', '.join(allowed)})"
        )
        raise KazreeError(msg)
    return Method(given)


def zoned_candidates(scenario: Scenario, ds: Dataset) -> list[CandidateSpec]:
    """The scenario's generic candidates that ``plan.zones`` leaves open (all without it)."""
    spec = scenario.plan
    if spec is None or spec.zones is None:
        return list(spec.candidates) if spec else []
    method = _method(scenario, spec.zones.method)
    weights = (
        default_weights()
        if spec.zones.weights is None
        else load_weights(beside(scenario.origin, spec.zones.weights))
    )
    ranking = rank_zones(ds, weights, [method], samples=0)
    kept = []
    for c in spec.candidates:
        if c.zone is None:
            kept.append(c)
            continue
        kind = site_kind(c.stage)
        sites = set(ranking.ranking.loc[ranking.ranking["kind"] == kind.value, "site"])
        if c.zone not in sites:
            msg = (
                f"{scenario.origin}: plan.candidates: {c.id}: zone {c.zone!r} is not a ranked"
                f" {kind.value} site (allowed: {', '.join(sorted(sites))})"
            )
            raise KazreeError(msg)
        if c.zone in top_sites(ranking, kind, spec.zones.top, method):
            kept.append(c)
    return kept


def restrict_to_zones(scenario: Scenario, ds: Dataset) -> Scenario:
    """``scenario`` with only the generic candidates ``plan.zones`` leaves open."""
    spec = scenario.plan
    if spec is None or spec.zones is None:
        return scenario
    kept = spec.model_copy(update={"candidates": zoned_candidates(scenario, ds)})
    return scenario.model_copy(update={"plan": kept})
