"""Size and timing of a stochastic plan: 9 sampled futures of ``kazrareearth-2030`` (2024-2040).

When the scenario declares no ``uncertain:`` block, it is extended with :data:`UNCERTAIN`
(kazree assumptions for the benchmark: the Kazakh separation and magnet plants' lead times and
the separation plant's capex). Prints the extensive form's variables and constraints, the wall
seconds of each phase (reading the futures, building their models, the stochastic LP, the
expected-value plan in every future, every future alone) and the process's CPU seconds (the
machine may be shared: CPU time is the steadier figure). Asserts nothing.
Run: ``PYTHONPATH=src .venv/bin/python benchmarks/stochastic_bench.py``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from kazree.planner.stochastic import stochastic_plan
from kazree.scenario import Scenario, load_scenario

SCENARIO = "kazrareearth-2030"
FUTURES = 9
UNCERTAIN = """\
uncertain:
  inputs:
    - field: "plan.candidates[kz-separation].lead_years"
      dist: {kind: integers, low: 4, high: 7}
      source: assumption
    - field: "plan.candidates[kz-magnet].lead_years"
      dist: {kind: integers, low: 2, high: 4}
      source: assumption
    - field: "plan.candidates[kz-separation].capex_usd_per_t"
      dist: {kind: lognormal, median: 28600, sigma: 0.3}
      source: assumption
"""


def scenario(directory: Path) -> Scenario:
    """``kazrareearth-2030``, with :data:`UNCERTAIN` when it declares no uncertain block."""
    shipped = load_scenario(SCENARIO)
    if shipped.uncertain.names:
        return shipped
    path = directory / "kazrareearth-2030-uncertain.yaml"
    path.write_text(f"extends: {SCENARIO}\n{UNCERTAIN}", encoding="utf-8")
    return load_scenario(path)


def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        chosen = scenario(Path(directory))
        cpu, wall = time.process_time(), time.perf_counter()

        def step(text: str) -> None:
            spent = (time.perf_counter() - wall, time.process_time() - cpu)
            print(f"[{spent[0]:7.1f} s, CPU {spent[1]:7.1f} s] {text}", file=sys.stderr, flush=True)

        result = stochastic_plan(chosen, futures=FUTURES, seed=0, progress=step)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{SCENARIO}: {FUTURES} futures, uncertain inputs {', '.join(chosen.uncertain.names)}")
    print(f"variables {result.n_variables:,}, constraints {result.n_constraints:,}")
    for phase, seconds in result.timings.items():
        print(f"  {phase:<12} {seconds:8.1f} s")
    print(f"total wall {wall:.1f} s, CPU {cpu:.1f} s")
    print(
        f"expected cost {result.expected_cost:,.1f} MUSD, VSS {result.vss:,.1f} MUSD,"
        f" EVPI {result.evpi:,.1f} MUSD, builds {len(result.builds)}"
    )
    print(result.futures.to_string(index=False))


if __name__ == "__main__":
    main()
