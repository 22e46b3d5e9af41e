"""Linear sums of variables kept as labelled (label, coefficient) arrays, handed to linopy once.

Building a constraint family from many small linopy operations spends most of its time
aligning xarray objects. A :class:`Sum` instead records each part as the variable's label array
and a coefficient; :func:`compile_constraint` (or :func:`compile_sum`) broadcasts every part
onto the rows of the constraint with numpy, drops absent terms (masked variables, zero
coefficients) and makes one linopy object. Dimensions of a part that are not rows are summed
over; coordinates are matched by label, missing labels count as absent.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import linopy
import numpy as np
import xarray as xr

Coeff = float | xr.DataArray
TERM = "_term"


def _rename(coeff: Coeff, names: Mapping[str, str]) -> Coeff:
    if not isinstance(coeff, xr.DataArray):
        return coeff
    return coeff.rename({k: v for k, v in names.items() if k in coeff.dims})


@dataclass(frozen=True)
class Part:
    """``coeff x variable`` for every label of ``labels`` (-1: absent)."""

    labels: xr.DataArray
    coeff: Coeff = 1.0


@dataclass(frozen=True)
class Sum:
    """A linear sum of variables, compiled to linopy only when a constraint needs it."""

    parts: tuple[Part, ...]

    @classmethod
    def of(cls, variable: linopy.Variable) -> Sum:
        """The variable itself."""
        return cls((Part(variable.labels),))

    def __add__(self, other: Sum) -> Sum:
        return Sum(self.parts + other.parts)

    def __sub__(self, other: Sum) -> Sum:
        return self + other * -1.0

    def __mul__(self, factor: Coeff) -> Sum:
        return Sum(tuple(Part(p.labels, p.coeff * factor) for p in self.parts))

    __rmul__ = __mul__

    def __truediv__(self, divisor: float) -> Sum:
        return self * (1.0 / divisor)

    def rename(self, **names: str) -> Sum:
        """The same sum with dimensions renamed (``country="exporter"``)."""
        return Sum(
            tuple(
                Part(
                    p.labels.rename({k: v for k, v in names.items() if k in p.labels.dims}),
                    _rename(p.coeff, names),
                )
                for p in self.parts
            )
        )


def aligned_values(
    array: xr.DataArray, order: Sequence[str], ref: Mapping[str, np.ndarray], fill: float
) -> np.ndarray:
    """Values of ``array`` reindexed to ``ref`` (``fill`` for missing labels), axes in ``order``.

    Dimensions of ``order`` that ``array`` lacks get length 1, ready for numpy broadcasting.
    """
    for dim in array.dims:
        if not np.array_equal(array.get_index(dim), ref[str(dim)]):
            array = array.reindex({dim: ref[str(dim)]}, fill_value=fill)
    values = array.transpose(*[d for d in order if d in array.dims]).values
    return values[tuple(slice(None) if d in array.dims else np.newaxis for d in order)]


def _part_arrays(
    part: Part, rows: Mapping[str, np.ndarray], shape: tuple[int, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """(labels, coefficients) of ``part`` as arrays of shape ``(*shape, k)``."""
    arrays = [part.labels] + ([part.coeff] if isinstance(part.coeff, xr.DataArray) else [])
    ref = dict(rows)
    for array in arrays:
        for dim in array.dims:
            ref.setdefault(str(dim), array.get_index(dim).to_numpy())
    order = list(ref)
    full = shape + tuple(len(ref[d]) for d in order[len(rows) :])
    labels = aligned_values(part.labels, order, ref, -1).astype(np.int64)
    if isinstance(part.coeff, xr.DataArray):
        coeffs = np.nan_to_num(aligned_values(part.coeff, order, ref, 0.0).astype(float))
    else:
        coeffs = np.asarray(float(part.coeff))
    return (
        np.broadcast_to(labels, full).reshape(*shape, -1),
        np.broadcast_to(coeffs, full).reshape(*shape, -1),
    )


def _terms(total: Sum, rows: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(labels, coefficients) of shape ``(*rows, width)``, present terms first, absent -1 / 0."""
    shape = tuple(len(v) for v in rows.values())
    n = int(np.prod(shape))
    label_parts, coeff_parts = [], []
    for part in total.parts:
        labels, coeffs = (a.reshape(n, -1) for a in _part_arrays(part, rows, shape))
        present = (labels >= 0) & (coeffs != 0)
        used = present.any(axis=0)
        label_parts.append(np.where(present, labels, -1)[:, used])
        coeff_parts.append(coeffs[:, used])
    labels, coeffs = np.concatenate(label_parts, axis=1), np.concatenate(coeff_parts, axis=1)
    present = labels >= 0
    width = max(int(present.sum(axis=1).max(initial=0)), 1)
    row, column = np.nonzero(present)
    slot = (np.cumsum(present, axis=1) - 1)[row, column]
    out_labels = np.full((n, width), -1, dtype=np.int64)
    out_coeffs = np.zeros((n, width))
    out_labels[row, slot] = labels[row, column]
    out_coeffs[row, slot] = coeffs[row, column]
    return out_labels.reshape(*shape, width), out_coeffs.reshape(*shape, width)


def _rows(coords: Mapping[str, Sequence[Hashable]]) -> dict[str, np.ndarray]:
    return {d: np.asarray(v) for d, v in coords.items()}


def compile_sum(
    m: linopy.Model, total: Sum, coords: Mapping[str, Sequence[Hashable]]
) -> linopy.LinearExpression:
    """``total`` as one linopy expression with a row per point of ``coords``."""
    rows = _rows(coords)
    labels, coeffs = _terms(total, rows)
    dims = (*rows, TERM)
    data = xr.Dataset({"coeffs": (dims, coeffs), "vars": (dims, labels)}, coords=rows)
    return linopy.LinearExpression(data, m)


def compile_constraint(
    m: linopy.Model,
    lhs: Sum,
    sign: str,
    rhs: Coeff,
    coords: Mapping[str, Sequence[Hashable]],
) -> linopy.Constraint:
    """``lhs sign rhs`` as one linopy constraint with a row per point of ``coords``."""
    rows = _rows(coords)
    shape = tuple(len(v) for v in rows.values())
    labels, coeffs = _terms(lhs, rows)
    if isinstance(rhs, xr.DataArray):
        extra = [d for d in rhs.dims if d not in rows]
        if extra:
            msg = f"right-hand side has dimensions {extra} that are not rows"
            raise ValueError(msg)
        bound = np.broadcast_to(aligned_values(rhs, list(rows), rows, 0.0).astype(float), shape)
    else:
        bound = np.full(shape, float(rhs))
    dims = (*rows, TERM)
    data = xr.Dataset(
        {
            "coeffs": (dims, coeffs),
            "vars": (dims, labels),
            "sign": sign,
            "rhs": (tuple(rows), bound),
            "scaling": (tuple(rows), np.ones(shape)),
        },
        coords=rows,
    )
    return linopy.Constraint(data, m, skip_broadcast=True)
