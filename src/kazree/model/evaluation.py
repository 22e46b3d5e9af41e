"""Linear expressions evaluated on many solutions of one model without linopy's per-call mapping.

A risk run reads the same few expressions (its targets' measures) off every future it solves;
:class:`FixedExpression` keeps an expression's variable labels, coefficients and constant as
arrays once, and :func:`primal_by_label` gives a solved model's values by label, so each reading
is a gather and a sum.
"""

from __future__ import annotations

from dataclasses import dataclass

import linopy
import numpy as np
import xarray as xr
from linopy.constants import TERM_DIM


def primal_by_label(m: linopy.Model) -> np.ndarray:
    """The solution of every variable of solved ``m``, indexed by label (NaN where none)."""
    out = np.full(m._xCounter, np.nan)
    for _, var in m.variables.items():
        start, end = var.range
        out[start:end] = var.solution.values.ravel()
    return out


@dataclass(frozen=True)
class FixedExpression:
    """A linear expression's terms as arrays: labels and coefficients ``(..., term)`` and the
    constant over the expression's coordinates."""

    labels: np.ndarray
    coeffs: np.ndarray
    const: xr.DataArray

    @classmethod
    def of(cls, expr: linopy.LinearExpression) -> FixedExpression:
        """The terms of ``expr``."""
        dims = [*expr.const.dims, TERM_DIM]
        labels = expr.vars.transpose(*dims).values
        coeffs = expr.coeffs.transpose(*dims).values
        return cls(labels, coeffs, expr.const)

    def value(self, primal: np.ndarray) -> xr.DataArray:
        """The expression's value at ``primal`` (:func:`primal_by_label`); a missing term or a
        variable without a value counts 0, as in ``LinearExpression.solution``."""
        present = self.labels >= 0
        values = np.where(present, primal[np.where(present, self.labels, 0)], 0.0)
        terms = np.nan_to_num(values * self.coeffs, nan=0.0).sum(axis=-1)
        return self.const.copy(data=terms + self.const.values)
