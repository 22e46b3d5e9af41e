"""The ``kazree`` command: one Typer app assembled from one module per command group.

Command modules import their heavy libraries (pandas, xarray, linopy, SQLAlchemy, plotly,
FastAPI) inside the commands, so ``kazree --help`` and quick commands start at once.
"""

from __future__ import annotations

from typing import Annotated

import typer

from kazree.cli import (
    controls,
    data,
    demo,
    exchange,
    finance,
    partners,
    plan,
    report,
    risk,
    run,
    serve,
    validate,
    zones,
)
from kazree.cli.errors import run_app
from kazree.cli.output import CHATTER
from kazree.i18n import DEFAULT_LANGUAGE, ENV_VAR, set_language

app = typer.Typer(
    name="kazree",
    help="Rare-earth value chain: sourced data, supply-chain model, exchange.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def options(
    lang: Annotated[
        str,
        typer.Option(
            "--lang", envvar=ENV_VAR, help="Language of messages: en, ru or kk.", metavar="LANG"
        ),
    ] = DEFAULT_LANGUAGE,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No notes or progress lines on standard error.")
    ] = False,
) -> None:
    """Rare-earth value chain: sourced data, supply-chain model, exchange."""
    set_language(lang)
    CHATTER.quiet = quiet


def main() -> None:
    """Console-script entry point: run the app, turning user errors into one-line messages."""
    run_app(app)


app.add_typer(controls.app, name="controls")
app.add_typer(data.app, name="data")
app.add_typer(exchange.app, name="exchange")
app.command(name="demo")(demo.demo)
app.command(name="run")(run.run)
app.command(name="plan")(plan.plan)
app.command(name="risk")(risk.risk)
app.command(name="compare")(run.compare)
app.command(name="serve")(serve.serve)
app.command(name="report")(report.report)
app.command(name="validate")(validate.validate)
app.command(name="zones")(zones.zones)
app.command(name="finance")(finance.finance)
app.command(name="partners")(partners.partners)
