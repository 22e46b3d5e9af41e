"""Time the metrics of a solved scenario: each metric family and the whole ``metrics_frame``.

Usage: ``python benchmarks/metrics_bench.py [SCENARIO]`` (default ``baseline``). Prints seconds
per family (best of three) and the size of ``metrics.csv``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from kazree.metrics import (
    concentration,
    crma,
    export_partner_hhi,
    exposure,
    metrics_frame,
    self_sufficiency,
    shadow_prices,
    value_added,
)
from kazree.metrics.groups import dataset_blocs
from kazree.model import solve


def best_of(runs: int, call: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times)


def main(scenario: str) -> None:
    ds = solve(scenario).ds
    blocs = dataset_blocs()
    print(f"scenario {scenario}: " + ", ".join(f"{k}={v}" for k, v in ds.sizes.items()))
    metrics_frame(ds)  # warm-up: first-use imports inside xarray
    families: dict[str, Callable[[], object]] = {
        "concentration": lambda: concentration(ds),
        "exposure": lambda: exposure(ds, blocs),
        "self_sufficiency": lambda: self_sufficiency(ds, blocs),
        "shadow_prices": lambda: shadow_prices(ds),
        "value_added": lambda: value_added(ds, blocs),
        "export_partner_hhi": lambda: export_partner_hhi(ds),
        "crma": lambda: crma(ds, blocs),
        "metrics_frame": lambda: metrics_frame(ds, blocs),
    }
    for name, call in families.items():
        print(f"{name:>20}: {best_of(3, call):7.3f} s")
    frame = metrics_frame(ds, blocs)
    print(f"{'rows':>20}: {len(frame):7d}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "baseline")
