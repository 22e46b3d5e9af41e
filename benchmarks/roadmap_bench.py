"""Timing of the roadmap instruments: zone ranking with weight samples and project cash flows.

Zones: ``rank_zones`` on the embedded dataset (both kinds, weighted sum and TOPSIS) for 100,
1,000 and 10,000 weight samples. Finance: one ``cash_flows`` run of the example project under
the blended stack and the floor offtake, and the bankability table (six runs). Safeguards and
overview: ``kazrareearth-2030`` solved over 2030-2035 with and without its safeguards, then the
roadmap overview the demo prints (zones with 200 samples, finance, footprint, partners). Prints
wall and CPU seconds per case; asserts nothing.
Run: ``.venv/bin/python benchmarks/roadmap_bench.py``.
"""

from __future__ import annotations

import time
from pathlib import Path

from kazree.data import load_dataset
from kazree.model.solve import solve_scenario, with_years
from kazree.roadmap.finance.bankability import bankability
from kazree.roadmap.finance.cashflow import cash_flows
from kazree.roadmap.finance.inputs import build_case
from kazree.roadmap.finance.terms import instrument_terms
from kazree.roadmap.overview import roadmap_overview
from kazree.roadmap.zones import default_weights, rank_zones
from kazree.scenario import load_scenario
from kazree.scenario.safeguards import SafeguardSpec

EXAMPLES = Path(__file__).parents[1] / "scenarios" / "roadmap"


def timed(label: str, call, repeat: int = 1) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(repeat):
        call()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{label:<44} {wall / repeat * 1000:10.1f} ms wall {cpu / repeat * 1000:10.1f} ms cpu")


def main() -> None:
    dataset, weights = load_dataset(), default_weights()
    for samples in (100, 1_000, 10_000):
        timed(
            f"rank_zones, {samples:,} weight samples",
            lambda s=samples: rank_zones(dataset, weights, samples=s),
        )
    case = build_case(
        dataset,
        str(EXAMPLES / "projects" / "kz-mine-to-oxide.yaml"),
        EXAMPLES / "stacks" / "blended.yaml",
        EXAMPLES / "offtakes" / "ndpr-floor.yaml",
    )
    timed("cash_flows, one project (24 years)", lambda: cash_flows(case), repeat=50)
    terms = instrument_terms(dataset)
    timed("bankability table (6 runs)", lambda: bankability(case, terms), repeat=20)
    roadmap = with_years(load_scenario("kazrareearth-2030"), 2030, 2035)
    bare = roadmap.model_copy(update={"safeguards": SafeguardSpec()})
    timed("kazrareearth-2030 2030-2035, no safeguards", lambda: solve_scenario(bare))
    timed("kazrareearth-2030 2030-2035, its safeguards", lambda: solve_scenario(roadmap))
    results = solve_scenario(roadmap).results.ds
    timed("roadmap overview (demo lines)", lambda: roadmap_overview(dataset, results, 2035))


if __name__ == "__main__":
    main()
