"""``kazree.risk``: Monte Carlo over a scenario's uncertain inputs on a Dask cluster.

The samples are drawn on the client (:mod:`kazree.risk.sampling`); identical draws (discrete
laws repeat) are solved once. Each worker process keeps one
:class:`~kazree.risk.evaluate.Evaluator` per run, which builds a model for every distinct rest
of the scenario (controls regime, demand case, ...) its futures need. So that no two workers
build the same model, the futures of one model all go to one worker: the models are dealt out
so that the workers' loads (futures to solve, plus a build per model) are even, then each
worker's futures go in small chunks for a smooth progress bar. Results come back in sample
order and every future starts from its model's own reference, so the numbers do not depend on
the number of workers or on which worker solved what.
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import dask
import pandas as pd
from distributed import Client, LocalCluster, as_completed

from kazree.csv_tables import read_csv_table
from kazree.errors import KazreeError
from kazree.planner import plan
from kazree.planner.outcome import PLAN_NUMBERS
from kazree.risk.evaluate import BUILD_COLUMNS, Evaluator, Outcome, reference_draw
from kazree.risk.outcomes import RiskResult
from kazree.risk.sampling import apply, check, draws, expected_draw
from kazree.scenario import Scenario, load_scenario

Progress = Callable[[int, int], None]
"""Called with (samples done, samples in all)."""
CHUNKS_PER_WORKER = 8
"""Chunks per worker: enough for a smooth progress bar and a balanced load."""
MAX_CHUNK = 25
WAIT_S = 60.0
"""How long a run waits for its first workers."""
BUILD_FUTURES = 6
"""A model's build and reference solve, in futures solved (about 3 s against 0.5 s)."""
_EVALUATORS: dict[str, Evaluator] = {}
"""The evaluators of this worker process, by run token."""
_LOCK = threading.Lock()
"""One future at a time per process (a worker started with several threads shares models)."""


def _token(scenario: Scenario, builds: pd.DataFrame | None) -> str:
    digest = hashlib.sha256(scenario.model_dump_json().encode())
    digest.update(b"replan" if builds is None else builds.to_csv(index=False).encode())
    return digest.hexdigest()


def _evaluate_chunk(
    token: str,
    scenario: Scenario,
    builds: pd.DataFrame | None,
    futures: Sequence[dict[str, float | str]],
) -> list[Outcome]:
    """Evaluate ``futures`` on this worker (its evaluator built on first use)."""
    with _LOCK:
        evaluator = _EVALUATORS.get(token)
        if evaluator is None:
            evaluator = Evaluator(scenario, builds)
            _EVALUATORS.clear()
            _EVALUATORS[token] = evaluator
        return [evaluator.evaluate(values) for values in futures]


def routes(models: Sequence[Hashable], slots: int) -> list[int]:
    """The worker (0..``slots``-1) of each future, given the model each needs: every future of
    one model on one worker; the models dealt largest first to the least loaded worker, a
    model's load being its futures plus :data:`BUILD_FUTURES` for its build."""
    load = [0] * slots
    slot: dict[Hashable, int] = {}
    for model, count in Counter(models).most_common():
        slot[model] = min(range(slots), key=lambda i: load[i])
        load[slot[model]] += count + BUILD_FUTURES
    return [slot[model] for model in models]


def _values(row: pd.Series) -> dict[str, float | str]:
    return {str(k): (v if isinstance(v, str) else float(v)) for k, v in row.items()}


def builds_from(path: Path) -> pd.DataFrame:
    """The builds of ``plan.csv`` (written by ``kazree plan --out``)."""
    return read_csv_table(path, BUILD_COLUMNS, PLAN_NUMBERS)[BUILD_COLUMNS]


LOCAL_WORKER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
}
"""Dask settings of a local cluster's workers. Dask samples a worker's stack every 10 ms and
has glibc hand freed memory back to the OS above 64 KiB; a future allocates and frees arrays of
megabytes, so each then faults its pages in again. Without the two, a future takes about a third
less CPU time (0.88 against 1.34 s, measured in one worker)."""


@contextmanager
def cluster(workers: int, scheduler: str | None) -> Iterator[Client]:
    """A client of the cluster at ``scheduler``, or of a local cluster of ``workers`` processes
    with one thread each (:data:`LOCAL_WORKER_CONFIG`), closed on exit."""
    if scheduler is not None:
        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as exc:
            msg = f"--scheduler {scheduler!r}: cannot connect: {exc} (allowed: a Dask scheduler)"
            raise KazreeError(msg) from None
        with client:
            yield client
        return
    with (
        dask.config.set(LOCAL_WORKER_CONFIG),
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def risk(
    scenario: Scenario | str | Path,
    *,
    samples: int,
    seed: int = 0,
    builds: pd.DataFrame | None = None,
    replan: bool = False,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> RiskResult:
    """Draw ``samples`` futures of ``scenario``'s ``uncertain:`` block and solve each with the
    plan held fixed (``builds``; default: the plan of the expected future) or re-planned."""
    if samples < 1 or workers < 1:
        msg = f"samples {samples}, workers {workers} (allowed: at least 1 each)"
        raise KazreeError(msg)
    scenario = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    spec = check(scenario)
    table = draws(spec, seed, samples)
    start = time.perf_counter()
    source = "replan" if replan else ("given plan" if builds is not None else "expected-value plan")
    if not replan and builds is None:
        builds = plan(apply(scenario, expected_draw(spec))).builds[BUILD_COLUMNS]
    plan_s = time.perf_counter() - start
    groups = table.groupby(list(table.columns), sort=False, dropna=False).indices
    futures = [_values(table.iloc[int(rows[0])]) for rows in groups.values()]
    weights = [len(rows) for rows in groups.values()]
    start = time.perf_counter()
    fixed = None if replan else builds
    outcomes = _solve(scenario, fixed, futures, weights, workers, scheduler, progress)
    solve_s = time.perf_counter() - start
    by_sample: list[Outcome] = [outcomes[0]] * samples
    for index, rows in enumerate(groups.values()):
        for row in rows:
            by_sample[int(row)] = outcomes[index]
    return RiskResult.collect(
        scenario=scenario,
        seed=seed,
        draws=table,
        outcomes=by_sample,
        plan=source,
        timings={
            "plan_s": round(plan_s, 3),
            "solve_s": round(solve_s, 3),
            "distinct_futures": len(futures),
            "workers": workers if scheduler is None else 0,
            **_cpu(outcomes),
        },
    )


def _cpu(outcomes: Sequence[Outcome]) -> dict[str, float]:
    """CPU seconds in the workers: the models' builds (with each first future) and the mean of
    a future solved on a model already built."""
    built = [o.cpu_s for o in outcomes if o.built]
    rest = [o.cpu_s for o in outcomes if not o.built]
    mean = {"future_cpu_s": round(sum(rest) / len(rest), 4)} if rest else {}
    return {"models_built": len(built), "build_cpu_s": round(sum(built), 3), **mean}


def _solve(
    scenario: Scenario,
    builds: pd.DataFrame | None,
    futures: list[dict[str, float | str]],
    weights: list[int],
    workers: int,
    scheduler: str | None,
    progress: Progress | None,
) -> list[Outcome]:
    token = _token(scenario, builds)
    total = sum(weights)
    spec = scenario.uncertain
    models = [tuple(sorted(reference_draw(spec, f).items())) for f in futures]
    with cluster(workers, scheduler) as client:
        try:
            client.wait_for_workers(1 if scheduler else workers, timeout=WAIT_S)
        except TimeoutError:
            where = f"--scheduler {scheduler!r}" if scheduler else f"--workers {workers}"
            msg = (
                f"{where}: no worker joined in {WAIT_S:.0f} s"
                " (allowed: a Dask scheduler with workers)"
            )
            raise KazreeError(msg) from None
        addresses = sorted(client.scheduler_info(n_workers=-1)["workers"])
        slots = routes(models, len(addresses))
        size = max(
            1, min(MAX_CHUNK, math.ceil(len(futures) / (len(addresses) * CHUNKS_PER_WORKER)))
        )
        by_worker: list[list[int]] = [[] for _ in addresses]
        for i, worker in enumerate(slots):
            by_worker[worker].append(i)
        chunks = [
            (worker, mine[i : i + size])
            for worker, mine in enumerate(by_worker)
            for i in range(0, len(mine), size)
        ]
        pending = {
            client.submit(
                _evaluate_chunk,
                token,
                scenario,
                builds,
                [futures[i] for i in chunk],
                workers=[addresses[worker]],
                allow_other_workers=True,
                pure=False,
            ): chunk
            for worker, chunk in chunks
        }
        outcomes: dict[int, Outcome] = {}
        done = 0
        for future in as_completed(list(pending)):
            chunk = pending[future]
            try:
                for i, outcome in zip(chunk, future.result(), strict=True):
                    outcomes[i] = outcome
            except KazreeError:
                client.cancel(list(pending))
                raise
            done += sum(weights[i] for i in chunk)
            if progress is not None:
                progress(done, total)
    return [outcomes[i] for i in range(len(futures))]
