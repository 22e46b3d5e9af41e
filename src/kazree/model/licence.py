"""Licence caps: a licence share is a share of what the exporter would ship without controls.

A rule letting share ``s`` through caps an exporter's shipments of a product (concentrate or
intermediate of one ore type, an oxide or metal of one element, a magnet grade) to the
destinations it covers at ``sum_j s_j x X_j``, where ``X_j`` are its exports to each covered
destination in the same scenario solved with every control lifted (the counterfactual). The
cap never depends on the exporter's own output, so a pure exporter keeps producing what its
licensed customers may take.
"""

from __future__ import annotations

import dataclasses

import linopy
import xarray as xr

from kazree.model.inputs import Inputs
from kazree.model.variables import TRADE_FORMS, form_licence, trade_name


def licensed(inputs: Inputs) -> dict[str, xr.DataArray]:
    """Per form, lanes a licence rule covers with a share strictly between 0 and 1."""
    out = {}
    for form in TRADE_FORMS:
        share = form_licence(inputs, form)
        covered = (share > 0) & (share < 1)
        if bool(covered.any()):
            out[form] = covered
    return out


def uncontrolled(inputs: Inputs) -> Inputs:
    """``inputs`` with every export control lifted (the counterfactual)."""
    return dataclasses.replace(inputs, licence=xr.ones_like(inputs.licence), licence_cap={})


def with_caps(inputs: Inputs, counterfactual: linopy.Model) -> Inputs:
    """``inputs`` with licence caps from the solved counterfactual's exports."""
    caps = {}
    for form, covered in licensed(inputs).items():
        share = form_licence(inputs, form)
        exports = counterfactual.variables[trade_name(form)].solution.fillna(0.0)
        exports = exports.reindex_like(share, fill_value=0.0)
        caps[form] = (exports * share).where(covered, 0.0).sum("importer")
    return dataclasses.replace(inputs, licence_cap=caps)
