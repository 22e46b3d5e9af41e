"""Time loading and checking the embedded dataset, and reading one table as a DataFrame.

Prints figures; asserts nothing. Run: ``.venv/bin/python benchmarks/data_load.py``.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

from kazree.data import check_dataset, load_dataset

REPEATS = 10


def timed(label: str, run: Callable[[], object]) -> None:
    """Run ``run`` ``REPEATS`` times; print the median and the fastest time."""
    seconds = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - start)
    median_ms, min_ms = 1e3 * statistics.median(seconds), 1e3 * min(seconds)
    print(f"{label:<40} median {median_ms:8.1f} ms  min {min_ms:8.1f} ms")


def main() -> None:
    """Print the timings and the size of the dataset."""
    ds = load_dataset()
    rows = sum(len(ds.table(name)) for name in ds.tables)
    print(f"{len(ds.tables)} tables, {rows} rows; {os.cpu_count()} CPUs")
    timed("load_dataset()", load_dataset)
    timed("check_dataset()", check_dataset)
    timed("load_dataset().table('facilities')", lambda: load_dataset().table("facilities"))


if __name__ == "__main__":
    main()
