"""Getting runs for a report: solve scenarios, or read directories written by ``kazree run``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import xarray as xr
import yaml

from kazree.csv_tables import read_csv_table
from kazree.errors import KazreeError
from kazree.metrics import COLUMNS, metrics_frame
from kazree.metrics.inputs import ResultsLike, as_dataset
from kazree.model.lanes import scenario_rules
from kazree.model.solve import solve_scenario
from kazree.outputs import METRICS_FILE, RESULTS_FILE
from kazree.report.runs import Assumptions, ScenarioRun, header_comment
from kazree.scenario import Scenario, load_scenario
from kazree.scenario.dataset import scenario_dataset

STATED_FIELDS = {"name", "description", "origin"}
"""Scenario fields shown apart from its settings."""


def assumptions_of(scenario: Scenario) -> Assumptions:
    """A scenario's file header, description and the settings that differ from the defaults."""
    origin = Path(scenario.origin)
    header = header_comment(origin.read_text(encoding="utf-8"))
    settings = scenario.model_dump(mode="json", exclude_defaults=True, exclude=STATED_FIELDS)
    text = yaml.safe_dump(settings, sort_keys=False, allow_unicode=True) if settings else ""
    return Assumptions(header, scenario.description.strip(), text.strip())


def run_of(scenario: Scenario, results: ResultsLike, metrics: pd.DataFrame | None) -> ScenarioRun:
    """A run of ``scenario`` with its assumptions and rules; metrics computed if not given."""
    ds = as_dataset(results)
    frame = metrics_frame(ds) if metrics is None else metrics
    rules = scenario_rules(scenario, scenario_dataset(scenario))
    return ScenarioRun(scenario.name, ds, frame, assumptions_of(scenario), rules)


def solve_run(name_or_path: str, progress: Callable[[str], None] | None = None) -> ScenarioRun:
    """Solve a shipped scenario or a scenario file and return it as a run."""
    return solve_loaded(load_scenario(name_or_path), progress)


def solve_loaded(scenario: Scenario, progress: Callable[[str], None] | None = None) -> ScenarioRun:
    """Solve a loaded scenario and return it as a run, its metrics computed."""
    solution = solve_scenario(scenario, progress=progress)
    if progress is not None:
        progress("computing metrics")
    return run_of(scenario, solution.results, None)


def read_results(directory: Path) -> xr.Dataset:
    """The ``results.nc`` of a directory written by ``kazree run``; a one-line error if absent."""
    results_path = directory / RESULTS_FILE
    if not results_path.is_file():
        msg = f"--results {directory}: no {RESULTS_FILE} (allowed: a directory kazree run wrote)"
        raise KazreeError(msg)
    try:
        return xr.load_dataset(results_path, engine="h5netcdf")
    except (OSError, ValueError) as exc:
        msg = f"{results_path}: not a readable results file ({exc})"
        raise KazreeError(msg) from exc


def load_run_dir(directory: Path, scenario: str | None = None) -> ScenarioRun:
    """A directory written by ``kazree run``: ``results.nc`` and, if there, ``metrics.csv``.

    The scenario (for its assumptions and rules) is ``scenario`` if given, else the one named
    in the results (see :func:`run_from_results`).
    """
    results = read_results(directory)
    metrics_path = directory / METRICS_FILE
    metrics = read_csv_table(metrics_path, COLUMNS) if metrics_path.is_file() else None
    return run_from_results(results, scenario, metrics)


def run_from_results(
    results: ResultsLike,
    scenario: Scenario | str | None = None,
    metrics: pd.DataFrame | None = None,
) -> ScenarioRun:
    """A run from solved results (``Results`` or its Dataset); metrics computed if not given.

    ``scenario`` (default: the one named in the results) supplies the assumptions and rules;
    a name that is not a shipped scenario or a file gives a run without them.
    """
    ds = as_dataset(results)
    chosen = scenario or str(ds.attrs.get("scenario", ""))
    if isinstance(chosen, Scenario):
        return run_of(chosen, ds, metrics)
    try:
        loaded = load_scenario(chosen)
    except KazreeError:
        frame = metrics_frame(ds) if metrics is None else metrics
        return ScenarioRun(chosen or "scenario", ds, frame, Assumptions(), None)
    return run_of(loaded, ds, metrics)
