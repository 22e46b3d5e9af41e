"""``kazree serve``: the exchange service (FastAPI on uvicorn)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from kazree.errors import KazreeError


def serve(
    db: Annotated[
        str | None,
        typer.Option(help="Journal database: sqlite:///PATH.db or postgresql://USER@HOST/DB"),
    ] = None,
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    demo: Annotated[
        bool, typer.Option(help="Create a demo market first and print its API keys")
    ] = False,
    rate_per_s: Annotated[
        float, typer.Option(help="Sustained requests a second allowed per API key")
    ] = 200.0,
) -> None:
    """Run the exchange's HTTP and WebSocket API until interrupted (Ctrl-C drains and flushes)."""
    import uvicorn  # the web stack loads only for this command

    from kazree.api import logs
    from kazree.api.app import create_app
    from kazree.api.server import uvicorn_options
    from kazree.venue.demo import AUCTIONS, install_demo
    from kazree.venue.schedule import hh_mm
    from kazree.venue.settings import Settings

    if rate_per_s <= 0:
        msg = f"--rate-per-s {rate_per_s}: must be a positive number of requests a second"
        raise KazreeError(msg)
    url = db
    if demo:
        if url is None:
            url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='kazree-demo-')) / 'exchange.db'}"
        keys = install_demo(url, auctions=True)
        console = Console(highlight=False)
        console.print(f"demo market on {url}; API keys, shown only now:")
        width = max(map(len, keys))
        for participant, key in keys.items():
            print(f"  {participant:<{width}}  {key}")
        for a in AUCTIONS:
            days = ",".join(a.day_names)
            console.print(
                f"call auction on {a.instrument}: {hh_mm(a.opens)}-{hh_mm(a.uncross)} UTC, {days}"
            )
    logs.configure()
    settings = Settings(
        db_url=url or Settings().db_url, rate_per_s=rate_per_s, burst=max(1, int(2 * rate_per_s))
    )
    _check_journal(settings.db_url)
    app = create_app(settings)
    uvicorn.run(
        app,
        host=host,
        port=port,
        loop="uvloop",
        access_log=False,
        log_config=None,
        timeout_graceful_shutdown=10,
        **uvicorn_options(),
    )


def _check_journal(url: str) -> None:
    """Fail in one line, before the server starts, if the journal cannot be opened for writing."""
    from kazree.exchange.durability.store import JournalStore

    store = JournalStore.open(url)
    try:
        store.lock_writer().release()
    finally:
        store.close()
