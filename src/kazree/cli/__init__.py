"""The ``kazree`` command: one Typer app assembled from one module per command group."""

from __future__ import annotations

import typer

from kazree.cli import (
    controls,
    data,
    demo,
    exchange,
    finance,
    partners,
    report,
    run,
    serve,
    validate,
    zones,
)
from kazree.cli.errors import run_app

app = typer.Typer(
    name="kazree",
    help="Rare-earth value chain: sourced data, supply-chain model, exchange.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def main() -> None:
    """Console-script entry point: run the app, turning user errors into one-line messages."""
    run_app(app)


app.add_typer(controls.app, name="controls")
app.add_typer(data.app, name="data")
app.add_typer(exchange.app, name="exchange")
app.command(name="demo")(demo.demo)
app.command(name="run")(run.run)
app.command(name="compare")(run.compare)
app.command(name="serve")(serve.serve)
app.command(name="report")(report.report)
app.command(name="validate")(validate.validate)
app.command(name="zones")(zones.zones)
app.command(name="finance")(finance.finance)
app.command(name="partners")(partners.partners)
