"""MCDA arithmetic: dominance is never punished, robustness shares are a distribution."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kazree.roadmap.zones.rank import (
    Method,
    competition_ranks,
    dirichlet_weights,
    fill_missing,
    informative,
    rank_shares,
    scores,
)

VALUE = st.one_of(st.floats(0, 1e6, allow_nan=False), st.just(float("nan")))


@st.composite
def dominance_cases(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, int]:
    """A matrix with a row ``a`` at least as good as row ``b`` on every criterion.

    A gap in ``b`` may face any value (or a gap) in ``a``: a gap counts as the worst value.
    """
    n = draw(st.integers(2, 7))
    m = draw(st.integers(1, 6))
    values = np.array([[draw(VALUE) for _ in range(m)] for _ in range(n)])
    types = np.array([draw(st.sampled_from([1, -1])) for _ in range(m)])
    a, b = draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
    for j in range(m):
        if np.isnan(values[b, j]):
            continue
        step = draw(st.floats(0, 1e5, allow_nan=False))
        values[a, j] = values[b, j] + types[j] * step
    weights = np.array([draw(st.floats(0.01, 1.0)) for _ in range(m)])
    return values, types, weights / weights.sum(), a, b


def ranks_of(method: Method, values: np.ndarray, types: np.ndarray, w: np.ndarray) -> np.ndarray:
    filled = fill_missing(values, types)
    used = informative(filled, w)
    return competition_ranks(scores(method, filled[:, used], w[used], types[used]))


@settings(max_examples=150, deadline=None)
@given(dominance_cases(), st.integers(0, 2**32 - 1))
def test_a_dominating_site_never_ranks_below_under_any_method_or_sample(
    case: tuple[np.ndarray, np.ndarray, np.ndarray, int, int], seed: int
) -> None:
    values, types, weights, a, b = case
    samples = dirichlet_weights(weights, 5.0, 10, np.random.default_rng(seed))
    for method in Method:
        for w in [weights, *samples]:
            ranks = ranks_of(method, values, types, w)
            assert ranks[a] <= ranks[b], (method, w, ranks)


def test_strict_dominance_on_a_weighted_criterion_ranks_strictly_higher() -> None:
    values = np.array([[10.0, 5.0], [10.0, 7.0], [1.0, 9.0]])
    types = np.array([1, -1])
    for method in Method:
        ranks = ranks_of(method, values, types, np.array([0.5, 0.5]))
        assert ranks[0] < ranks[1]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(0, 3), min_size=4, max_size=4), min_size=1, max_size=30))
def test_rank_shares_sum_to_one_per_rank_and_per_site_with_ties(rows: list[list[int]]) -> None:
    shares = rank_shares(np.array(rows, dtype=float))
    assert np.allclose(shares.sum(axis=0), 1.0)
    assert np.allclose(shares.sum(axis=1), 1.0)


def test_ties_split_the_positions_they_hold() -> None:
    shares = rank_shares(np.array([[0.9, 0.9, 0.1]]))
    assert shares.tolist() == [[0.5, 0.5, 0.0], [0.5, 0.5, 0.0], [0.0, 0.0, 1.0]]
    assert competition_ranks(np.array([0.9, 0.9, 0.1])).tolist() == [1, 1, 3]


def test_gaps_take_the_worst_observed_value_and_empty_columns_drop_out() -> None:
    nan = float("nan")
    values = np.array([[5.0, nan, 3.0], [nan, nan, 3.0], [1.0, nan, 3.0]])
    filled = fill_missing(values, np.array([1, 1, -1]))
    assert filled[1, 0] == 1.0
    assert informative(filled, np.array([0.4, 0.3, 0.3])).tolist() == [True, False, False]
    filled = fill_missing(values, np.array([-1, 1, -1]))
    assert filled[1, 0] == 5.0


def test_weight_samples_centre_on_the_weights() -> None:
    w = np.array([0.5, 0.3, 0.2])
    draws = dirichlet_weights(w, 50.0, 20_000, np.random.default_rng(1))
    assert np.allclose(draws.sum(axis=1), 1.0)
    assert np.allclose(draws.mean(axis=0), w, atol=0.005)
