"""Facilities of a run and their capacity by year, on the model's basis for their stage."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from kazree.chain.forms import Stage
from kazree.data import Dataset
from kazree.errors import KazreeError
from kazree.scenario.schema import Scenario

NDPR_SHARE_OF_FEED = 0.25
"""NdPr share of the feed of a plant in a country without mines, converting ``t_ndpr_oxide``
capacities (Mt Weld and Bayan Obo concentrates hold 23-25 % NdPr, ``element_distribution``)."""
NDPR = ["Nd", "Pr"]

MODEL_BASIS = {
    Stage.MINING.value: "t_reo",
    Stage.CRACKING.value: "t_reo",
    Stage.SEPARATION.value: "t_reo_feed",
    Stage.METAL.value: "t_metal",
    Stage.MAGNET.value: "t_magnet",
}
_STAGE_BASES = {
    Stage.MINING.value: {"t_reo", "t_ndpr_oxide", "t_ore"},
    Stage.CRACKING.value: {"t_reo", "t_ndpr_oxide", "t_hree_feed"},
    Stage.SEPARATION.value: {"t_reo", "t_ndpr_oxide", "t_hree_feed"},
    Stage.METAL.value: {"t_metal", "t_reo"},
    Stage.MAGNET.value: {"t_magnet"},
}
COLUMNS = [
    "country",
    "stage",
    "basis",
    "ore",
    "capacity_t",
    "start_year",
    "status",
    "grade_pct",
    "ramp_up_years",
    "declared",
    "part_of",
    "risk_weight",
]
"""``declared``: the scenario adds the facility (its premise: counted without a risk weight);
``part_of``: the aggregate that counts the plant's base-year output (:func:`capacity_by_year`);
``risk_weight``: the share of its capacity counted (its status's ``availability``, 1 if declared).
"""


def facility_table(
    scenario: Scenario, ds: Dataset, known_ores: list[str], notes: list[str]
) -> pd.DataFrame:
    """Facilities of the run (dataset rows plus inline ones), indexed by id.

    Plants counted inside a country aggregate keep its id in ``part_of``. Raises a one-line
    error for a country or deposit type the dataset lacks.
    """
    table = ds.table("facilities")
    rows = pd.DataFrame(
        {
            "id": table["id"],
            "country": table["country"],
            "stage": table["stage"],
            "basis": table["capacity_basis"],
            "ore": table["deposit_type"],
            "capacity_t": table["capacity_t"],
            "start_year": table["start_year"],
            "status": table["status"],
            "grade_pct": np.nan,
            "ramp_up_years": np.nan,
            "declared": False,
            "part_of": table["part_of"],
        }
    )
    inline = pd.DataFrame(
        [
            {
                "id": f.id,
                "country": f.country,
                "stage": f.stage.value,
                "basis": f.capacity_basis.value,
                "ore": f.deposit_type,
                "capacity_t": f.capacity_t,
                "start_year": f.start_year,
                "status": f.status.value,
                "grade_pct": f.grade_pct_treo,
                "ramp_up_years": f.ramp_up_years,
                "declared": True,
                "part_of": None,
            }
            for f in scenario.facilities
        ],
        columns=["id", *COLUMNS],
    )
    frames = [f for f in (rows, inline) if not f.empty]
    merged = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    merged = merged.drop_duplicates("id", keep="last").set_index("id")
    merged = merged[merged["stage"] != Stage.END_USE.value]
    _check(scenario, ds, merged, known_ores)
    is_mine = merged["stage"] == Stage.MINING.value
    merged.loc[is_mine, "ore"] = merged.loc[is_mine, "ore"].fillna(scenario.default_deposit_type)
    merged.loc[~is_mine, "ore"] = None
    availability = {status.value: share for status, share in scenario.availability.items()}
    weights = merged["status"].map(lambda status: availability.get(status, 0.0)).astype(float)
    merged["risk_weight"] = weights.where(~merged["declared"].astype(bool), 1.0)
    for fid, row in merged.iterrows():
        if pd.isna(row["capacity_t"]):
            notes.append(f"facility {fid!r}: capacity unknown, given none")
    return merged[COLUMNS]


def _check(scenario: Scenario, ds: Dataset, table: pd.DataFrame, known_ores: list[str]) -> None:
    origin = scenario.origin
    countries = set(ds.table("countries")["code"])
    for fid, row in table.iterrows():
        where = f"{origin}: facilities: {fid!r}"
        if row["country"] not in countries:
            msg = (
                f"{where}: country {row['country']!r} is not in countries.csv (allowed: its codes)"
            )
            raise KazreeError(msg)
        ore = row["ore"]
        if isinstance(ore, str) and row["stage"] == Stage.MINING.value and ore not in known_ores:
            msg = (
                f"{where}: deposit_type {ore!r} has no element distribution"
                f" (allowed: {', '.join(known_ores)})"
            )
            raise KazreeError(msg)
        capacity = row["capacity_t"]
        if not pd.isna(capacity) and float(capacity) < 0:
            msg = f"{where}: capacity_t {capacity!r} is negative (allowed: >= 0)"
            raise KazreeError(msg)
        if row["basis"] not in _STAGE_BASES[row["stage"]]:
            allowed = ", ".join(sorted(_STAGE_BASES[row["stage"]]))
            msg = (
                f"{where}: capacity_basis {row['basis']!r} for {row['stage']} (allowed: {allowed})"
            )
            raise KazreeError(msg)


def local_ndpr_share(facilities: pd.DataFrame, composition: xr.DataArray) -> dict[str, float]:
    """NdPr share of each country's mine output (t REO capacities as weights), by country."""
    mines = facilities[
        (facilities["stage"] == Stage.MINING.value)
        & (facilities["basis"] == "t_reo")
        & facilities["capacity_t"].notna()
    ]
    ndpr = composition.sel(element=NDPR).sum("element").to_series()
    out: dict[str, float] = {}
    for country, group in mines.groupby("country"):
        weights = group["capacity_t"].to_numpy(float)
        shares = group["ore"].map(ndpr).to_numpy(float)
        if weights.sum() > 0:
            out[str(country)] = float(weights @ shares / weights.sum())
    return out


def model_capacity_t(
    row: pd.Series, composition: xr.DataArray, ndpr_share: dict[str, float]
) -> float:
    """A facility's capacity on the model basis of its stage (0 when it cannot be converted).

    ``t_ndpr_oxide`` plants treat their own country's ore (``ndpr_share``), or a feed of
    :data:`NDPR_SHARE_OF_FEED` where the country has no mines.
    """
    capacity = row["capacity_t"]
    if pd.isna(capacity):
        return 0.0
    value, basis = float(capacity), row["basis"]
    if basis == "t_ndpr_oxide":
        if row["stage"] == Stage.MINING.value:
            ndpr = float(composition.sel(ore=row["ore"], element=NDPR).sum())
            return value / ndpr if ndpr > 0 else 0.0
        return value / ndpr_share.get(row["country"], NDPR_SHARE_OF_FEED)
    if basis == "t_ore":
        grade = row["grade_pct"]
        return 0.0 if pd.isna(grade) else value * float(grade) / 100.0
    return value


def base_year(scenario: Scenario, years: list[int]) -> int:
    """The data's base year (the price deck's), or the first modelled year if earlier: start
    delays, ramp-ups, growth paths and ``other`` demand count from it, so a year's inputs do not
    depend on where a run begins."""
    return min(years[0], scenario.demand.price_year)


def start_years(scenario: Scenario, facilities: pd.DataFrame, base: int) -> np.ndarray:
    """First year of each facility: its own, or the base year plus its status's delay
    (``supply.start_delay_years``; NaN: never) where the data gives none and it is not running.
    """
    delays = {s.value: d for s, d in scenario.supply.start_delay_years.items()}
    out = facilities["start_year"].to_numpy(dtype=float, na_value=np.nan).copy()
    for i, status in enumerate(facilities["status"]):
        if np.isnan(out[i]) and status != "operating":
            delay = delays.get(status)
            out[i] = np.nan if delay is None else float(base + delay)
    return out


def growth_factor(scenario: Scenario, facilities: pd.DataFrame, years: list[int]) -> np.ndarray:
    """Multiplier (facility, year) of the scenario's growth paths on base-year plants.

    A path grows a country's plants of one stage that run in the base year (operating, started
    by then, not counted inside an aggregate) by ``pct_per_year`` from ``from_year`` to
    ``to_year``.
    """
    out = np.ones((len(facilities), len(years)))
    base = base_year(scenario, years)
    year_arr = np.asarray(years)
    running = (
        (facilities["status"] == "operating")
        & ~(facilities["start_year"].astype(float) > base)
        & facilities["part_of"].isna()
    )
    for path in scenario.supply.growth:
        hit = (
            running
            & (facilities["country"] == path.country)
            & (facilities["stage"] == path.stage.value)
        ).to_numpy()
        grown = np.clip(np.minimum(year_arr, path.to_year) - path.from_year + 1, 0, None)
        out[hit] *= (1.0 + path.pct_per_year / 100.0) ** grown
    return out


def _risked_capacity(
    scenario: Scenario, facilities: pd.DataFrame, composition: xr.DataArray, years: list[int]
) -> np.ndarray:
    """Risk-weighted, ramped capacity (facility, year) before growth paths and aggregates."""
    year_arr = np.asarray(years, dtype=float)
    ndpr_share = local_ndpr_share(facilities, composition)
    base = base_year(scenario, years)
    starts = start_years(scenario, facilities, base)
    out = np.zeros((len(facilities), len(years)))
    for i, (_, row) in enumerate(facilities.iterrows()):
        full = model_capacity_t(row, composition, ndpr_share) * float(row["risk_weight"])
        start = starts[i]
        if pd.isna(start):
            out[i] = full if row["status"] == "operating" else 0.0
            continue
        own = row["ramp_up_years"]
        ramp_years = scenario.ramp_up_years if pd.isna(own) else int(own)
        if start <= base:
            ramp_years = 0
        out[i] = full * np.clip((year_arr - float(start) + 1) / (ramp_years + 1), 0.0, 1.0)
    return out


def capacity_by_year(
    scenario: Scenario,
    facilities: pd.DataFrame,
    composition: xr.DataArray,
    years: list[int],
    *,
    grow: bool = True,
) -> xr.DataArray:
    """Capacity (facility, year) on the model basis.

    The published capacity times the facility's ``risk_weight`` (:func:`facility_table`), from
    its start year (:func:`start_years`); a facility starting after
    the base year ramps linearly to full capacity over ``ramp_up_years``; base-year plants
    follow the scenario's growth paths (:func:`growth_factor`) unless ``grow`` is false.
    A plant inside a country aggregate (``part_of``) counts only what it adds after the base
    year (a later start, an expansion, its ramp-up): the aggregate carries its base-year output.
    """
    out = _risked_capacity(scenario, facilities, composition, years)
    if grow:
        out *= growth_factor(scenario, facilities, years)
    inside = facilities["part_of"].notna().to_numpy()
    if inside.any():
        first = [base_year(scenario, years)]
        base = _risked_capacity(scenario, facilities, composition, first)[:, 0]
        out[inside] = np.clip(out[inside] - base[inside, None], 0.0, None)
    return xr.DataArray(
        out,
        coords={"facility": list(facilities.index), "year": years},
        dims=("facility", "year"),
    )
