"""The solved scenarios a report shows: results, metrics and the assumptions behind them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd
import xarray as xr

from kazree.data.controls_schema import ExportControlRow


@dataclass(frozen=True)
class Assumptions:
    """A scenario's stated assumptions: its file's header comment, description and settings."""

    header: str = ""
    description: str = ""
    settings: str = ""


def header_comment(text: str) -> str:
    """The leading ``#`` comment lines of a YAML text, without the ``#``."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.removeprefix("#").removeprefix(" "))
    return "\n".join(lines).strip()


@dataclass(frozen=True)
class ScenarioRun:
    """One solved scenario: results Dataset, metrics frame, assumptions and export controls.

    ``rules`` are the export-control rules the scenario applies (``None``: not known).
    """

    name: str
    results: xr.Dataset
    metrics: pd.DataFrame
    assumptions: Assumptions
    rules: tuple[ExportControlRow, ...] | None = None

    @property
    def status(self) -> str:
        """The solver status recorded with the results."""
        return str(self.results.attrs.get("status", "unknown"))

    @property
    def objective(self) -> float | None:
        """The objective value recorded with the results, if any."""
        value = self.results.attrs.get("objective")
        return None if value is None else float(value)

    @property
    def counterfactual(self) -> str:
        """The scenario this run is judged against ("" if none)."""
        return str(self.results.attrs.get("counterfactual", ""))

    def years(self) -> list[int]:
        """The model years of the results."""
        return [int(y) for y in self.results["year"].values]


def counterfactuals(runs: Sequence[ScenarioRun]) -> dict[str, str]:
    """Scenario -> its counterfactual, for the runs that declare one."""
    return {r.name: r.counterfactual for r in runs if r.counterfactual}


def missing_counterfactuals(wanted: Iterable[str | None], present: set[str]) -> list[str]:
    """The declared counterfactuals in ``wanted`` that are not among ``present``, each once, so
    that a report can solve them beside the scenarios that declare them."""
    return [name for name in dict.fromkeys(wanted) if name and name not in present]
