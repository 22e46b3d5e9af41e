"""Solve a scenario with HiGHS: build, solve, extract, timed; infeasibility explained."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

import highspy
import linopy

from kazree.errors import KazreeError
from kazree.model.build import build_model
from kazree.model.explain import explain_infeasibility
from kazree.model.extract import extract
from kazree.model.inputs import Inputs, build_inputs
from kazree.model.licence import licensed, uncontrolled, with_caps
from kazree.model.results import Results
from kazree.model.yearly import solve_by_year
from kazree.scenario import Scenario, load_scenario
from kazree.scenario.dataset import scenario_dataset
from kazree.scenario.schema import Years

SOLVER = "highs"


class SolveStatus(StrEnum):
    """Outcome of a solve."""

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"


class InfeasibleError(KazreeError):
    """The hard targets cannot all be met; the message says which conflict and why."""


@dataclass(frozen=True)
class Solution:
    """A solved scenario and how the solve went (seconds per phase)."""

    results: Results
    status: SolveStatus
    objective: float
    n_variables: int
    n_constraints: int
    read_s: float
    build_s: float
    solve_s: float
    extract_s: float
    notes: tuple[str, ...] = ()

    def summary(self) -> dict[str, object]:
        """The fields of ``solve.json``."""
        return {
            "status": self.status.value,
            "objective": self.objective,
            "n_variables": self.n_variables,
            "n_constraints": self.n_constraints,
            "read_s": round(self.read_s, 4),
            "build_s": round(self.build_s, 4),
            "solve_s": round(self.solve_s, 4),
            "extract_s": round(self.extract_s, 4),
            "solver": SOLVER,
        }


@cache
def _silence_highs_banner() -> None:
    """Create the process's first HiGHS instance with stdout closed: it prints a banner once."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no standard output to protect
        return
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            create: Callable[[], object] = highspy.Highs
            create()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


@contextmanager
def quiet_solver() -> Iterator[None]:
    """Keep HiGHS's banner and linopy's per-solve log lines out of the user's terminal."""
    _silence_highs_banner()
    logger = logging.getLogger("linopy")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def with_years(scenario: Scenario, start: int, end: int) -> Scenario:
    """``scenario`` over the years ``start``..``end`` (validated like the YAML field)."""
    years = Years.model_validate({"start": start, "end": end})
    return scenario.model_copy(update={"years": years})


def solve_scenario(
    scenario: Scenario | str | Path,
    *,
    export_lp: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> Solution:
    """Build and solve ``scenario`` (an object, a shipped name or a YAML path).

    Raises :class:`InfeasibleError` with a plain-words explanation when hard targets conflict.
    """
    step = progress or (lambda _: None)
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    start = time.perf_counter()
    step("reading data")
    inputs = build_inputs(scenario, scenario_dataset(scenario))
    read_s = time.perf_counter() - start
    build_s = solve_s = 0.0
    if licensed(inputs):
        step("solving without controls (licence caps)")
        counterfactual, built, solved = _solved(uncontrolled(inputs), scenario.origin)
        inputs = with_caps(inputs, counterfactual)
        build_s, solve_s = build_s + built, solve_s + solved
    step("building model")
    model, built, solved = _solved(inputs, scenario.origin, export_lp)
    build_s, solve_s = build_s + built, solve_s + solved
    step("extracting results")
    start = time.perf_counter()
    results = extract(model, inputs, SolveStatus.OPTIMAL.value)
    results.ds.attrs["counterfactual"] = scenario.counterfactual or ""
    extract_s = time.perf_counter() - start
    return Solution(
        results=results,
        status=SolveStatus.OPTIMAL,
        objective=float(model.objective.value or 0.0),
        n_variables=int(model.nvars),
        n_constraints=int(model.ncons),
        read_s=read_s,
        build_s=build_s,
        solve_s=solve_s,
        extract_s=extract_s,
        notes=tuple(inputs.notes),
    )


def _solved(
    inputs: Inputs, origin: str, export_lp: Path | None = None
) -> tuple[linopy.Model, float, float]:
    """(solved model of ``inputs``, build seconds, solve seconds); one-line errors otherwise."""
    start = time.perf_counter()
    model = build_model(inputs)
    build_s = time.perf_counter() - start
    start = time.perf_counter()
    with quiet_solver():
        condition = solve_by_year(model)
        solve_s = time.perf_counter() - start
        if export_lp is not None:
            model.to_file(export_lp)
        if condition == "infeasible":
            model.solve(SOLVER, io_api="direct", output_flag=False, log_to_console=False)
            raise InfeasibleError(explain_infeasibility(model, inputs, origin))
    if condition != "optimal":
        msg = f"{origin}: solver ended with {condition!r} (allowed: an optimal solution)"
        raise KazreeError(msg)
    return model, build_s, solve_s


def solve(scenario: Scenario | str | Path) -> Results:
    """Solve ``scenario`` and return its :class:`Results` (the notebook entry point)."""
    return solve_scenario(scenario).results


__all__ = ["InfeasibleError", "Solution", "SolveStatus", "solve", "solve_scenario", "with_years"]
