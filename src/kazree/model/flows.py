"""Sums of variables shared by the constraint families, in the units of the balances."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from functools import cached_property

import linopy
import xarray as xr

from kazree.chain.forms import Form, Stage
from kazree.model.inputs import Inputs
from kazree.model.terms import Sum, compile_constraint
from kazree.model.variables import mine_matrix, stage_matrix, trade_name


class Flows:
    """Flows of a model (t per year) and the row coordinates of its constraints."""

    def __init__(self, m: linopy.Model, inputs: Inputs) -> None:
        self.m = m
        self.inputs = inputs

    def v(self, name: str) -> Sum:
        """Variable ``name`` as a sum (absent slots contribute nothing)."""
        return Sum.of(self.m.variables[name])

    @cached_property
    def coords(self) -> dict[str, Sequence[Hashable]]:
        """Coordinates of every row dimension the constraints use."""
        inputs = self.inputs
        return {
            "country": inputs.countries,
            "exporter": inputs.countries,
            "importer": inputs.countries,
            "ore": inputs.ores,
            "element": list(inputs.composition.coords["element"].values),
            "grade": inputs.grades,
            "need": inputs.grades,
            "sector": [str(s) for s in inputs.demand_magnet.coords["sector"].values],
            "year": inputs.years,
        }

    def constrain(
        self,
        name: str,
        lhs: Sum,
        sign: str,
        rhs: float | xr.DataArray,
        rows: Sequence[str] | xr.DataArray,
        mask: xr.DataArray | None = None,
    ) -> None:
        """Add ``lhs sign rhs`` with a row per point of ``rows`` (dimension names or an array)."""
        coords: dict[str, Sequence[Hashable]] = (
            {str(d): list(rows.coords[d].values) for d in rows.dims}
            if isinstance(rows, xr.DataArray)
            else {d: self.coords[d] for d in rows}
        )
        constraint = compile_constraint(self.m, lhs, sign, rhs, coords)
        self.m.add_constraints(constraint, name=name, mask=mask)

    def stage_total(self, stage: Stage) -> Sum:
        """Production of the facilities of ``stage`` per (country, year), model basis."""
        return self.v("production") * stage_matrix(self.inputs, stage)

    @cached_property
    def mine_output(self) -> Sum:
        """Concentrate made (country, ore, year), t REO."""
        return self.v("production") * mine_matrix(self.inputs)

    @cached_property
    def oxide_output(self) -> Sum:
        """Separated oxides made (country, element, year), t REO (summed over ore)."""
        inputs = self.inputs
        return self.v("feed") * (inputs.recovery * inputs.composition)

    @cached_property
    def magnets_made(self) -> Sum:
        """Magnets made (country, grade, year), t magnet."""
        return self.v("magnets")

    @cached_property
    def magnet_ree(self) -> xr.DataArray:
        """t REO-eq of rare earths in one t of magnet, by grade."""
        ree: xr.DataArray = self.inputs.grade_content.sum("element")
        return ree

    def net_imports(self, form: str) -> Sum:
        """Imports minus exports of ``form`` per country."""
        trade = self.v(trade_name(form))
        return trade.rename(importer="country") - trade.rename(exporter="country")

    def made(self, form: str) -> Sum:
        """What each country makes of ``form`` (the base of licensed exports)."""
        if form == Form.ORE_CONCENTRATE.value:
            return self.mine_output
        if form == Form.MIXED_INTERMEDIATE.value:
            return self.v("crack")
        if form == Form.SEPARATED_OXIDE.value:
            return self.oxide_output
        if form == Form.METAL_ALLOY.value:
            return self.v("metal")
        return self.magnets_made
