"""Sums compiled from label arrays: hand-checkable rows, absent terms dropped, renames, rhs."""

from __future__ import annotations

import subprocess
import sys

import linopy
import numpy as np
import xarray as xr

from kazree.model.terms import Sum, compile_constraint, compile_sum


def tiny() -> tuple[linopy.Model, linopy.Variable, linopy.Variable]:
    """x (c, y) with x[b, 2] absent; trade t (exporter, importer) without the diagonal."""
    m = linopy.Model(force_dim_names=True)
    mask = xr.DataArray([[True, True], [True, False]], coords={"c": ["a", "b"], "y": [1, 2]})
    x = m.add_variables(lower=xr.zeros_like(mask, dtype=float), name="x", mask=mask)
    lanes = xr.DataArray(
        [[False, True], [True, False]], coords={"exporter": ["a", "b"], "importer": ["a", "b"]}
    )
    t = m.add_variables(lower=xr.zeros_like(lanes, dtype=float), name="t", mask=lanes)
    return m, x, t


def row_terms(expression: linopy.LinearExpression, **at: object) -> dict[int, float]:
    """{variable label: coefficient} of one row, absent terms left out."""
    cell = expression.data.sel(at)
    return {
        int(v): float(c)
        for v, c in zip(cell["vars"].values, cell["coeffs"].values, strict=True)
        if v >= 0
    }


def test_rows_sum_the_dimensions_they_do_not_keep() -> None:
    m, x, _ = tiny()
    weight = xr.DataArray([2.0, 3.0], coords={"y": [1, 2]})
    per_c = compile_sum(m, Sum.of(x) * weight, {"c": ["a", "b"]})
    labels = x.labels
    assert row_terms(per_c, c="a") == {
        int(labels.sel(c="a", y=1)): 2.0,
        int(labels.sel(c="a", y=2)): 3.0,
    }
    assert row_terms(per_c, c="b") == {int(labels.sel(c="b", y=1)): 2.0}
    assert per_c.data.sizes["_term"] == 2


def test_net_imports_from_renamed_trade() -> None:
    m, _, t = tiny()
    trade = Sum.of(t)
    net = compile_sum(m, trade.rename(importer="c") - trade.rename(exporter="c"), {"c": ["a", "b"]})
    ab, ba = (
        int(t.labels.sel(exporter="a", importer="b")),
        int(t.labels.sel(exporter="b", importer="a")),
    )
    assert row_terms(net, c="a") == {ba: 1.0, ab: -1.0}
    assert row_terms(net, c="b") == {ab: 1.0, ba: -1.0}


def test_zero_coefficients_and_reordered_coordinates() -> None:
    m, x, _ = tiny()
    only_b = xr.DataArray([1.0, 0.0], coords={"c": ["b", "a"]})
    expression = compile_sum(m, Sum.of(x) * only_b, {"y": [1, 2], "c": ["a", "b"]})
    assert row_terms(expression, y=1, c="a") == {}
    assert row_terms(expression, y=1, c="b") == {int(x.labels.sel(c="b", y=1)): 1.0}


def test_constraint_rhs_broadcast_over_rows() -> None:
    m, x, _ = tiny()
    cap = xr.DataArray([5.0, 7.0], coords={"c": ["a", "b"]})
    constraint = compile_constraint(m, Sum.of(x), "<=", cap, {"c": ["a", "b"], "y": [1, 2]})
    rhs = constraint.data["rhs"].transpose("c", "y").values
    np.testing.assert_array_equal(rhs, [[5.0, 5.0], [7.0, 7.0]])
    assert set(constraint.data["sign"].values.ravel()) == {"<="}


def test_compiled_model_solves_to_the_hand_optimum() -> None:
    m, x, t = tiny()
    m.add_constraints(
        compile_constraint(m, Sum.of(x), ">=", 1.0, {"c": ["a", "b"], "y": [1, 2]}), name="floor"
    )
    m.add_objective(compile_sum(m, Sum.of(x) * 2.0 + Sum.of(t), {}))
    status, _ = m.solve("highs", io_api="direct", output_flag=False)
    assert status == "ok"
    assert abs(float(m.objective.value or 0.0) - 6.0) < 1e-9


def banner_output(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout


def test_highs_banner_kept_off_stdout() -> None:
    loud = banner_output("import highspy; highspy.Highs()")
    quiet = banner_output(
        "from kazree.model.solve import quiet_solver\n"
        "with quiet_solver():\n    import highspy; highspy.Highs()\nprint('done')"
    )
    assert "HiGHS" in loud
    assert quiet == "done\n"
