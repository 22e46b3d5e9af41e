"""Build the linopy model of a scenario: an orchestrator that reads like a table of contents."""

from __future__ import annotations

import linopy

from kazree.model.constraints import (
    define_balances,
    define_capacity,
    define_demand,
    define_export_controls,
    define_targets,
)
from kazree.model.flows import Flows
from kazree.model.inputs import Inputs
from kazree.model.objective import define_objective
from kazree.model.safeguards import define_safeguards
from kazree.model.variables import define_variables


def build_model(inputs: Inputs) -> linopy.Model:
    """The LP for ``inputs``: variables, capacities, balances, demand, controls, targets,
    safeguards, cost."""
    m = linopy.Model(force_dim_names=True)
    define_variables(m, inputs)
    flows = Flows(m, inputs)
    define_capacity(flows)
    define_balances(flows)
    define_demand(flows)
    define_export_controls(flows)
    define_targets(flows)
    define_safeguards(flows)
    define_objective(flows)
    return m
