"""``kazree controls``: the export-control rules in force on a date, as a table or JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from kazree.chain.elements import element as find_element
from kazree.chain.elements import symbols
from kazree.data.controls_schema import ALL, ExportControlRow
from kazree.errors import KazreeError
from kazree.policy.rules import dataset_rules
from kazree.policy.status import RuleOnDate, RuleStatus, rules_on

_STATUS_STYLE = {
    RuleStatus.IN_FORCE: "bold red",
    RuleStatus.SUSPENDED: "yellow",
    RuleStatus.NOT_YET_EFFECTIVE: "cyan",
    RuleStatus.EXPIRED: "dim",
}


def parse_exporter(value: str, rules: Sequence[ExportControlRow]) -> str:
    """The ISO code in ``value`` (any case) if the rule table has rules for it."""
    allowed = sorted({r.exporter for r in rules})
    code = value.strip().upper()
    if code not in allowed:
        msg = (
            f"--exporter {value!r}: no export-control rules for it (allowed: {', '.join(allowed)})"
        )
        raise KazreeError(msg)
    return code


def parse_date(value: str | None) -> date:
    """The date in ``value`` (``YYYY-MM-DD``); today when ``None``."""
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        msg = f"--on {value!r}: not a date (allowed: YYYY-MM-DD, e.g. 2025-06-01)"
        raise KazreeError(msg) from None


def parse_element(value: str) -> str:
    """The element symbol in ``value`` (any case)."""
    try:
        return find_element(value).symbol
    except ValueError:
        msg = f"--element {value!r}: unknown element (allowed: {', '.join(symbols())})"
        raise KazreeError(msg) from None


def _codes(codes: tuple[str, ...]) -> str:
    """Codes for display: ``all`` for the wildcard, ``-`` for none."""
    if codes == (ALL,):
        return "all"
    return ", ".join(codes) or "-"


def render_table(listed: Sequence[RuleOnDate], title: str, *, with_exporter: bool) -> Table:
    """A rich table of the listed rules, one row each."""
    table = Table(title=title, show_lines=False)
    headers = ["exporter"] if with_exporter else []
    headers += ["instrument", "elements", "forms", "destinations", "status", "effective", "until"]
    for header in headers:
        fixed = header in {"exporter", "status", "effective", "until"}
        table.add_column(header, overflow="fold", no_wrap=fixed, ratio=None if fixed else 1)
    for item in listed:
        rule = item.rule
        status = item.status.value.replace("_", " ")
        if item.suspended_by:
            status += f" (by {', '.join(item.suspended_by)})"
        cells = [rule.exporter] if with_exporter else []
        cells += [
            rule.instrument,
            _codes(rule.elements),
            _codes(rule.forms),
            _codes(rule.destinations),
            f"[{_STATUS_STYLE[item.status]}]{status}[/]",
            rule.effective.isoformat() if rule.effective else "before source",
            rule.until.isoformat() if rule.until else "open",
        ]
        table.add_row(*cells)
    return table


app = typer.Typer(help="Export-control rules in force on a date.", add_completion=False)


@app.callback(invoke_without_command=True)
def controls(
    exporter: Annotated[
        str | None, typer.Option(help="Exporting country, ISO 3166 alpha-2 (default: all).")
    ] = None,
    on: Annotated[str | None, typer.Option(help="Date, YYYY-MM-DD (default: today).")] = None,
    element: Annotated[
        str | None, typer.Option(help="Only rules covering this element, e.g. Dy.")
    ] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="Also list rules not yet effective and expired.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list of rules.")] = False,
) -> None:
    """List the export-control rules in force (or suspended) on a date."""
    rules = dataset_rules()
    code = parse_exporter(exporter, rules) if exporter is not None else None
    day = parse_date(on)
    symbol = parse_element(element) if element is not None else None
    listed = rules_on(rules, day, exporter=code, element=symbol, include_all=show_all)
    if as_json:
        typer.echo(json.dumps([item.as_record() for item in listed], indent=2))
        return
    scope = " ".join(part for part in (code or "all exporters", symbol) if part)
    console = Console()
    console.print(
        render_table(listed, f"Export controls: {scope} on {day}", with_exporter=not code)
    )
    if not listed:
        console.print("No rules listed; --all also shows rules not yet effective and expired.")
