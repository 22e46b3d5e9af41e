"""Rank Kazakh sites of each kind by several methods, with rank robustness under weight samples."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kazree.data.loader import Dataset
from kazree.roadmap.zones.criteria import SiteKind
from kazree.roadmap.zones.rank import (
    Matrix,
    Method,
    competition_ranks,
    dirichlet_weights,
    fill_missing,
    informative,
    rank_shares,
    scores,
)
from kazree.roadmap.zones.sites import DecisionTable, decision_table
from kazree.roadmap.zones.weights import ZoneWeights

TOP = 3
"""The "top three" of the robustness report."""


@dataclass(frozen=True)
class ZoneRanking:
    """Rankings of every kind of site by every method, and how stable they are."""

    ranking: pd.DataFrame
    """kind, method, site, name, score, rank, first_share, top3_share, gaps."""
    shares: pd.DataFrame
    """kind, method, site, rank, share: share of weight samples with the site at that rank."""
    criteria: pd.DataFrame
    """kind, site, criterion, value, imputed, basis, source, vintage, confidence."""
    unused: pd.DataFrame
    """kind, criterion, reason: criteria that could not change the ranking."""
    samples: int
    seed: int


@dataclass(frozen=True)
class _Prepared:
    table: DecisionTable
    filled: Matrix
    used: np.ndarray
    weights: Matrix


def _prepare(table: DecisionTable, weights: ZoneWeights) -> _Prepared:
    given = weights.of(table.kind)
    w = np.array([given[name] for name in table.criteria])
    filled = fill_missing(table.values, table.types)
    return _Prepared(table, filled, informative(filled, w), w)


def _unused(p: _Prepared) -> list[dict[str, str]]:
    out = []
    for j, name in enumerate(p.table.criteria):
        if p.used[j]:
            continue
        column = p.table.values[:, j]
        if p.weights[j] <= 0:
            reason = "weight 0"
        elif np.isnan(column).all():
            reason = "no sourced value for any site"
        else:
            reason = "same value for every site (after gaps take the worst value)"
        out.append({"kind": p.table.kind.value, "criterion": name, "reason": reason})
    return out


def _method_rows(
    p: _Prepared, method: Method, weight_samples: Matrix
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    matrix, types = p.filled[:, p.used], p.table.types[p.used]
    central = scores(method, matrix, p.weights[p.used], types)
    ranks = competition_ranks(central)
    sampled = np.array([scores(method, matrix, w, types) for w in weight_samples])
    shares = rank_shares(sampled) if len(sampled) else np.full((len(ranks),) * 2, np.nan)
    gaps = np.isnan(p.table.values[:, p.used]).sum(axis=1)
    kind = p.table.kind.value
    rows: list[dict[str, object]] = [
        {
            "kind": kind,
            "method": method.value,
            "site": site,
            "name": p.table.names[i],
            "score": float(central[i]),
            "rank": int(ranks[i]),
            "first_share": float(shares[i, 0]),
            "top3_share": float(shares[i, :TOP].sum()),
            "gaps": int(gaps[i]),
        }
        for i, site in enumerate(p.table.sites)
    ]
    share_rows: list[dict[str, object]] = [
        {"kind": kind, "method": method.value, "site": site, "rank": r + 1, "share": shares[i, r]}
        for i, site in enumerate(p.table.sites)
        for r in range(len(p.table.sites))
    ]
    return rows, share_rows


def _criteria_rows(p: _Prepared) -> pd.DataFrame:
    frame = p.table.cells.copy()
    frame.insert(0, "kind", p.table.kind.value)
    frame["imputed"] = False
    filled = [
        {
            "kind": p.table.kind.value,
            "site": site,
            "criterion": name,
            "value": p.filled[i, j],
            "imputed": True,
            "basis": "gap: worst value among the sites",
        }
        for i, site in enumerate(p.table.sites)
        for j, name in enumerate(p.table.criteria)
        if p.used[j] and np.isnan(p.table.values[i, j])
    ]
    return pd.concat([frame.dropna(subset=["value"]), pd.DataFrame(filled)], ignore_index=True)


def rank_zones(
    dataset: Dataset,
    weights: ZoneWeights,
    methods: Sequence[Method] = (Method.WSM, Method.TOPSIS),
    samples: int = 1000,
    seed: int = 0,
) -> ZoneRanking:
    """Rank the Kazakh deposits and processing sites; ``samples`` weight draws per kind."""
    rng = np.random.default_rng(seed)
    ranking, shares, criteria, unused = [], [], [], []
    for kind in SiteKind:
        p = _prepare(decision_table(dataset, kind, weights.claim_discount), weights)
        used_w = p.weights[p.used]
        draws = (
            dirichlet_weights(used_w, weights.concentration, samples, rng)
            if used_w.size and samples > 0
            else np.zeros((samples, used_w.size))
        )
        for method in methods:
            rows, share_rows = _method_rows(p, method, draws)
            ranking += rows
            shares += share_rows
        criteria.append(_criteria_rows(p))
        unused += _unused(p)
    return ZoneRanking(
        pd.DataFrame(ranking),
        pd.DataFrame(shares),
        pd.concat(criteria, ignore_index=True),
        pd.DataFrame(unused, columns=["kind", "criterion", "reason"]),
        samples,
        seed,
    )


def top_sites(
    result: ZoneRanking, kind: SiteKind, n: int, method: Method = Method.WSM
) -> tuple[str, ...]:
    """The ids of the ``n`` best-ranked sites of ``kind`` by ``method`` (ties kept together,
    so more than ``n`` ids when a tie straddles the cut): the zones a plan may build in."""
    ranking = result.ranking
    mine = ranking[(ranking["kind"] == kind.value) & (ranking["method"] == method.value)]
    return tuple(mine.loc[mine["rank"] <= n].sort_values("rank", kind="stable")["site"])
