"""Size and timing of the planning problem: ``kazrareearth-2030`` (2024-2040) with 1x, 2x, 4x
candidates.

Candidates: the scenario's generic ones and every non-operating dataset facility with a known
capacity; 2x and 4x add copies of each (same stage, country, capacity, capex, lead time, ramp)
as generic candidates. Each case solves the whole horizon as one LP with every target in
place but moved to the earliest year the 1x plan can meet it (so the LP is feasible), and
prints variables, constraints, read (dataset, inputs, candidates, licence counterfactual),
build (the linopy model), solve (HiGHS), extract (plan.csv and targets.csv tables) seconds and
the ratio (build + extract) / solve; then the end-to-end ``kazree.plan`` of the 1x case (the
out-of-reach search re-solves several times) and ``--integer`` on the 1x case. Prints figures;
asserts nothing.
Run: ``.venv/bin/python benchmarks/planner_bench.py``.
"""

from __future__ import annotations

import time

import pandas as pd

from kazree.planner import plan
from kazree.planner.outcome import plan_frame, targets_frame
from kazree.planner.solve import prepare, solve_plan, targets_of
from kazree.scenario import Scenario, load_scenario
from kazree.scenario.dataset import scenario_dataset
from kazree.scenario.plan import CandidateSpec, PlanSpec, PlanTarget

SCENARIO = "kazrareearth-2030"


def copied(scenario: Scenario, times: int) -> Scenario:
    """``scenario`` with every candidate copied ``times - 1`` more times."""
    ds = scenario_dataset(scenario)
    problem = prepare(scenario, ds)
    ores = problem.inputs.facilities["ore"]
    extra = [
        CandidateSpec(
            id=f"{cid}-copy{copy}",
            stage=row["stage"],
            country=row["country"],
            max_capacity_t=float(row["max_t"]),
            min_capacity_t=float(row["min_t"]),
            capex_usd_per_t=float(row["capex_usd_per_t"]),
            deposit_type=str(ores[cid]) if row["stage"] == "mining" else None,
            lead_years=int(row["lead_years"]),
            ramp_up_years=int(row["ramp_up_years"]),
        )
        for copy in range(1, times)
        for cid, row in problem.candidates.iterrows()
    ]
    spec = scenario.plan or PlanSpec()
    updated = spec.model_copy(update={"candidates": [*spec.candidates, *extra]})
    return scenario.model_copy(update={"plan": updated})


def measure(label: str, scenario: Scenario, targets: list[PlanTarget]) -> dict[str, object]:
    """One planning LP of ``scenario``: sizes and seconds per phase."""
    start = time.perf_counter()
    problem = prepare(scenario, scenario_dataset(scenario))
    read_s = time.perf_counter() - start
    solved = solve_plan(problem, targets)
    if solved is None:
        msg = f"{label}: infeasible"
        raise SystemExit(msg)
    start = time.perf_counter()
    plan_frame(problem, solved)
    targets_frame(problem, solved, targets, {})
    extract_s = time.perf_counter() - start
    return {
        "case": label,
        "candidates": len(problem.candidates),
        "variables": int(solved.model.nvars),
        "constraints": int(solved.model.ncons),
        "read_s": round(read_s, 2),
        "build_s": round(solved.build_s, 2),
        "solve_s": round(solved.solve_s, 2),
        "extract_s": round(extract_s, 2),
        "(build+extract)/solve": round((solved.build_s + extract_s) / solved.solve_s, 2),
    }


def main() -> None:
    """Print the table of cases, then the end-to-end and integer timings."""
    base = load_scenario(SCENARIO)
    start, cpu = time.perf_counter(), time.process_time()
    full = plan(base)
    print(
        f"kazree.plan({SCENARIO!r}) end to end: {time.perf_counter() - start:.1f} s wall,"
        f" {time.process_time() - cpu:.1f} s CPU, {len(full.builds)} builds,"
        f" {len(full.out_of_reach)} out of reach"
    )
    moved = {r.target.name: r.earliest for r in full.out_of_reach}
    targets = [
        t.model_copy(update={"year": moved[t.name]}) if moved.get(t.name) else t
        for t in targets_of(base)
        if t.name not in moved or moved[t.name] is not None
    ]
    rows = [measure(f"{n}x candidates", copied(base, n), targets) for n in (1, 2, 4)]
    print(pd.DataFrame(rows).to_string(index=False))
    start = time.perf_counter()
    problem = prepare(base, scenario_dataset(base), integer=True)
    solved = solve_plan(problem, targets)
    binaries = int(solved.model.variables["build_on"].mask.sum()) if solved else 0
    print(
        f"--integer 1x: {binaries} binary builds, solve {solved.solve_s if solved else 0:.1f} s,"
        f" total {time.perf_counter() - start:.1f} s"
    )


if __name__ == "__main__":
    main()
