"""A risk directory with known numbers, as ``kazree risk --out DIR`` writes it.

Ten samples over 2026-2035. Sample ``s`` (0..9) of a row is ``base + step * s * (year - 2025)``,
so every quantile is known in closed form; ``summary.csv`` holds the quantiles of these samples
(numpy's linear interpolation, as pandas' ``quantile``).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

SCENARIO = "kazrareearth-2030"
SAMPLES = 10
SEED = 7
YEARS = tuple(range(2026, 2036))
ROWS: dict[tuple[str, str, str, str], tuple[float, float]] = {
    ("output_t", "separation", "world", "magnet"): (20_000.0, 100.0),
    ("output_t", "separation", "CN", "magnet"): (18_000.0, 20.0),
    ("output_t", "separation", "KZ", "magnet"): (0.0, 50.0),
    ("china_share", "separation", "world", "all"): (90.0, -0.2),
    ("value_added_musd", "all", "KZ", "all"): (40.0, 1.5),
    ("unmet_demand_t", "end_use", "US", "magnet"): (900.0, -5.0),
    ("unmet_demand_t", "end_use", "EU", "magnet"): (1_200.0, -8.0),
    ("unmet_demand_t", "end_use", "JP", "magnet"): (300.0, -2.0),
    ("unmet_demand_t", "end_use", "KR", "magnet"): (100.0, -1.0),
}
"""(metric, stage, region, element) -> (base, step)."""
TARGETS = pd.DataFrame(
    [
        ("kz-separation-2030", 2030, 0.6),
        ("kz-separation-2030", 2031, 0.7),
        ("kz-separation-2030", 2035, 0.9),
        ("eu-shortfall-2032", 2032, 0.25),
        ("eu-shortfall-2032", 2035, 0.45),
    ],
    columns=["target", "year", "probability_met"],
)
SENSITIVITY = pd.DataFrame(
    [
        ("kz-separation-2030", 2030, "separation_lead_time", "spearman", -0.82, 1),
        ("kz-separation-2030", 2030, "controls", "eta", 0.41, 2),
        ("kz-separation-2030", 2030, "capex_overrun", "spearman", -0.12, 3),
        ("eu-shortfall-2032", 2032, "controls", "eta", 0.66, 1),
        ("eu-shortfall-2032", 2032, "separation_lead_time", "spearman", -0.3, 2),
    ],
    columns=["target", "year", "input", "measure", "score", "rank"],
)
PROBABILITIES = [
    {"target": "kz-separation-2030", "year": 2030, "probability_met": 0.6},
    {"target": "kz-separation-2030", "year": 2035, "probability_met": 0.9},
    {"target": "eu-shortfall-2032", "year": 2032, "probability_met": 0.25},
    {"target": "eu-shortfall-2032", "year": 2035, "probability_met": 0.45},
]


def cube() -> np.ndarray:
    """value(sample, row, year) in :data:`ROWS` order."""
    s = np.arange(SAMPLES)[:, None, None]
    base = np.array([b for b, _ in ROWS.values()])[None, :, None]
    step = np.array([d for _, d in ROWS.values()])[None, :, None]
    t = np.array(YEARS)[None, None, :] - 2025
    return base + step * s * t


def summary() -> pd.DataFrame:
    """Mean and quantiles of every row by year."""
    values = cube()
    records = []
    for r, key in enumerate(ROWS):
        for y, year in enumerate(YEARS):
            v = values[:, r, y]
            records.append((*key, year, v.mean(), *(np.quantile(v, q) for q in (0.1, 0.5, 0.9))))
    columns = ["metric", "stage", "region", "element", "year", "mean", "p10", "p50", "p90"]
    return pd.DataFrame(records, columns=columns)


def write_risk_dir(directory: Path, *, samples_file: bool = True) -> Path:
    """Write the fixture's files into ``directory`` (created); ``samples.nc`` if asked."""
    directory.mkdir(parents=True, exist_ok=True)
    summary().to_csv(directory / "summary.csv", index=False)
    TARGETS.to_csv(directory / "targets.csv", index=False)
    SENSITIVITY.to_csv(directory / "sensitivity.csv", index=False)
    info = {
        "scenario": SCENARIO,
        "samples": SAMPLES,
        "seed": SEED,
        "workers": 1,
        "plan": "expected-value plan",
        "timings": {"plan_s": 1.0, "solve_s": 2.0},
        "probabilities": PROBABILITIES,
    }
    (directory / "risk.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    if samples_file:
        keys = list(ROWS)
        ds = xr.Dataset(
            {"value": (("sample", "row", "year"), cube())},
            coords={
                "sample": list(range(SAMPLES)),
                "year": list(YEARS),
                **{
                    k: ("row", [key[i] for key in keys])
                    for i, k in enumerate(("metric", "stage", "region", "element"))
                },
            },
        )
        ds.to_netcdf(directory / "samples.nc", engine="h5netcdf")
    return directory
