"""Speed of risk runs: N samples of ``kazrareearth-2030`` (2024-2040) with the expected-value
plan held fixed, on 1 and on 2 local Dask workers.

The expected-value plan is computed once and passed to both runs, so the figures are the
sampling alone: wall seconds, seconds per sample per worker, and the speed-up from 1 to 2
workers. The workers build one model per distinct rest of the scenario (controls regime, licence
share, demand case: at most 27 for this scenario), each on one worker only; the figures say how
many models were built, their CPU time, and the CPU time of a future solved on a model already
built (the per-sample cost after the first build). Run on an idle machine. Prints figures;
asserts nothing.
Run: ``.venv/bin/python benchmarks/risk_bench.py [SAMPLES [WORKERS ...]]`` (default 1,000 samples
on 1 and 2 workers).
"""

from __future__ import annotations

import os
import sys
import time

from kazree.planner import plan
from kazree.risk import risk
from kazree.risk.evaluate import BUILD_COLUMNS
from kazree.risk.sampling import apply, expected_draw
from kazree.scenario import load_scenario

SCENARIO = "kazrareearth-2030"
SEED = 1


def main() -> None:
    samples = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000
    counts = [int(a) for a in sys.argv[2:]] or [1, 2]
    scenario = load_scenario(SCENARIO)
    start = time.perf_counter()
    builds = plan(apply(scenario, expected_draw(scenario.uncertain))).builds[BUILD_COLUMNS]
    print(
        f"{SCENARIO}: expected-value plan {time.perf_counter() - start:.1f} s, {len(builds)} builds"
    )
    print(f"machine: {os.cpu_count()} cores; {samples} samples, seed {SEED}")
    walls = {}
    for workers in counts:
        start = time.perf_counter()
        result = risk(scenario, samples=samples, seed=SEED, builds=builds, workers=workers)
        wall = time.perf_counter() - start
        walls[workers] = wall
        per = wall * workers / samples
        t = result.timings
        print(
            f"{workers} worker(s): {wall:.1f} s wall ({wall / 60:.1f} min),"
            f" {per:.3f} s per sample per worker, {t['distinct_futures']} distinct futures;"
            f" in the workers: {t['models_built']} models built ({t['build_cpu_s']:.1f} CPU s"
            f" with their first futures), then {t.get('future_cpu_s', float('nan')):.3f} CPU s"
            " per future"
        )
        print(result.headline().to_string(index=False))
    if 1 in walls and 2 in walls:
        print(f"speed-up 1 -> 2 workers: {walls[1] / walls[2]:.2f}x")


if __name__ == "__main__":
    main()
