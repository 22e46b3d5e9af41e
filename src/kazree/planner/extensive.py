"""The extensive form of a two-stage programme: one HiGHS problem from several futures' models.

Each future's planning model (a linopy model, built and not solved) becomes a :class:`Block`:
its constraint matrix, bounds and costs as linopy lays them out. The first-stage columns (the
builds) are named by their position in :data:`SHARED` variables, in the same order in every
block; the extensive form gives them one column each, shared by every block that holds them
(non-anticipativity), and every other column and row stays the block's own. The objective is
``(1 - W) sum_s p_s cost_s + W CVaR_alpha(cost)``, CVaR in the Rockafellar-Uryasev form
``eta + 1/(1 - alpha) sum_s p_s u_s`` with ``u_s >= cost_s - eta`` and ``u_s >= 0``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import highspy
import linopy
import numpy as np
import scipy.sparse as sp

from kazree.errors import KazreeError
from kazree.model.solve import quiet_solver
from kazree.model.yearly import new_highs
from kazree.planner.investment import BUILD, BUILD_ON

SHARED = (BUILD, BUILD_ON)
"""The first-stage variables, decided before the future is known."""
SLACK_PREFIX = "slack_"
SLACK_TOLERANCE = 1e-6
"""A target's shortfall below this (its unit) counts as met."""
MIP_GAP = 1e-9
TAIL_SCALE = 1e-6
"""The CVaR rows and their variables are in MUSD (the blocks' costs in US$): smaller numbers."""


@dataclass(frozen=True)
class Risk:
    """``cvar:ALPHA[:WEIGHT]``: weight W on the CVaR at level alpha of the cost."""

    alpha: float
    weight: float = 1.0


@dataclass(frozen=True)
class Block:
    """One future's planning model as arrays (columns and rows in linopy's order)."""

    a: sp.csr_array
    lower: np.ndarray
    """Row lower bounds (-inf where none)."""
    upper: np.ndarray
    cost: np.ndarray
    """US$ per unit of each column."""
    constant: float
    lb: np.ndarray
    ub: np.ndarray
    integral: np.ndarray
    shared: np.ndarray
    """Column of each first-stage variable, in :data:`SHARED` order."""
    slack: np.ndarray
    """Columns of the targets' shortfalls."""

    @property
    def columns(self) -> int:
        """Number of columns."""
        return len(self.cost)


@dataclass(frozen=True)
class Outcome:
    """A solved extensive form: the first-stage values and each block's cost."""

    objective: float
    """US$: the risk-weighted objective."""
    shared: np.ndarray
    costs: np.ndarray
    """US$ per block: its objective with the first stage and its own recourse."""
    met: np.ndarray
    """Per block: every target met (no shortfall)."""
    columns: int
    rows: int


def shared_labels(m: linopy.Model) -> np.ndarray:
    """Labels of the first-stage variables in :data:`SHARED` order (masked entries dropped)."""
    parts = [m.variables[n].labels.values.ravel() for n in SHARED if n in m.variables]
    labels = np.concatenate(parts)
    return labels[labels >= 0]


def block_of(m: linopy.Model) -> Block:
    """``m``'s matrices as a :class:`Block` (``m`` is built with unit scaling, not solved)."""
    matrices = m.matrices
    if matrices.A is None or not (matrices.var_scaling == 1.0).all():
        msg = "the planning model has no rows or scaled columns (allowed: unscaled rows)"
        raise KazreeError(msg)
    position = m.variables.label_index.label_to_pos
    sense, b = matrices.sense, matrices.b
    slack = [
        m.variables[n].labels.values.ravel() for n in m.variables if n.startswith(SLACK_PREFIX)
    ]
    slack_labels = np.concatenate([np.array([], dtype=int), *slack])
    return Block(
        a=sp.csr_array(matrices.A),
        lower=np.where(sense != "<", b, -np.inf),
        upper=np.where(sense != ">", b, np.inf),
        cost=np.asarray(matrices.c, dtype=float),
        constant=float(m.objective.expression.const),
        lb=np.asarray(matrices.lb, dtype=float),
        ub=np.asarray(matrices.ub, dtype=float),
        integral=np.isin(matrices.vtypes, ("B", "I")),
        shared=position[shared_labels(m)],
        slack=position[slack_labels[slack_labels >= 0]],
    )


def parse_risk(text: str) -> Risk:
    """``"cvar:ALPHA[:WEIGHT]"`` -> :class:`Risk`; a one-line error otherwise."""
    parts = text.split(":")
    try:
        numbers = [float(p) for p in parts[1:]]
    except ValueError:
        numbers = []
    if parts[0] != "cvar" or len(numbers) not in (1, 2):
        numbers = [float("nan")]
    alpha, weight = numbers[0], numbers[1] if len(numbers) == 2 else 1.0
    if not (0.0 <= alpha < 1.0 and 0.0 <= weight <= 1.0):
        msg = (
            f"--risk {text!r}: not cvar:ALPHA[:WEIGHT] with 0 <= ALPHA < 1 and 0 <= WEIGHT <= 1"
            " (allowed: e.g. cvar:0.9 or cvar:0.9:0.5)"
        )
        raise KazreeError(msg)
    return Risk(alpha, weight)


def cvar(costs: np.ndarray, probabilities: np.ndarray, alpha: float) -> float:
    """Conditional value at risk: the expected cost in the worst ``1 - alpha`` of probability."""
    order = np.argsort(costs)
    sorted_costs, sorted_p = costs[order], probabilities[order]
    reached = np.cumsum(sorted_p)
    var = float(sorted_costs[np.searchsorted(reached, alpha - 1e-12, side="left")])
    excess = np.clip(costs - var, 0.0, None)
    return var + float(probabilities @ excess) / (1.0 - alpha)


def risk_measure(costs: np.ndarray, probabilities: np.ndarray, risk: Risk | None) -> float:
    """``(1 - W) E[cost] + W CVaR_alpha(cost)`` (the expectation without ``risk``)."""
    expected = float(probabilities @ costs)
    if risk is None:
        return expected
    return (1.0 - risk.weight) * expected + risk.weight * cvar(costs, probabilities, risk.alpha)


def solve(
    blocks: Sequence[Block],
    probabilities: Sequence[float] | np.ndarray,
    *,
    risk: Risk | None = None,
    fixed: np.ndarray | None = None,
    where: str = "",
) -> Outcome:
    """Solve the extensive form of ``blocks`` (``fixed``: first-stage values held, clipped to
    each block's bounds)."""
    p = np.asarray(probabilities, dtype=float)
    count = len(blocks[0].shared)
    if any(len(b.shared) != count for b in blocks):
        msg = f"{where}: the futures offer different builds (allowed: the same candidates)"
        raise KazreeError(msg)
    weight = 0.0 if risk is None else risk.weight
    shared_lb = np.max([b.lb[b.shared] for b in blocks], axis=0)
    shared_ub = np.min([b.ub[b.shared] for b in blocks], axis=0)
    if fixed is not None:
        shared_lb = shared_ub = np.clip(fixed, shared_lb, shared_ub)
    cost = [np.sum([pi * b.cost[b.shared] for pi, b in zip(p, blocks, strict=True)], axis=0)]
    lb, ub, integral = [shared_lb], [shared_ub], [np.zeros(count, dtype=bool)]
    maps, matrices, lower, upper = [], [], [], []
    offset = count
    for pi, b in zip(p, blocks, strict=True):
        own = np.ones(b.columns, dtype=bool)
        own[b.shared] = False
        where_to = np.empty(b.columns, dtype=np.int64)
        where_to[b.shared] = np.arange(count)
        where_to[own] = offset + np.arange(int(own.sum()))
        offset += int(own.sum())
        maps.append(where_to)
        cost.append(pi * b.cost[own])
        lb.append(b.lb[own])
        ub.append(b.ub[own])
        integral.append(b.integral[own])
        integral[0] |= b.integral[b.shared]
        matrices.append(_moved(b.a, where_to))
        lower.append(b.lower)
        upper.append(b.upper)
    objective = np.concatenate(cost) * (1.0 - weight)
    constant = (1.0 - weight) * float(p @ [b.constant for b in blocks])
    columns = offset
    if risk is not None:
        tail = weight / TAIL_SCALE
        objective = np.concatenate([objective, [tail], tail * p / (1.0 - risk.alpha)])
        lb += [np.array([-np.inf]), np.zeros(len(blocks))]
        ub += [np.array([np.inf]), np.full(len(blocks), np.inf)]
        integral += [np.zeros(1 + len(blocks), dtype=bool)]
        matrices.append(_tails(blocks, maps, columns))
        lower.append(np.array([b.constant for b in blocks]) * TAIL_SCALE)
        upper.append(np.full(len(blocks), np.inf))
        columns += 1 + len(blocks)
    a = sp.vstack([_widened(m, columns) for m in matrices], format="csr")
    values = _run(
        a,
        np.concatenate(lower),
        np.concatenate(upper),
        objective,
        np.concatenate(lb),
        np.concatenate(ub),
        np.concatenate(integral),
        where,
    )
    costs = np.array([b.cost @ values[m] + b.constant for b, m in zip(blocks, maps, strict=True)])
    met = np.array(
        [
            bool((values[m[b.slack]] <= SLACK_TOLERANCE).all())
            for b, m in zip(blocks, maps, strict=True)
        ]
    )
    total = float(objective @ values) + constant
    return Outcome(total, values[:count], costs, met, columns, a.shape[0])


def _moved(a: sp.csr_array, where_to: np.ndarray) -> sp.coo_array:
    """``a`` with its columns moved to their extensive-form columns."""
    coo = a.tocoo()
    shape = (a.shape[0], int(where_to.max()) + 1)
    return sp.coo_array((coo.data, (coo.row, where_to[coo.col])), shape=shape)


def _widened(a: sp.coo_array, columns: int) -> sp.coo_array:
    return sp.coo_array((a.data, (a.row, a.col)), shape=(a.shape[0], columns))


def _tails(blocks: Sequence[Block], maps: list[np.ndarray], columns: int) -> sp.coo_array:
    """The CVaR rows ``u_s + eta - cost_s(x) >= constant_s`` in MUSD (:data:`TAIL_SCALE`):
    eta in column ``columns``, ``u_s`` after it."""
    rows, cols, data = [], [], []
    for s, (b, where_to) in enumerate(zip(blocks, maps, strict=True)):
        used = np.flatnonzero(b.cost)
        rows += [np.full(len(used) + 2, s)]
        cols += [where_to[used], np.array([columns, columns + 1 + s])]
        data += [-b.cost[used] * TAIL_SCALE, np.array([1.0, 1.0])]
    return sp.coo_array(
        (np.concatenate(data), (np.concatenate(rows), np.concatenate(cols))),
        shape=(len(blocks), columns + 1 + len(blocks)),
    )


def _run(
    a: sp.csr_array,
    lower: np.ndarray,
    upper: np.ndarray,
    cost: np.ndarray,
    lb: np.ndarray,
    ub: np.ndarray,
    integral: np.ndarray,
    where: str,
) -> np.ndarray:
    with quiet_solver():
        h = new_highs()
        n = len(cost)
        h.addVars(n, lb, ub)
        h.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
        h.addRows(a.shape[0], lower, upper, a.nnz, a.indptr, a.indices, a.data)
        if integral.any():
            chosen = np.flatnonzero(integral).astype(np.int32)
            kinds = np.full(len(chosen), highspy.HighsVarType.kInteger)
            h.changeColsIntegrality(len(chosen), chosen, kinds)
            h.setOptionValue("mip_rel_gap", MIP_GAP)
        h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        condition = h.modelStatusToString(h.getModelStatus())
        msg = f"{where}: the stochastic planning problem ended {condition!r} (allowed: optimal)"
        raise KazreeError(msg)
    return np.asarray(h.getSolution().col_value, dtype=float)
