"""Risk runs as background jobs: a Monte Carlo of one scenario, with progress over its samples.

One worker thread carries out the runs in turn (:class:`~kazree.api.routes.jobs.JobQueue`);
each writes its risk directory into a temporary folder, reads it back as the report's odds
section (:mod:`kazree.report.risk_view`) and removes the folder.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kazree.api.routes.jobs import JobQueue, JobState, new_id
from kazree.api.routes.runs_schemas import RiskRunOut, RunStatus, SectionOut, section_out
from kazree.i18n import DEFAULT_LANGUAGE, using
from kazree.report.risk_view import load_risk_dir, odds_section
from kazree.scenario import Scenario, load_scenario
from kazree.scenario.dataset import embedded_dataset
from kazree.scenario.loading import shipped_names

Progress = Callable[[int, int], None]
"""Called with (samples done, samples in all)."""
Runner = Callable[[Scenario, int, int, Progress, Path], None]
"""Samples a scenario's futures (scenario, samples, seed, progress) and writes the risk
directory (the last argument), as ``kazree risk --out`` does."""
RISK_WORKERS = 1
"""Dask workers of one service run: the service shares its cores with the exchange."""


def run_risk(scenario: Scenario, samples: int, seed: int, progress: Progress, out: Path) -> None:
    """Run the Monte Carlo (imported on first use) and write its directory."""
    from kazree.risk import risk

    result = risk(scenario, samples=samples, seed=seed, workers=RISK_WORKERS, progress=progress)
    result.write(out, workers=RISK_WORKERS)


@cache
def _uncertain_scenarios() -> tuple[tuple[str, Scenario], ...]:
    loaded = ((name, load_scenario(name)) for name in shipped_names())
    return tuple((name, s) for name, s in loaded if s.uncertain.names)


def risk_scenarios() -> Mapping[str, Scenario]:
    """The shipped scenarios that declare uncertain inputs, by name."""
    return dict(_uncertain_scenarios())


@dataclass
class RiskJob(JobState[SectionOut]):
    """One risk run: its scenario and settings, where it stands and, once done, its odds (it
    writes into a folder of its own, so it has no ``workdir``)."""

    scenario: Scenario
    samples: int
    seed: int
    lang: str = DEFAULT_LANGUAGE

    def start(self) -> None:
        """Record that the run has started: the plan of the expected future comes first."""
        with self.lock:
            self.status = RunStatus.RUNNING
            self.step = f"planning for the expected future, then {self.samples} samples"

    def advance(self, done: int, total: int) -> None:
        """Record that ``done`` of ``total`` samples are solved."""
        with self.lock:
            self.status = RunStatus.RUNNING
            self.done = max(self.done, min(done, self.samples))
            self.step = f"{done} of {total} samples"

    def view(self) -> RiskRunOut:
        """The run as the API shows it; the charts count as one step after the samples."""
        with self.lock:
            ended = self.status is RunStatus.DONE
            return RiskRunOut(
                run_id=self.run_id,
                scenario=self.scenario.name,
                samples=self.samples,
                seed=self.seed,
                status=self.status,
                done=self.done,
                progress=1.0 if ended else round(self.done / (self.samples + 1), 3),
                step=self.step,
                error=self.error,
                section=self.result,
            )


class RiskJobs(JobQueue[RiskJob]):
    """Queued risk runs; ``run`` samples and writes (default :func:`run_risk`), ``scenarios``
    names the scenarios a run may use (default :func:`risk_scenarios`)."""

    thread_name = "kazree-risk"
    kind = "risk run"
    work = "sampling"

    def __init__(
        self,
        run: Runner = run_risk,
        scenarios: Callable[[], Mapping[str, Scenario]] = risk_scenarios,
    ) -> None:
        super().__init__()
        self._run = run
        self.scenarios = scenarios

    def submit(self, scenario: Scenario, samples: int, seed: int, lang: str) -> RiskJob:
        """Queue a risk run of ``scenario``; its charts are written in ``lang``."""
        return self.enqueue(RiskJob(new_id(), scenario, samples, seed, lang))

    def _carry_out(self, job: RiskJob) -> SectionOut:
        job.start()
        with tempfile.TemporaryDirectory(prefix="kazree-risk-") as folder:
            out = Path(folder) / "risk"
            self._run(job.scenario, job.samples, job.seed, job.advance, out)
            with using(job.lang):
                sources = embedded_dataset().table("sources")
                return section_out(odds_section(load_risk_dir(out), sources))
