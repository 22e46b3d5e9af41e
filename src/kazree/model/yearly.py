"""Solve a built model year by year: the LP has no constraint linking two years.

Every variable and constraint of the model carries a ``year`` coordinate, so the LP is
block-diagonal by year. Each block is handed to HiGHS on its own (same columns and rows, same
order, whatever the horizon), which makes a year's flows and prices a function of that year's
data alone: cutting the horizon or adding a plant that starts later cannot change them, and the
same input always gives the same vertex (HiGHS is deterministic). The results go back onto the
linopy model as one solution (:func:`assign_solution`), so the rest of the code reads them as
from ``Model.solve``.

Many solves of one model with other numbers (a risk run's samples) can start each year from the
optimal basis of a reference solve (``warm``): the same reference basis whatever was solved
before, so a year's solution stays a function of its own data.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, field

import highspy
import linopy
import numpy as np
import xarray as xr
from linopy.constants import Result, Solution, Status
from scipy import sparse

OPTIMAL = "optimal"


def _year_of_labels(items: linopy.Variables | linopy.Constraints, size: int) -> np.ndarray:
    """Year of every label (label-indexed, -1 where a label has none)."""
    out = np.full(size, -1, dtype=np.int64)
    for name in items:
        labels = items[name].labels
        years = labels.coords["year"].broadcast_like(labels).transpose(*labels.dims).values
        values = labels.values
        present = values >= 0
        out[values[present]] = years[present]
    return out


@dataclass(frozen=True)
class Basis:
    """An optimal basis of one year's block and the block's shape."""

    columns: int
    rows: int
    basis: highspy.HighsBasis


def new_highs() -> highspy.Highs:
    """A silent HiGHS instance."""
    create: Callable[[], highspy.Highs] = highspy.Highs
    h = create()
    h.setOptionValue("output_flag", False)
    return h


def _condition(h: highspy.Highs) -> str:
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        return OPTIMAL
    if status in (
        highspy.HighsModelStatus.kInfeasible,
        highspy.HighsModelStatus.kUnboundedOrInfeasible,
    ):
        return "infeasible"
    return str(h.modelStatusToString(status))


@dataclass(frozen=True)
class _Block:
    """One year's columns and rows (positions in the model's matrices) and its matrix."""

    year: int
    cols: np.ndarray
    rows: np.ndarray
    a: sparse.csr_matrix

    @property
    def shape(self) -> tuple[int, int]:
        """(columns, rows)."""
        return len(self.cols), len(self.rows)


def _block(a: sparse.csr_matrix, var_year: np.ndarray, con_year: np.ndarray, year: int) -> _Block:
    cols = np.flatnonzero(var_year == year)
    rows = np.flatnonzero(con_year == year)
    return _Block(year, cols, rows, a[rows][:, cols].tocsr())


@dataclass(frozen=True)
class YearSolution:
    """One year's optimal column values, row duals and objective."""

    primal: np.ndarray
    dual: np.ndarray
    objective: float


@dataclass
class YearMemo:
    """Optimal year solutions by year and right-hand sides, the least recently used dropped
    beyond ``size``. A year's LP is its block with its right-hand sides; solved again from the
    same start it gives the same vertex, so many solves of one model with the same warm bases
    (a risk run's futures, which often share a year's capacities) read it back instead."""

    size: int = 128
    solutions: OrderedDict[tuple[int, bytes], YearSolution] = field(default_factory=OrderedDict)

    def get(self, key: tuple[int, bytes]) -> YearSolution | None:
        """The solution stored under ``key``, if any."""
        found = self.solutions.get(key)
        if found is not None:
            self.solutions.move_to_end(key)
        return found

    def put(self, key: tuple[int, bytes], solution: YearSolution) -> None:
        """Store ``solution`` under ``key``."""
        self.solutions[key] = solution
        while len(self.solutions) > self.size:
            self.solutions.popitem(last=False)


class YearlyLP:
    """A built model cut into its years once, to be solved many times with other right-hand
    sides (a risk run's futures) without recomputing its matrices."""

    def __init__(self, m: linopy.Model) -> None:
        self.m = m
        matrices = m.matrices
        self.vlabels, self.clabels = matrices.vlabels, matrices.clabels
        var_year = _year_of_labels(m.variables, m._xCounter)[self.vlabels]
        con_year = _year_of_labels(m.constraints, m._cCounter)[self.clabels]
        self.sense, self.b = matrices.sense, matrices.b
        self.cost, self.lb, self.ub = matrices.c, matrices.lb, matrices.ub
        a = None if matrices.A is None else matrices.A.tocsr()
        years = [int(y) for y in np.unique(var_year)] if a is not None else []
        self.blocks = [_block(a, var_year, con_year, year) for year in years if a is not None]
        self.position = np.full(m._cCounter, -1, dtype=np.int64)
        self.position[self.clabels] = np.arange(len(self.clabels))

    def rhs(self, changes: Mapping[str, xr.DataArray]) -> np.ndarray:
        """The right-hand sides with constraint ``name``'s rows set to ``changes[name]`` (a
        value for each of its rows, broadcast over the constraint's dimensions)."""
        b = self.b.copy()
        for name, value in changes.items():
            labels = self.m.constraints[name].labels
            values = value.broadcast_like(labels).transpose(*labels.dims).values
            present = labels.values >= 0
            b[self.position[labels.values[present]]] = values[present]
        return b

    def _run(
        self,
        block: _Block,
        lower: np.ndarray,
        upper: np.ndarray,
        basis: highspy.HighsBasis | None,
    ) -> highspy.Highs:
        cols, rows = block.cols, block.rows
        h = new_highs()
        h.addVars(len(cols), self.lb[cols], self.ub[cols])
        h.changeColsCost(len(cols), np.arange(len(cols), dtype=np.int32), self.cost[cols])
        if len(rows):
            h.addRows(
                len(rows),
                lower[rows],
                upper[rows],
                block.a.nnz,
                block.a.indptr,
                block.a.indices,
                block.a.data,
            )
        if basis is not None:
            h.setBasis(basis)
        h.run()
        return h

    def solve(
        self,
        *,
        b: np.ndarray | None = None,
        warm: Mapping[int, Basis] | None = None,
        keep: MutableMapping[int, Basis] | None = None,
        memo: YearMemo | None = None,
    ) -> str:
        """Solve year by year (right-hand sides ``b``, default the model's) and assign the
        solution to the model; the condition. ``warm``: a year whose block has the shape of a
        basis there starts from it. ``keep``: the optimal basis of every year is stored there.
        ``memo``: years solved before with the same right-hand sides (and the same ``warm``)
        are read from it, the others stored in it (not with ``keep``)."""
        if not self.blocks:
            return "empty"
        rhs = self.b if b is None else b
        lower = np.where(self.sense != "<", rhs, -np.inf)
        upper = np.where(self.sense != ">", rhs, np.inf)
        primal = np.full(self.m._xCounter, np.nan)
        dual = np.full(self.m._cCounter, np.nan)
        objective = 0.0
        remember = memo if keep is None else None
        for block in self.blocks:
            key = (block.year, rhs[block.rows].tobytes())
            known = None if remember is None else remember.get(key)
            if known is None:
                start = (warm or {}).get(block.year)
                solved = self._optimal(block, lower, upper, start, keep)
                if isinstance(solved, str):
                    return solved
                known = solved
                if remember is not None:
                    remember.put(key, known)
            primal[self.vlabels[block.cols]] = known.primal
            dual[self.clabels[block.rows]] = known.dual
            objective += known.objective
        assign_solution(self.m, primal, dual, objective)
        return OPTIMAL

    def _optimal(
        self,
        block: _Block,
        lower: np.ndarray,
        upper: np.ndarray,
        start: Basis | None,
        keep: MutableMapping[int, Basis] | None,
    ) -> YearSolution | str:
        """The optimal solution of one year's block (from ``start`` when it fits), or the
        condition it ended in."""
        basis = start.basis if start and (start.columns, start.rows) == block.shape else None
        h = self._run(block, lower, upper, basis)
        condition = _condition(h)
        if condition != OPTIMAL and basis is not None:  # a start HiGHS could not finish from
            h = self._run(block, lower, upper, None)
            condition = _condition(h)
        if condition != OPTIMAL:
            return condition
        if keep is not None:
            keep[block.year] = Basis(*block.shape, h.getBasis())
        solution = h.getSolution()
        return YearSolution(
            np.asarray(solution.col_value, dtype=float),
            np.asarray(solution.row_dual, dtype=float),
            float(h.getObjectiveValue()),
        )


def assign_solution(
    m: linopy.Model, primal: np.ndarray, dual: np.ndarray, objective: float
) -> None:
    """Put an optimal solution on ``m`` (values by variable and constraint label) with the
    numbers :meth:`linopy.Model.assign_result` gives, in a fraction of its time: each variable's
    ``solution`` and constraint's ``dual`` is written straight into its dataset, without
    linopy's per-field broadcast and merge (a third of a second on the full chain model, which
    a risk run pays per future). Models with CSR-backed or indicator constraints go through
    linopy's own path."""
    plain = [
        con
        for _, con in m.constraints.items()
        if type(con) is linopy.Constraint and not con.is_indicator
    ]
    if len(plain) < len(m.constraints):
        full = Solution(primal, dual, objective)
        m.assign_result(Result(Status.from_termination_condition(OPTIMAL), full, "highs"))
        return
    status = Solution(np.empty(0), np.empty(0), objective)
    m.assign_result(Result(Status.from_termination_condition(OPTIMAL), status, "highs"))
    for _, var in m.variables.items():
        start, end = var.range
        values = primal[start:end].reshape(var.shape) / var.solver_scaling.values
        var._data = var.data.assign(solution=(var.dims, values))
    for con in plain:
        start, end = con.range
        scale = con.scaling.values / m.objective.scaling
        values = dual[start:end].reshape(con.shape) * scale
        con._data = con.data.assign(dual=(con.coord_dims, values))


def solve_by_year(
    m: linopy.Model,
    *,
    warm: Mapping[int, Basis] | None = None,
    keep: MutableMapping[int, Basis] | None = None,
) -> str:
    """Solve ``m`` one year at a time with HiGHS and assign the solution; the condition
    (``warm`` and ``keep``: :meth:`YearlyLP.solve`)."""
    return YearlyLP(m).solve(warm=warm, keep=keep)
