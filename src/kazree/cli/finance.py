"""``kazree finance``: a project's cash flows, returns and debt cover under a capital stack."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    import pandas as pd

YEAR_COLUMNS = {
    "year": "year",
    "production_t": "output t",
    "reference_price_usd_per_kg": "price $/kg",
    "revenue_musd": "revenue",
    "ebitda_musd": "EBITDA",
    "income_tax_musd": "CIT",
    "met_musd": "MET",
    "cfads_musd": "CFADS",
    "debt_service_musd": "debt svc",
    "dscr": "DSCR",
    "llcr": "LLCR",
    "equity_cf_musd": "equity CF",
}


def _fmt(value: object, kind: str = "") -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "-"
    if kind == "pct" and isinstance(value, float):
        return f"{value:.1%}"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    return str(value)


def summary_table(summary: Mapping[str, object]) -> Table:
    """The headline figures of one run."""
    table = Table(title=f"Finance: {summary['project']} ({summary['stack']})", show_header=False)
    rows = [
        (f"NPV at {summary['discount_rate']:.0%} real, M US$", _fmt(summary["npv_musd"])),
        ("project IRR (after tax, real)", _fmt(summary["project_irr"], "pct")),
        ("sponsor equity IRR", _fmt(summary["equity_irr"], "pct")),
        ("payback, years from first output", _fmt(summary["payback_years"])),
        ("minimum / average DSCR", f"{_fmt(summary['min_dscr'])} / {_fmt(summary['avg_dscr'])}"),
        ("minimum LLCR", _fmt(summary["min_llcr"])),
        (
            "debt / grant / equity share of capex",
            " / ".join(
                _fmt(summary[k], "pct") for k in ("debt_share", "grant_share", "equity_share")
            ),
        ),
        ("price path", str(summary["prices"])),
    ]
    for label, value in rows:
        table.add_row(label, value)
    return table


def frame_table(frame: pd.DataFrame, title: str, columns: dict[str, str]) -> Table:
    """A rich table of ``frame``'s ``columns`` (name -> header)."""
    table = Table(title=title)
    for i, header in enumerate(columns.values()):
        table.add_column(header, justify="right", no_wrap=i == 0)
    for record in frame[list(columns)].to_dict("records"):
        table.add_row(*(_fmt(v, "pct" if c == "equity_irr" else "") for c, v in record.items()))
    return table


def finance(
    project: Annotated[str, typer.Argument(help="A project YAML or a facility id of the dataset.")],
    stack: Annotated[
        Path | None, typer.Option(help="Capital stack YAML (default: all equity).")
    ] = None,
    offtake: Annotated[Path | None, typer.Option(help="Offtake contracts YAML.")] = None,
    prices: Annotated[
        str,
        typer.Option(help="US$/kg flat, a YAML of year: US$/kg, or a market of the prices table."),
    ] = "market",
    discount_rate: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Real discount rate of the NPV.")
    ] = 0.10,
    out: Annotated[Path | None, typer.Option(help="Write cashflow.csv, summary.json here.")] = None,
    detail: Annotated[
        bool, typer.Option("--detail", help="Also print the yearly cash flows.")
    ] = False,
) -> None:
    """Cash flows, NPV, IRR, payback, DSCR and LLCR of a project under a capital stack."""
    from kazree.data import load_dataset
    from kazree.roadmap.finance.bankability import bankability
    from kazree.roadmap.finance.cashflow import cash_flows
    from kazree.roadmap.finance.inputs import build_case
    from kazree.roadmap.finance.terms import instrument_terms

    dataset = load_dataset()
    case = build_case(dataset, project, stack, offtake, prices, discount_rate)
    result = cash_flows(case)
    compared = bankability(case, instrument_terms(dataset))
    console = Console()
    console.print(summary_table(result.summary))
    headers = {c: c.replace("_", " ") for c in compared.columns}
    title = f"How the stack ({case.stack.name}) and offtakes move bankability"
    console.print(frame_table(compared, title, headers))
    if detail:
        console.print(frame_table(result.years, "Cash flows, million US$ (real)", YEAR_COLUMNS))
    else:
        console.print("Yearly cash flows: --detail prints them, --out writes cashflow.csv.")
    console.print(
        f"Fiscal terms: CIT {case.regime.corporate_income_tax:.0%}, MET as in fiscal_terms.csv "
        f"({', '.join(case.regime.sources)}); stack terms: {', '.join(case.stack.sources) or '-'}",
        highlight=False,
    )
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        result.years.to_csv(out / "cashflow.csv", index=False)
        compared.to_csv(out / "bankability.csv", index=False)
        (out / "summary.json").write_text(json.dumps(result.summary, indent=2) + "\n")
        console.print(
            f"wrote {out / 'cashflow.csv'}, bankability.csv, summary.json", highlight=False
        )
