"""For the service tests: a demo market on SQLite (always) and PostgreSQL (when configured)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

from databases import scratch_database
from kazree.api.app import create_app
from kazree.api.server import ServerLimits, uvicorn_options
from kazree.venue.demo import install_demo
from kazree.venue.service import Service
from kazree.venue.settings import Settings
from kazree.venue.store import ServiceStore

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PRINCIPALS = {
    "admin": "exchange-admin",
    "operator": "ulba-warehouse",
    "trader": "trader-de",
    "other_trader": "trader-kz",
    "observer": "regulator",
}
"""Role in the tests -> demo participant."""

WRONG_KEY = "kz_0123456789ab_not-the-secret"


def database(backend: str, tmp_path: Path) -> AbstractContextManager[str]:
    """A fresh database URL: a SQLite file, or a private schema on the test PostgreSQL server."""
    return scratch_database(backend, tmp_path, "exchange")


@dataclass
class Market:
    """A running demo service and the keys to it."""

    client: TestClient
    keys: dict[str, str]
    """Test role (see ``PRINCIPALS``) or ``revoked`` -> API key."""
    url: str

    @property
    def service(self) -> Service:
        service: Service = self.client.app.state.service  # type: ignore[attr-defined]
        return service

    def headers(self, who: str) -> dict[str, str]:
        """Authorization header for a test role, ``wrong``, ``revoked`` or ``none``."""
        if who == "none":
            return {}
        key = WRONG_KEY if who == "wrong" else self.keys[who]
        return {"Authorization": f"Bearer {key}"}


def install_keys(url: str) -> dict[str, str]:
    """The demo market in the empty database ``url``; test role (or ``revoked``) -> key."""
    by_participant = install_demo(url)
    keys = {role: by_participant[p] for role, p in PRINCIPALS.items()}
    store = ServiceStore.open(url)
    try:
        revoked = store.issue_key("trader-de")
        store.revoke_key(revoked.split("_")[1])
    finally:
        store.close()
    keys["revoked"] = revoked
    return keys


@contextmanager
def demo_market(
    url: str, keys: dict[str, str] | None = None, **settings: object
) -> Iterator[Market]:
    """The demo market on ``url`` (installed unless ``keys`` says it is), served in-process."""
    if keys is None:
        keys = install_keys(url)
    app = create_app(
        Settings(db_url=url, **settings),  # type: ignore[arg-type]
    )
    with TestClient(app) as client:
        yield Market(client, keys, url)


@contextmanager
def served(app: object, limits: ServerLimits | None = None) -> Iterator[str]:
    """Serve ``app`` with uvicorn as ``kazree serve`` does, on a free loopback port in a
    thread; yields the base URL."""
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            app,  # type: ignore[arg-type]
            host="127.0.0.1",
            port=port,
            log_level="warning",
            **uvicorn_options(limits),
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            msg = "uvicorn did not start"
            raise RuntimeError(msg)
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
