"""MCDA arithmetic on a decision matrix: missing values, scores (pymcdm), ranks, robustness.

Pure functions of numpy arrays. Rows are sites, columns criteria; ``types`` is +1 for a
benefit criterion and -1 for a cost criterion, as pymcdm expects.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

Matrix = NDArray[np.float64]

SCORE_DECIMALS = 10
"""Scores equal to this many decimals are ties (they share the better rank)."""


class Method(StrEnum):
    """MCDA methods offered, both from pymcdm with min-max normalisation."""

    WSM = "wsm"
    """Weighted sum of min-max normalised criteria."""
    TOPSIS = "topsis"
    """Relative closeness to the ideal site (Hwang and Yoon)."""


def fill_missing(values: Matrix, types: NDArray[np.int_]) -> Matrix:
    """Missing cells (NaN) take the worst value observed in their column.

    No evidence counts as the worst case among the sites, so a gap never lifts a site. A column
    with no value at all stays NaN (it is dropped by :func:`informative`).
    """
    filled = values.copy()
    for j in range(values.shape[1]):
        column = values[:, j]
        seen = column[~np.isnan(column)]
        if seen.size:
            worst = seen.min() if types[j] > 0 else seen.max()
            filled[np.isnan(column), j] = worst
    return filled


def informative(filled: Matrix, weights: Matrix) -> NDArray[np.bool_]:
    """Columns that can change a ranking: positive weight, complete, not all equal."""
    complete = ~np.isnan(filled).any(axis=0)
    spread = np.zeros(filled.shape[1], dtype=bool)
    spread[complete] = np.ptp(filled[:, complete], axis=0) > 0
    return complete & spread & (weights > 0)


def scores(method: Method, matrix: Matrix, weights: Matrix, types: NDArray[np.int_]) -> Matrix:
    """Preference of each row (higher is better) under ``method``; weights are renormalised.

    Dropping an all-equal column and renormalising leaves both methods' rankings unchanged.
    """
    from pymcdm import methods, normalizations

    if matrix.shape[1] == 0 or weights.sum() <= 0:
        return np.zeros(matrix.shape[0])
    normalise = normalizations.minmax_normalization
    body = methods.WSM(normalise) if method is Method.WSM else methods.TOPSIS(normalise)
    result = body(matrix, weights / weights.sum(), types, validation=False)
    return np.asarray(result, dtype=np.float64)


def competition_ranks(preference: Matrix) -> NDArray[np.int_]:
    """Rank 1 for the best; tied sites share the better rank (1, 1, 3)."""
    rounded = np.round(preference, SCORE_DECIMALS)
    ranks: NDArray[np.int_] = 1 + (rounded[None, :] > rounded[:, None]).sum(axis=1)
    return ranks


def rank_shares(sample_scores: Matrix) -> Matrix:
    """Share of samples in which site ``i`` holds position ``r`` (``[i, r - 1]``).

    Tied sites split the positions they occupy evenly, so every row and every column sums to 1.
    """
    n_samples, n_sites = sample_scores.shape
    shares = np.zeros((n_sites, n_sites))
    for preference in sample_scores:
        rounded = np.round(preference, SCORE_DECIMALS)
        _, group, counts = np.unique(-rounded, return_inverse=True, return_counts=True)
        starts = np.cumsum(counts) - counts
        for site, g in enumerate(group):
            shares[site, starts[g] : starts[g] + counts[g]] += 1.0 / counts[g]
    result: Matrix = shares / max(n_samples, 1)
    return result


def dirichlet_weights(
    weights: Matrix, concentration: float, samples: int, rng: np.random.Generator
) -> Matrix:
    """``samples`` weight vectors drawn from Dirichlet(concentration x weights); mean = weights."""
    base = weights / weights.sum()
    draws: Matrix = rng.dirichlet(concentration * base, size=samples)
    return draws
