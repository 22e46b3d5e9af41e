"""The HTML scenario report: figures from results and metrics, written as one offline file.

``build_report`` (pure) assembles a :class:`Report` from solved runs; ``render_html`` and
``write_html`` turn it into a file; :func:`write_report` does both in one call.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kazree.metrics.inputs import ResultsLike
from kazree.report.build import ReportInputs, SectionBuilder, build_report
from kazree.report.document import Report
from kazree.report.html import check_out, render_html, write_html
from kazree.report.loading import load_run_dir, run_from_results, run_of, solve_loaded, solve_run
from kazree.report.runs import Assumptions, ScenarioRun

__all__ = [
    "Assumptions",
    "Report",
    "ReportInputs",
    "ScenarioRun",
    "SectionBuilder",
    "build_report",
    "check_out",
    "load_run_dir",
    "render_html",
    "run_from_results",
    "run_of",
    "solve_loaded",
    "solve_run",
    "write_html",
    "write_report",
]


def write_report(
    runs: Sequence[ScenarioRun | ResultsLike],
    out: Path,
    *,
    year: int | None = None,
    extra: Sequence[SectionBuilder] = (),
) -> Path:
    """Build the report of ``runs`` (runs, ``Results`` or Datasets), with the sections of
    ``extra``, and write it to ``out``."""
    from kazree.metrics.groups import dataset_blocs
    from kazree.policy.rules import dataset_rules
    from kazree.scenario.dataset import embedded_dataset

    check_out(out)
    chosen = [r if isinstance(r, ScenarioRun) else run_from_results(r) for r in runs]
    report = build_report(
        chosen,
        dataset=embedded_dataset(),
        rules=dataset_rules(),
        blocs=dataset_blocs(),
        year=year,
        extra=extra,
    )
    return write_html(report, out)
