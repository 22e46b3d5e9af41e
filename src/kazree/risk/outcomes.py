"""A risk run's results: every sample's outcome, their quantiles, the odds of each target and
the inputs that move it, and the files ``kazree risk --out DIR`` writes.

- ``samples.nc``: ``value(sample, row, year)`` (row: metric, stage, region, element),
  ``margin`` and ``met`` (sample, target, year), ``capex_musd(sample)``, the numeric draws
  ``inputs(sample, input)`` and each regime's option ``regime_<name>(sample)``.
- ``summary.csv``: ``metric,stage,region,element,year,mean,p10,p50,p90``.
- ``targets.csv``: ``target,year,probability_met`` (years from the target's year on).
- ``sensitivity.csv``: ``target,year,input,measure,score,rank``: for each target in its year,
  the Spearman rank correlation of a numeric input with the target's margin, or the
  correlation ratio (eta) of a regime; rank 1 moves the target most.
- ``risk.json``: the run's settings, timings and the headline probabilities.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr
from scipy.stats import spearmanr

from kazree.outputs import (
    RISK_FILE,
    RISK_SUMMARY_FILE,
    SAMPLES_FILE,
    SENSITIVITY_FILE,
    TARGETS_FILE,
)
from kazree.risk.evaluate import KEYS, Outcome
from kazree.scenario.schema import Scenario

QUANTILES = {"p10": 0.1, "p50": 0.5, "p90": 0.9}
HEADLINE_YEARS = (2030, 2035)
DECIMALS = 6
"""Margins are compared to this many decimals (t, MUSD or a share) when ranking inputs."""


@dataclass(frozen=True)
class RiskResult:
    """The samples of one risk run and what follows from them."""

    scenario: str
    seed: int
    plan: str
    draws: pd.DataFrame
    """One row per sample: the numeric draws and regime options."""
    values: pd.DataFrame
    """Headline metrics: rows (metric, stage, region, element, year), one column per sample."""
    margin: xr.DataArray
    """Achieved minus required (sample, target, year)."""
    met: xr.DataArray
    """1 where a target holds, 0 where it does not, NaN before its year (sample, target, year)."""
    capex_musd: np.ndarray
    regimes: tuple[str, ...]
    timings: dict[str, float] = field(default_factory=dict)

    @classmethod
    def collect(
        cls,
        *,
        scenario: Scenario,
        seed: int,
        draws: pd.DataFrame,
        outcomes: list[Outcome],
        plan: str,
        timings: dict[str, float],
    ) -> RiskResult:
        """Assemble the outcomes of the samples (in sample order)."""
        samples = list(draws.index)
        values = pd.concat([o.metrics for o in outcomes], axis=1, keys=samples).sort_index()
        margins = np.stack([o.margin.to_numpy(dtype=float) for o in outcomes])
        met = np.stack([o.met().to_numpy(dtype=float) for o in outcomes])
        first = outcomes[0].margin
        coords = {
            "sample": samples,
            "target": [str(t) for t in first.index],
            "year": [int(y) for y in first.columns],
        }
        dims = ("sample", "target", "year")
        return cls(
            scenario=scenario.name,
            seed=seed,
            plan=plan,
            draws=draws,
            values=values,
            margin=xr.DataArray(margins, coords=coords, dims=dims),
            met=xr.DataArray(met, coords=coords, dims=dims),
            capex_musd=np.array([o.capex_musd for o in outcomes]),
            regimes=tuple(r.name for r in scenario.uncertain.regimes),
            timings=timings,
        )

    @property
    def samples(self) -> int:
        return len(self.draws)

    def summary(self) -> pd.DataFrame:
        """Mean and P10/P50/P90 of every headline metric by year."""
        frame = pd.DataFrame({"mean": self.values.mean(axis=1)})
        for name, q in QUANTILES.items():
            frame[name] = self.values.quantile(q, axis=1)
        return frame.reset_index()[[*KEYS, "year", "mean", *QUANTILES]]

    def targets(self) -> pd.DataFrame:
        """Probability that each target holds in each year from its year on."""
        probability = self.met.mean("sample", skipna=False).to_series().dropna()
        frame = probability.rename("probability_met").reset_index()
        return frame[["target", "year", "probability_met"]]

    @cached_property
    def target_years(self) -> dict[str, int]:
        """Each target's own year: the first year it applies."""
        applies = self.met.notnull().any("sample").transpose("target", "year").to_numpy()
        years = self.met.coords["year"].values[np.argmax(applies, axis=1)]
        targets = self.met.coords["target"].values
        return {str(t): int(y) for t, y in zip(targets, years, strict=True)}

    def sensitivity(self) -> pd.DataFrame:
        """Influence of each uncertain input on each target's margin in the target's year."""
        rows = []
        for target, year in self.target_years.items():
            # margins within solver noise of each other count as equal
            outcome = np.round(self.margin.sel(target=target, year=year).to_numpy(), DECIMALS)
            scores = [
                (name, measure, score)
                for name in self.draws.columns
                for measure, score in [_influence(self.draws[name], outcome, name in self.regimes)]
                if not math.isnan(score)
            ]
            scores.sort(key=lambda item: (-abs(item[2]), item[0]))
            for rank, (name, measure, score) in enumerate(scores, start=1):
                rows.append([target, year, name, measure, round(score, 6), rank])
        columns = ["target", "year", "input", "measure", "score", "rank"]
        return pd.DataFrame(rows, columns=columns)

    def headline(self) -> pd.DataFrame:
        """Probability of each target in its own year and in :data:`HEADLINE_YEARS`."""
        table = self.targets()
        wanted = [
            (year in HEADLINE_YEARS) or year == self.target_years[target]
            for target, year in zip(table["target"], table["year"], strict=True)
        ]
        return table[wanted].reset_index(drop=True)

    def dataset(self) -> xr.Dataset:
        """``samples.nc``."""
        rows = sorted({key[:4] for key in self.values.index})
        years = sorted(self.values.index.get_level_values("year").unique())
        cube = np.full((self.samples, len(rows), len(years)), np.nan)
        position = {key: i for i, key in enumerate(rows)}
        column = {year: j for j, year in enumerate(years)}
        for index, series in zip(self.values.index, self.values.to_numpy(), strict=True):
            cube[:, position[index[:4]], column[index[4]]] = series
        numeric = [c for c in self.draws.columns if c not in self.regimes]
        data = {
            "value": (("sample", "row", "year"), cube),
            "margin": self.margin,
            "met": self.met,
            "capex_musd": (("sample",), self.capex_musd),
            "inputs": (("sample", "input"), self.draws[numeric].to_numpy(dtype=float)),
        }
        for name in self.regimes:
            data[f"regime_{name}"] = (("sample",), self.draws[name].astype(str).to_numpy())
        coords = {
            "sample": list(self.draws.index),
            "year": years,
            "input": numeric,
            **{k: ("row", [r[i] for r in rows]) for i, k in enumerate(KEYS)},
        }
        ds = xr.Dataset(data, coords=coords)
        ds.attrs.update(scenario=self.scenario, seed=self.seed, plan=self.plan)
        return ds

    def write(self, directory: Path, *, workers: int | None = None) -> None:
        """Write the run's files into ``directory``."""
        directory.mkdir(parents=True, exist_ok=True)
        self.dataset().to_netcdf(directory / SAMPLES_FILE, engine="h5netcdf")
        self.summary().to_csv(directory / RISK_SUMMARY_FILE, index=False)
        self.targets().to_csv(directory / TARGETS_FILE, index=False)
        self.sensitivity().to_csv(directory / SENSITIVITY_FILE, index=False)
        info = {
            "scenario": self.scenario,
            "samples": self.samples,
            "seed": self.seed,
            "plan": self.plan,
            "timings": self.timings,
            "probabilities": self.headline().to_dict("records"),
        }
        if workers is not None:
            info["workers"] = workers
        (directory / RISK_FILE).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")


def _influence(draws: pd.Series, outcome: np.ndarray, regime: bool) -> tuple[str, float]:
    """(measure, score) of one input on an outcome across samples; NaN when either is flat."""
    measure = "eta" if regime else "spearman"
    if np.nanstd(outcome) == 0.0 or draws.nunique() < 2:
        return measure, math.nan
    if regime:
        return measure, _eta(draws.astype(str).to_numpy(), outcome)
    rho = spearmanr(draws.to_numpy(dtype=float), outcome, nan_policy="omit").statistic
    return "spearman", float(rho)


def _eta(groups: np.ndarray, outcome: np.ndarray) -> float:
    """Correlation ratio: the share of the outcome's spread that the groups explain, sqrt."""
    mean = float(np.nanmean(outcome))
    total = float(np.nansum((outcome - mean) ** 2))
    between = sum(
        float(np.sum(groups == g)) * (float(np.nanmean(outcome[groups == g])) - mean) ** 2
        for g in np.unique(groups)
    )
    return math.sqrt(between / total) if total > 0 else math.nan
