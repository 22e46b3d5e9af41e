"""Wall time of quick ``kazree`` commands, from process start to exit.

    .venv/bin/python benchmarks/cli_startup.py [--runs 5]

Each command runs once to warm the file cache, then ``--runs`` times; the median wall time, its
range and the median CPU time (user + system, which other load on the machine barely changes)
are printed. The goal is well under 0.5 s of wall time for each on an idle 2-core machine.
The commands may write their bytecode caches (``PYTHONDONTWRITEBYTECODE`` is dropped), as an
installed kazree does.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

KAZREE = str(Path(sys.executable).with_name("kazree"))
COMMANDS = (
    ("--help",),
    ("controls", "--exporter", "CN", "--on", "2025-06-01"),
    ("controls", "--exporter", "KZ", "--on", "2025-06-01"),
    ("--lang", "ru", "controls", "--exporter", "CN", "--on", "2025-06-01"),
)


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def timings(args: tuple[str, ...], runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each of ``runs`` runs of ``kazree ARGS`` (after a warm-up)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["COLUMNS"] = "120"
    walls, cpus = [], []
    for _ in range(runs + 1):
        start, cpu = time.perf_counter(), _cpu()
        subprocess.run([KAZREE, *args], capture_output=True, check=True, env=env)
        walls.append(time.perf_counter() - start)
        cpus.append(_cpu() - cpu)
    return walls[1:], cpus[1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}, {runs} runs each")
    for args in COMMANDS:
        walls, cpus = timings(args, runs)
        print(
            f"kazree {' '.join(args):<55} wall median {statistics.median(walls):.3f} s"
            f" (min {min(walls):.3f}, max {max(walls):.3f}),"
            f" CPU median {statistics.median(cpus):.3f} s"
        )


if __name__ == "__main__":
    main()
