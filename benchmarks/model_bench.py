"""Size and timing of the supply-chain model: default scenario and synthetic scale-ups.

Cases: ``baseline`` (2024-2040), ``china-controls-2025`` (two solves: licence caps come from the
same scenario solved without controls), 2x and 4x facilities (every dataset facility copied once
or three times under a new id, same country, stage and capacity), and 2x years (2024-2057; the
scenario schema caps years at 2050, so this synthetic case skips that check). Each year is its
own LP (``kazree.model.yearly``): solve time is the sum over years. Prints
variables, constraints, read (dataset and scenario inputs), build (the LP), solve and extract
seconds and the ratio (build + extract) / solve, wall-clock total and CPU seconds of this
process (steadier than wall time on a shared machine). The first row solves ``baseline`` in a
fresh process (first-use imports land in read and build); the others run warm. Prints
figures; asserts nothing.
Run: ``.venv/bin/python benchmarks/model_bench.py``.
"""

from __future__ import annotations

import os
import time

import pandas as pd

from kazree.data import load_dataset
from kazree.model.solve import Solution, solve_scenario
from kazree.scenario import Scenario, load_scenario
from kazree.scenario.schema import FacilitySpec, Years


def copies(times: int) -> list[FacilitySpec]:
    """Every dataset facility (not counted inside an aggregate) ``times - 1`` more times."""
    table = load_dataset().table("facilities")
    table = table[table["part_of"].isna()]
    specs = []
    for copy in range(1, times):
        for row in table.itertuples(index=False):
            specs.append(
                FacilitySpec(
                    id=f"{row.id}-copy{copy}",
                    country=str(row.country),
                    stage=str(row.stage),
                    capacity_t=None if pd.isna(row.capacity_t) else float(row.capacity_t),
                    capacity_basis=str(row.capacity_basis),
                    status=str(row.status),
                    start_year=None if pd.isna(row.start_year) else int(row.start_year),
                    deposit_type=None if pd.isna(row.deposit_type) else str(row.deposit_type),
                )
            )
    return specs


def cases() -> dict[str, Scenario]:
    """The benchmark scenarios by label."""
    base = load_scenario("baseline")
    long_years = Years.model_construct(start=2024, end=2057)
    return {
        "baseline": base,
        "controls (2 solves)": load_scenario("china-controls-2025"),
        "2x facilities": base.model_copy(update={"facilities": copies(2)}),
        "4x facilities": base.model_copy(update={"facilities": copies(4)}),
        "2x years": base.model_copy(update={"years": long_years}),
    }


def row(label: str, solution: Solution, wall_s: float, cpu_s: float) -> str:
    """One printed line of figures."""
    ratio = (solution.build_s + solution.extract_s) / solution.solve_s
    return (
        f"{label:<20} {solution.n_variables:>9,} {solution.n_constraints:>9,}"
        f" {solution.read_s:>8.2f} {solution.build_s:>8.2f} {solution.solve_s:>8.2f}"
        f" {solution.extract_s:>8.2f}"
        f" {ratio:>7.2f} {wall_s:>8.2f} {cpu_s:>8.2f}"
    )


def timed(label: str, scenario: Scenario) -> str:
    """Solve ``scenario`` once and format its figures."""
    start, cpu = time.perf_counter(), time.process_time()
    solution = solve_scenario(scenario)
    wall_s, cpu_s = time.perf_counter() - start, time.process_time() - cpu
    return row(label, solution, wall_s, cpu_s)


def main() -> None:
    """Solve each case once and print its figures."""
    print(f"cpus: {os.cpu_count()}  load average: {os.getloadavg()[0]:.2f}")
    print(
        f"{'case':<20} {'variables':>9} {'constr.':>9} {'read s':>8} {'build s':>8} {'solve s':>8}"
        f" {'extract':>8} {'ratio':>7} {'total s':>8} {'cpu s':>8}"
    )
    print(timed("baseline, cold", load_scenario("baseline")), flush=True)
    for label, scenario in cases().items():
        print(timed(label, scenario), flush=True)


if __name__ == "__main__":
    main()
