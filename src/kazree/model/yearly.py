"""Solve a built model year by year: the LP has no constraint linking two years.

Every variable and constraint of the model carries a ``year`` coordinate, so the LP is
block-diagonal by year. Each block is handed to HiGHS on its own (same columns and rows, same
order, whatever the horizon), which makes a year's flows and prices a function of that year's
data alone: cutting the horizon or adding a plant that starts later cannot change them, and the
same input always gives the same vertex (HiGHS is deterministic). The results go back onto the
linopy model as one solution, so the rest of the code reads them as from ``Model.solve``.

Many solves of one model with other numbers (a risk run's samples) can start each year from the
optimal basis of a reference solve (``warm``): the same reference basis whatever was solved
before, so a year's solution stays a function of its own data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass

import highspy
import linopy
import numpy as np
from linopy.constants import Result, Solution, Status

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


def solve_by_year(
    m: linopy.Model,
    *,
    warm: Mapping[int, Basis] | None = None,
    keep: MutableMapping[int, Basis] | None = None,
) -> str:
    """Solve ``m`` one year at a time with HiGHS and assign the solution; the condition.

    ``warm``: a year whose block has the shape of a basis there starts from it. ``keep``: the
    optimal basis of every year is stored there."""
    matrices = m.matrices
    vlabels, clabels = matrices.vlabels, matrices.clabels
    var_year = _year_of_labels(m.variables, m._xCounter)[vlabels]
    con_year = _year_of_labels(m.constraints, m._cCounter)[clabels]
    if matrices.A is None:
        return "empty"
    a = matrices.A.tocsr()
    lower = np.where(matrices.sense != "<", matrices.b, -np.inf)
    upper = np.where(matrices.sense != ">", matrices.b, np.inf)
    cost, lb, ub = matrices.c, matrices.lb, matrices.ub
    primal = np.full(m._xCounter, np.nan)
    dual = np.full(m._cCounter, np.nan)
    objective = 0.0
    for year in np.unique(var_year):
        cols = np.flatnonzero(var_year == year)
        rows = np.flatnonzero(con_year == year)
        block = a[rows][:, cols].tocsr()
        h = new_highs()
        h.addVars(len(cols), lb[cols], ub[cols])
        h.changeColsCost(len(cols), np.arange(len(cols), dtype=np.int32), cost[cols])
        if len(rows):
            h.addRows(
                len(rows),
                lower[rows],
                upper[rows],
                block.nnz,
                block.indptr,
                block.indices,
                block.data,
            )
        start = (warm or {}).get(int(year))
        if start is not None and (start.columns, start.rows) == (len(cols), len(rows)):
            h.setBasis(start.basis)
        h.run()
        condition = _condition(h)
        if condition != OPTIMAL:
            return condition
        if keep is not None:
            keep[int(year)] = Basis(len(cols), len(rows), h.getBasis())
        solution = h.getSolution()
        primal[vlabels[cols]] = np.asarray(solution.col_value, dtype=float)
        dual[clabels[rows]] = np.asarray(solution.row_dual, dtype=float)
        objective += float(h.getObjectiveValue())
    result = Result(
        Status.from_termination_condition(OPTIMAL),
        Solution(primal, dual, objective),
        solver_name="highs",
    )
    m.assign_result(result)
    return OPTIMAL
