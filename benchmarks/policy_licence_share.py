"""Time the export-control queries the model makes: daily and annual licence shares.

Prints figures; asserts nothing. Run: ``.venv/bin/python benchmarks/policy_licence_share.py``.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable
from datetime import date

from kazree.chain.elements import symbols
from kazree.chain.forms import Form
from kazree.policy import annual_licence_share, licence_share, rules_on
from kazree.policy.rules import dataset_rules

EXPORTERS = ("CN", "VN", "MY", "MM")
DESTINATIONS = ("US", "DE", "JP", "KR", "KZ", "GB", "FR", "IN", "AU", "CA")
YEARS = tuple(range(2024, 2036))


def timed(label: str, count: int, run: Callable[[], None]) -> None:
    """Run ``run`` once and print its time in total and per call."""
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    print(f"{label:<44} {count:>8} calls  {seconds:8.3f} s  {1e6 * seconds / count:8.1f} us/call")


def main() -> None:
    print(f"cpus: {os.cpu_count()}")
    start = time.perf_counter()
    rules = dataset_rules()
    print(f"load dataset and check {len(rules)} rules: {time.perf_counter() - start:.3f} s")
    days = [date(2025, 1, 1).toordinal() + i for i in range(365)]

    def all_days() -> None:
        for day in days:
            rules_on(rules, date.fromordinal(day), exporter="CN", include_all=True)

    timed("rules_on, CN, every day of 2025", len(days), all_days)
    grid = list(itertools.product(EXPORTERS, DESTINATIONS, symbols(), [f.value for f in Form]))

    def daily() -> None:
        for exporter, destination, element, form in grid:
            licence_share(
                rules,
                exporter=exporter,
                destination=destination,
                element=element,
                form=form,
                on=date(2026, 1, 1),
            )

    timed("licence_share, one date, full grid", len(grid), daily)

    def annual() -> None:
        for (exporter, destination, element, form), year in itertools.product(grid, YEARS):
            annual_licence_share(
                rules,
                exporter=exporter,
                destination=destination,
                element=element,
                form=form,
                year=year,
            )

    timed(f"annual_licence_share, grid x {len(YEARS)} years", len(grid) * len(YEARS), annual)


if __name__ == "__main__":
    main()
