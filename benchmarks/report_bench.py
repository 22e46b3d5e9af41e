"""Time to build, render and write the HTML report of solved scenarios, and its size.

Solves the given shipped scenarios once (not timed), then times each report step ``--repeat``
times and prints the median, with the file size and the share of it that is plotly.js.

    python benchmarks/report_bench.py [baseline kazrareearth-2030 ...] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import plotly.offline

from kazree.data import load_dataset
from kazree.metrics.groups import dataset_blocs
from kazree.policy.rules import dataset_rules
from kazree.report import build_report, render_html, solve_run, write_html


def median_s(step, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenarios", nargs="*", default=["baseline", "kazrareearth-2030"])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs = [solve_run(name) for name in args.scenarios]
    dataset, rules, blocs = load_dataset(), dataset_rules(), dataset_blocs()
    build_s, report = median_s(
        lambda: build_report(runs, dataset=dataset, rules=rules, blocs=blocs), args.repeat
    )
    render_s, html = median_s(lambda: render_html(report), args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.html"
        write_s, _ = median_s(lambda: write_html(report, out), args.repeat)
        size = out.stat().st_size
    bundle = len(plotly.offline.get_plotlyjs().encode())
    print(f"scenarios: {', '.join(args.scenarios)} ({len(report.figures())} figures)")
    print(f"build {build_s:.2f} s, render {render_s:.2f} s, render+write {write_s:.2f} s")
    print(
        f"file {size / 1e6:.2f} MB, of which plotly.js {bundle / 1e6:.2f} MB ({len(html):,} chars)"
    )


if __name__ == "__main__":
    main()
