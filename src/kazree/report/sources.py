"""The sources behind a report: rows of ``sources.csv`` cited by the dataset tables it uses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

REPORT_TABLES: tuple[str, ...] = (
    "facilities",
    "element_distribution",
    "magnet_recipes",
    "demand",
    "demand_growth",
    "sector_elements",
    "prices",
    "capex_benchmarks",
    "lead_times",
    "financing_instruments",
    "mine_production",
    "stage_shares",
    "countries",
    "export_controls",
)
"""Dataset tables whose numbers feed the model runs and plans, the map and the timeline of a
report."""
SOURCE_COLUMNS: tuple[str, ...] = ("id", "title", "publisher", "published", "url", "cited by")


def citing_tables(tables: Mapping[str, pd.DataFrame]) -> dict[str, list[str]]:
    """Source id -> the names of the ``tables`` that cite it (``source`` is ``;``-separated)."""
    cited: dict[str, list[str]] = {}
    for name, table in tables.items():
        ids = {s.strip() for cell in table["source"].dropna() for s in str(cell).split(";")}
        for source_id in sorted(i for i in ids if i):
            cited.setdefault(source_id, []).append(name)
    return cited


MODEL_TABLES: tuple[str, ...] = (
    "facilities",
    "mine_production",
    "element_distribution",
    "demand",
    "prices",
    "export_controls",
)
"""The dataset tables whose numbers drive a model run most directly."""
SHOWN_IDS = 6
"""How many source ids a chart's source line names before "and N more"."""


def cited_ids(tables: Mapping[str, pd.DataFrame], names: Sequence[str]) -> list[str]:
    """The source ids the tables ``names`` cite, sorted."""
    return sorted(citing_tables({n: tables[n] for n in names if n in tables}))


def sources_table(sources: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The rows of ``sources`` cited by ``tables``, with a ``cited by`` column, sorted by id."""
    cited = citing_tables(tables)
    rows = sources[sources["id"].isin(list(cited))].sort_values("id").copy()
    rows["cited by"] = [", ".join(cited[i]) for i in rows["id"]]
    return rows.reindex(columns=list(SOURCE_COLUMNS)).fillna("").reset_index(drop=True)


def as_text_rows(table: pd.DataFrame, columns: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    """Table cells as text, in ``columns`` order."""
    return tuple(tuple(str(v) for v in row) for row in table[list(columns)].itertuples(index=False))
