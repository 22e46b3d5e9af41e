"""``kazree zones``: rank Kazakh deposits and processing sites, with rank robustness."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    import pandas as pd

    from kazree.roadmap.zones import ZoneRanking

FILES = {
    "ranking": "zones.csv",
    "shares": "zone_rank_shares.csv",
    "criteria": "zone_criteria_used.csv",
    "unused": "zone_criteria_unused.csv",
}


def _share(value: object) -> str:
    """A share as a whole percent; ``-`` when there were no weight samples."""
    share = float(str(value))
    return "-" if share != share else f"{share:.0%}"


def _table(kind: str, ranking: pd.DataFrame, methods: list[str], samples: int) -> Table:
    table = Table(title=f"Priority zones: {kind} sites ({samples} weight samples)")
    table.add_column("site", no_wrap=True)
    for method in methods:
        label = method.upper()
        for header in ("rank", "1st", "top 3"):
            table.add_column(f"{label}\n{header}", justify="right", min_width=6)
    table.add_column("gaps", justify="right")
    wide = ranking.pivot(index="site", columns="method")
    order = wide[("rank", methods[0])].sort_values(kind="stable").index
    for site in order:
        cells = [site]
        for method in methods:
            cells += [
                str(wide.loc[site, ("rank", method)]),
                _share(wide.loc[site, ("first_share", method)]),
                _share(wide.loc[site, ("top3_share", method)]),
            ]
        cells.append(str(wide.loc[site, ("gaps", methods[0])]))
        table.add_row(*cells)
    return table


def print_ranking(console: Console, result: ZoneRanking, methods: list[str]) -> None:
    """One table per kind of site, then the criteria that could not change the ranking."""
    for kind, ranking in result.ranking.groupby("kind", sort=False):
        console.print(_table(str(kind), ranking, methods, result.samples))
        unused = result.unused[result.unused["kind"] == kind]
        if len(unused):
            listed = "; ".join(f"{r.criterion} ({r.reason})" for r in unused.itertuples())
            console.print(f"Not used for {kind} sites: {listed}", highlight=False)
    console.print(
        "gaps: criteria without a sourced value for the site (they take the worst value "
        "among the sites); 1st / top 3: share of weight samples in which the site ranks there; "
        "scores are in zones.csv (--out).",
        highlight=False,
    )


def write_ranking(result: ZoneRanking, out: Path) -> list[Path]:
    """Write the ranking, rank shares, criteria used and criteria unused as CSV files."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for attr, name in FILES.items():
        path = out / name
        getattr(result, attr).to_csv(path, index=False)
        written.append(path)
    return written


def zones(
    weights: Annotated[
        Path | None, typer.Option(help="Weights YAML (default: kazree's, see the docs).")
    ] = None,
    method: Annotated[
        list[str] | None, typer.Option(help="MCDA method, repeatable: wsm, topsis (default both).")
    ] = None,
    samples: Annotated[
        int, typer.Option(min=0, max=100_000, help="Weight samples for rank robustness.")
    ] = 1000,
    seed: Annotated[int, typer.Option(help="Seed of the weight samples.")] = 0,
    out: Annotated[Path | None, typer.Option(help="Write the ranking CSV files here.")] = None,
) -> None:
    """Rank Kazakh deposits and processing sites by sourced criteria (weighted sum, TOPSIS)."""
    from kazree.data import load_dataset
    from kazree.errors import KazreeError
    from kazree.roadmap.zones import default_weights, load_weights, rank_zones
    from kazree.roadmap.zones.rank import Method

    allowed = [m.value for m in Method]
    chosen = method or allowed
    bad = [m for m in chosen if m not in allowed]
    if bad:
        msg = f"--method {bad[0]!r}: unknown method (allowed: {', '.join(allowed)})"
        raise KazreeError(msg)
    zone_weights = default_weights() if weights is None else load_weights(weights)
    result = rank_zones(
        load_dataset(), zone_weights, [Method(m) for m in chosen], samples=samples, seed=seed
    )
    console = Console()
    print_ranking(console, result, chosen)
    if out is not None:
        for path in write_ranking(result, out):
            console.print(f"wrote {path}", highlight=False)
