"""Linear expressions shared by the constraint families, each built once per model."""

from __future__ import annotations

from functools import cached_property

import linopy

from kazree.chain.forms import Form, Stage
from kazree.model.inputs import Inputs
from kazree.model.variables import Present, mine_matrix, stage_matrix, trade_name


class Flows:
    """Flows of a model in the units of the balances (t per year), cached per model."""

    def __init__(self, m: linopy.Model, inputs: Inputs) -> None:
        self.m = m
        self.inputs = inputs
        self.v = Present(m)
        self._stage: dict[Stage, linopy.LinearExpression] = {}
        self._net: dict[str, linopy.LinearExpression] = {}

    def stage_total(self, stage: Stage) -> linopy.LinearExpression:
        """Production of the facilities of ``stage`` per (country, year), model basis."""
        if stage not in self._stage:
            matrix = stage_matrix(self.inputs, stage)
            production = self.v["production"].sel(facility=matrix.coords["facility"].values)
            self._stage[stage] = (production * matrix).sum("facility")
        return self._stage[stage]

    @cached_property
    def mine_output(self) -> linopy.LinearExpression:
        """Concentrate made (country, ore, year), t REO."""
        matrix = mine_matrix(self.inputs)
        production = self.v["production"].sel(facility=matrix.coords["facility"].values)
        return (production * matrix).sum("facility")

    @cached_property
    def oxide_output(self) -> linopy.LinearExpression:
        """Separated oxides made (country, element, year), t REO."""
        inputs = self.inputs
        return (inputs.recovery * inputs.composition * self.v["feed"]).sum("ore")

    @cached_property
    def magnets_made(self) -> linopy.LinearExpression:
        """Magnets made (country, year), t magnet."""
        return self.stage_total(Stage.MAGNET)

    @cached_property
    def magnet_ree(self) -> float:
        """t REO-eq of rare earths in one t of magnet."""
        return float(self.inputs.magnet_content.sum())

    def net_imports(self, form: str) -> linopy.LinearExpression:
        """Imports minus exports of ``form`` per country."""
        if form not in self._net:
            trade = self.v[trade_name(form)]
            imports = trade.sum("exporter").rename(importer="country")
            exports = trade.sum("importer").rename(exporter="country")
            self._net[form] = imports - exports
        return self._net[form]

    def made(self, form: str) -> linopy.LinearExpression:
        """What each country makes of ``form`` (the base of licensed exports)."""
        if form == Form.ORE_CONCENTRATE.value:
            return self.mine_output
        if form == Form.MIXED_INTERMEDIATE.value:
            return self.v["crack"]
        if form == Form.SEPARATED_OXIDE.value:
            return self.oxide_output
        if form == Form.METAL_ALLOY.value:
            return self.v["metal"]
        return self.magnets_made
