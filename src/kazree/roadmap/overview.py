"""The roadmap's instruments on one solved roadmap scenario, as tables for the demo and report.

Zones come from the dataset (weighted sum, robustness over sampled weights); finance from the
shipped roadmap projects under the development-finance stack and the NdPr floor offtake;
footprint and binding safeguards from the run's results; partner attribution from a shipped
consortium applied to the run. Until a plan chooses the projects, the finance rows are the
shipped project files (``scenarios/roadmap/projects``), which stand for the scenario's plants.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import pandas as pd
import xarray as xr

from kazree.data import Dataset
from kazree.metrics.catalogue import UNITS
from kazree.metrics.environment import FOOTPRINT_METRICS, binding_safeguards
from kazree.roadmap.finance.cashflow import cash_flows
from kazree.roadmap.finance.inputs import build_case
from kazree.roadmap.partnerships import (
    attribution,
    contracted_offtake,
    export_concentration,
    load_consortium,
)
from kazree.roadmap.zones import default_weights, rank_zones
from kazree.roadmap.zones.rank import Method
from kazree.roadmap.zones.sites import site_locations

ROADMAP_FILES = Path(str(files("kazree.scenario") / "files" / "roadmap"))
STACK = ROADMAP_FILES / "stacks" / "blended.yaml"
OFFTAKES = ROADMAP_FILES / "offtakes" / "ndpr-floor.yaml"
CONSORTIUM = "technopolis"
HOME = "KZ"
OXIDE = "separation"
TOP = 3
SAMPLES = 200
ZONE_COLUMNS = ("kind", "site", "name", "score", "rank", "first_share", "top3_share", "lat", "lon")
"""Weight samples for the robustness shares (the ``zones`` command's default is 1,000)."""


@dataclass(frozen=True)
class RoadmapOverview:
    """One table per instrument, for one roadmap run and year."""

    year: int
    zones: pd.DataFrame
    """``ZONE_COLUMNS`` of every ranked site (:func:`zone_table`)."""
    finance: pd.DataFrame
    """project, stack, debt_share, grant_share, equity_share, npv_musd, project_irr,
    equity_irr, min_dscr."""
    footprint: pd.DataFrame
    """metric, stage, value, unit: the home country's footprint in ``year``."""
    safeguards: pd.DataFrame
    """The binding safeguards (``binding_safeguards``) over the run."""
    partners: pd.DataFrame
    """partner, country, equity_pct, oxide_t, value_added_musd, offtake_t in ``year``."""
    concentration: pd.DataFrame
    """year, flow_hhi, offtake_hhi of the home country."""
    consortium: str
    sources: tuple[str, ...]
    """Source ids behind the finance figures and the footprint coefficients."""


def zone_table(dataset: Dataset, samples: int = SAMPLES) -> pd.DataFrame:
    """Every Kazakh site by weighted sum, best first within its kind, with its robustness
    shares and where its sources place it (NaN: nowhere)."""
    result = rank_zones(dataset, default_weights(), [Method.WSM], samples=samples, seed=0)
    ranking = result.ranking.sort_values(["kind", "rank"], kind="stable")
    located = ranking.merge(site_locations(dataset), on="site", how="left")
    return located[list(ZONE_COLUMNS)].reset_index(drop=True)


def best_zones(zones: pd.DataFrame, top: int = TOP) -> pd.DataFrame:
    """The sites of :func:`zone_table` ranked in the first ``top`` of their kind."""
    return zones[zones["rank"] <= top].reset_index(drop=True)


def roadmap_projects() -> list[Path]:
    """The shipped roadmap project files."""
    return sorted((ROADMAP_FILES / "projects").glob("*.yaml"))


def finance_table(dataset: Dataset) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Headline finance of every roadmap project under the shipped stack and offtake."""
    rows, sources = [], set()
    for path in roadmap_projects():
        case = build_case(dataset, str(path), STACK, OFFTAKES)
        summary = cash_flows(case).summary
        stack = case.stack
        rows.append(
            {
                "project": case.project.name or case.project.id,
                "stack": stack.name,
                "debt_share": sum(d.share for d in stack.debts),
                "grant_share": stack.grant_share,
                "equity_share": stack.equity_share,
                "npv_musd": summary["npv_musd"],
                "project_irr": summary["project_irr"],
                "equity_irr": summary["equity_irr"],
                "min_dscr": summary["min_dscr"],
            }
        )
        sources |= {s for s in case.project.source.split(";") if s} | set(stack.sources)
    return pd.DataFrame(rows), tuple(sorted(sources))


def home_footprint(ds: xr.Dataset, year: int, home: str = HOME) -> pd.DataFrame:
    """metric, stage, value, unit: the home country's footprint in ``year`` (stages with
    any), under its ``metrics.csv`` name and unit."""
    if "footprint" not in ds or home not in ds.coords["country"].values:
        return pd.DataFrame(columns=["metric", "stage", "value", "unit"])
    at = ds["footprint"].sel(country=home, year=year)
    frame = at.to_dataframe(name="value").reset_index()[["metric", "stage", "value"]]
    frame = frame[frame["value"] > 0]
    metric = frame["metric"].map(FOOTPRINT_METRICS)
    return frame.assign(metric=metric, unit=metric.map(UNITS)).reset_index(drop=True)


def partner_table(ds: xr.Dataset, year: int, consortium: str = CONSORTIUM) -> pd.DataFrame:
    """Each partner's equity, its equity share of the covered plants' separated oxide and of
    their value added (all stages), and its contracted offtake in ``year``."""
    terms = load_consortium(consortium)
    got = attribution(terms, ds)
    got = got[got["year"] == year]
    oxide = got[got["stage"] == OXIDE].groupby("partner")["output_t"].sum()
    added = got.groupby("partner")["value_added_musd"].sum()
    contracts = contracted_offtake(terms, ds)
    taken = contracts[contracts["year"] == year].groupby("partner")["offtake_t"].sum()
    rows = [
        {
            "partner": p.name,
            "country": p.country,
            "equity_pct": p.equity_pct,
            "oxide_t": float(oxide.to_dict().get(p.id, 0.0)),
            "value_added_musd": float(added.to_dict().get(p.id, 0.0)),
            "offtake_t": float(taken.to_dict().get(p.id, 0.0)),
        }
        for p in terms.partners
    ]
    return pd.DataFrame(rows)


def roadmap_overview(dataset: Dataset, ds: xr.Dataset, year: int) -> RoadmapOverview:
    """Every instrument's table for the roadmap run ``ds`` in ``year``."""
    finance, finance_sources = finance_table(dataset)
    footprint_sources = {
        s for cell in dataset.table("footprints")["source"] for s in str(cell).split(";")
    }
    return RoadmapOverview(
        year=year,
        zones=zone_table(dataset),
        finance=finance,
        footprint=home_footprint(ds, year),
        safeguards=binding_safeguards(ds),
        partners=partner_table(ds, year),
        concentration=export_concentration(load_consortium(CONSORTIUM), ds),
        consortium=load_consortium(CONSORTIUM).name,
        sources=tuple(sorted(set(finance_sources) | footprint_sources)),
    )
