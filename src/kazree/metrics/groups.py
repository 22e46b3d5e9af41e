"""Element groups (``all``, ``light``, ``heavy``, ``magnet`` and each element) and regions.

A region is a country, a bloc from ``countries.csv`` or ``world``. Groups and regions are applied
as 0/1 membership matrices, so every aggregation is one vectorised dot product.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache, lru_cache

import numpy as np
import xarray as xr

from kazree.chain import ElementGroup, symbols

ALL = "all"
WORLD = "world"
MAGNET_GROUP: tuple[str, ...] = ("Nd", "Pr", "Dy", "Tb")
"""The ``magnet`` group: the four rare earths of NdFeB magnets (Sm, for SmCo, is not in it)."""

Blocs = Mapping[str, Sequence[str]]
"""Bloc code -> member country codes."""


def element_groups() -> dict[str, tuple[str, ...]]:
    """Group name -> members: ``all``, ``light``, ``heavy``, ``magnet``, then each element."""
    groups = {
        ALL: symbols(),
        "light": symbols(ElementGroup.LIGHT),
        "heavy": symbols(ElementGroup.HEAVY),
        "magnet": MAGNET_GROUP,
    }
    return groups | {sym: (sym,) for sym in symbols()}


def _membership(rows: Mapping[str, Sequence[str]], dim: str, cols: Sequence[str]) -> xr.DataArray:
    """A ``(dim, member)`` 0/1 matrix of which ``cols`` belong to each row."""
    frozen = tuple((row, tuple(members)) for row, members in rows.items())
    return _frozen_membership(frozen, dim, tuple(cols)).copy()


@lru_cache(maxsize=64)
def _frozen_membership(
    rows: tuple[tuple[str, tuple[str, ...]], ...], dim: str, cols: tuple[str, ...]
) -> xr.DataArray:
    values = np.array([np.isin(cols, members) for _, members in rows], dtype=float)
    names = [row for row, _ in rows]
    return xr.DataArray(values, coords={dim: names, "member": list(cols)}, dims=(dim, "member"))


def by_element_group(da: xr.DataArray) -> xr.DataArray:
    """Sum ``da`` over each element group with a member present; ``element`` holds group names."""
    present = [str(e) for e in da["element"].values]
    groups = {g: m for g, m in element_groups().items() if set(m) & set(present)}
    matrix = _membership(groups, "group", present)
    summed: xr.DataArray = xr.dot(da.rename(element="member"), matrix, dim="member")
    return summed.rename(group="element")


@cache
def dataset_blocs() -> dict[str, tuple[str, ...]]:
    """The blocs of the embedded dataset's ``countries.csv``."""
    from kazree.scenario.dataset import embedded_dataset

    countries = embedded_dataset().table("countries")
    blocs: dict[str, list[str]] = {}
    for code, codes in zip(countries["code"], countries["blocs"], strict=True):
        for bloc in str(codes or "").split(";"):
            if bloc.strip():
                blocs.setdefault(bloc.strip(), []).append(str(code))
    return {bloc: tuple(members) for bloc, members in sorted(blocs.items())}


def regions(countries: Sequence[str], blocs: Blocs) -> dict[str, tuple[str, ...]]:
    """Region -> member countries: each country, each bloc with a member present, ``world``."""
    present = set(countries)
    out: dict[str, tuple[str, ...]] = {c: (c,) for c in countries}
    for bloc, members in blocs.items():
        inside = tuple(c for c in members if c in present)
        if inside and bloc not in out:
            out[bloc] = inside
    out[WORLD] = tuple(countries)
    return out


def region_matrix(countries: Sequence[str], blocs: Blocs) -> xr.DataArray:
    """A ``(region, member)`` 0/1 matrix over ``countries`` (see :func:`regions`)."""
    return _membership(regions(countries, blocs), "region", countries)


def by_region(da: xr.DataArray, blocs: Blocs, dim: str = "country") -> xr.DataArray:
    """Sum ``da`` over the countries of each region; ``dim`` is replaced by ``region``."""
    matrix = region_matrix([str(c) for c in da[dim].values], blocs)
    summed: xr.DataArray = xr.dot(da.rename({dim: "member"}), matrix, dim="member")
    return summed
