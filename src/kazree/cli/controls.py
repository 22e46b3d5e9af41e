"""``kazree controls``: the export-control rules in force on a date, as a table, CSV or JSON.

Reads only the rule and country tables, so it answers without loading the rest of the dataset.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from kazree.cli.formats import FormatOpt, OutputFormat
from kazree.cli.output import err, out
from kazree.cli.tables import Column, print_table
from kazree.data.rule_words import kind_text
from kazree.errors import KazreeError
from kazree.i18n import _, country_name, format_date, format_percent

if TYPE_CHECKING:
    from kazree.data.controls_schema import ExportControlRow
    from kazree.policy.status import RuleOnDate

_STATUS_STYLE = {
    "in_force": "bold red",
    "suspended": "yellow",
    "not_yet_effective": "cyan",
    "expired": "dim",
}
NO_SHARE = ("suspension",)
"""Kinds whose licence share means nothing (a suspension lets everything through)."""


def countries() -> dict[str, str]:
    """ISO code -> name of every country of the embedded dataset (its ``countries.csv``)."""
    from kazree.data.reading import embedded_root

    text = (embedded_root() / "countries.csv").read_text(encoding="utf-8-sig")
    return {row["code"]: row["name"] for row in csv.DictReader(io.StringIO(text))}


def dataset_rules() -> tuple[ExportControlRow, ...]:
    """The embedded rule table, read alone so that the command answers at once."""
    from kazree.policy.rules import embedded_rules

    return embedded_rules()


def parse_exporter(value: str, known: dict[str, str]) -> str:
    """The ISO code in ``value`` (any case) if the dataset knows the country."""
    code = value.strip().upper()
    if code not in known:
        msg = _("--exporter {value}: not a country of the dataset (allowed: {codes})").format(
            value=repr(value), codes=", ".join(sorted(known))
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
        msg = _("--on {value}: not a date (allowed: YYYY-MM-DD, e.g. 2025-06-01)").format(
            value=repr(value)
        )
        raise KazreeError(msg) from None


def parse_element(value: str) -> str:
    """The element symbol in ``value`` (any case)."""
    from kazree.chain.elements import element as find_element
    from kazree.chain.elements import symbols

    try:
        return find_element(value).symbol
    except ValueError:
        msg = _("--element {value}: unknown element (allowed: {symbols})").format(
            value=repr(value), symbols=", ".join(symbols())
        )
        raise KazreeError(msg) from None


def _codes(codes: tuple[str, ...]) -> str:
    """Codes for display: ``all`` for the wildcard, ``-`` for none."""
    from kazree.data.controls_schema import ALL

    if codes == (ALL,):
        return _("all")
    return ", ".join(codes) or "-"


def status_text(item: RuleOnDate) -> str:
    """The rule's status in words, naming the suspensions that switch it off."""
    words = {
        "in_force": _("in force"),
        "suspended": _("suspended"),
        "not_yet_effective": _("not yet effective"),
        "expired": _("expired"),
    }[item.status.value]
    if item.suspended_by:
        return _("{status} (by {rules})").format(status=words, rules=", ".join(item.suspended_by))
    return words


def share_text(rule: ExportControlRow) -> str:
    """The licence share the model applies to trade, as a percentage; ``-`` where it applies
    none (a suspension, or a rule on technology, equipment or non-REE items only)."""
    from kazree.chain.forms import Form
    from kazree.data.controls_schema import ALL

    products = {f.value for f in Form}
    on_trade = rule.forms == (ALL,) or not products.isdisjoint(rule.forms)
    if rule.kind.value in NO_SHARE or not on_trade:
        return "-"
    return format_percent(rule.licence_share)


def table_columns(*, with_exporter: bool) -> list[Column]:
    """The columns of the table, most important first by rank."""
    columns = [Column(_("exporter"), rank=1)] if with_exporter else []
    return [
        *columns,
        Column(_("instrument"), wrap=True),
        Column(_("type"), rank=1),
        Column(_("licence share"), justify="right", rank=1),
        Column(_("status"), wrap=True),
        Column(_("elements"), wrap=True, rank=2),
        Column(_("effective"), rank=2),
        Column(_("until"), rank=3),
        Column(_("forms"), wrap=True, rank=4),
        Column(_("destinations"), wrap=True, rank=4),
    ]


def table_row(item: RuleOnDate, *, with_exporter: bool) -> list[str | Text]:
    """One rule as table cells."""
    rule = item.rule
    cells: list[str | Text] = [rule.exporter] if with_exporter else []
    return [
        *cells,
        rule.instrument,
        kind_text(rule.kind.value),
        share_text(rule),
        Text(status_text(item), style=_STATUS_STYLE[item.status.value]),
        _codes(rule.elements),
        format_date(rule.effective) if rule.effective else _("before source"),
        format_date(rule.until) if rule.until else _("open"),
        _codes(rule.forms).replace("_", " "),
        _codes(rule.destinations),
    ]


def csv_text(listed: Sequence[RuleOnDate]) -> str:
    """The listed rules as CSV, lists joined with ``;``, dates ``YYYY-MM-DD``."""
    records = [item.as_record() for item in listed]
    buffer = io.StringIO()
    fields = list(records[0]) if records else ["id"]
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: ";".join(v) if isinstance(v, list) else v for k, v in record.items()})
    return buffer.getvalue()


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
    fmt: FormatOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
) -> None:
    """List the export-control rules in force (or suspended) on a date, with the licence share
    the model applies to each."""
    from kazree.policy.status import rules_on

    known = countries()
    code = parse_exporter(exporter, known) if exporter is not None else None
    day = parse_date(on)
    symbol = parse_element(element) if element is not None else None
    rules = dataset_rules()
    listed = rules_on(rules, day, exporter=code, element=symbol, include_all=show_all)
    chosen = OutputFormat.JSON if as_json else (fmt or OutputFormat.TABLE)
    if chosen is OutputFormat.JSON:
        typer.echo(json.dumps([item.as_record() for item in listed], indent=2))
        return
    if chosen is OutputFormat.CSV:
        typer.echo(csv_text(listed), nl=False)
        return
    if not listed:
        out().print(_empty_answer(rules, code, known, symbol, day))
        return
    scope = ", ".join(part for part in (code or _("all exporters"), symbol) if part)
    title = _("Export controls: {scope} on {date}").format(scope=scope, date=format_date(day))
    columns = table_columns(with_exporter=code is None)
    rows = [table_row(item, with_exporter=code is None) for item in listed]
    hidden = print_table(out(), title, columns, rows)
    if hidden:
        err().print(
            _(
                "({count} columns left out to fit the terminal: {columns}; --format csv shows all)"
            ).format(count=len(hidden), columns=", ".join(hidden))
        )


def _empty_answer(
    rules: Sequence[ExportControlRow],
    code: str | None,
    known: dict[str, str],
    symbol: str | None,
    day: date,
) -> str:
    """The sentence printed when no rule is listed."""
    if code is not None and not any(r.exporter == code for r in rules):
        return _(
            "No export-control rules in force for {country} ({code}) on {date}: "
            "the dataset has no rule for this exporter."
        ).format(country=country_name(code, known[code]), code=code, date=format_date(day))
    scope = ", ".join(part for part in (code or _("any exporter"), symbol) if part)
    return _(
        "No export-control rules in force for {scope} on {date}; --all also lists rules "
        "not yet effective and expired."
    ).format(scope=scope, date=format_date(day))
