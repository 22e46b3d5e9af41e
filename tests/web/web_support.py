"""For the dashboard tests: the service on loopback with a demo market, and headless Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from kazree.api.app import create_app
from kazree.venue.demo import install_demo
from kazree.venue.settings import Settings

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
AXE = Path(__file__).with_name("axe.min.js")
SERIOUS = ("serious", "critical")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """``app`` served on 127.0.0.1 from a thread; its base URL."""
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the service did not start on 127.0.0.1")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@contextmanager
def demo_service(tmp: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """The exchange and dashboard on 127.0.0.1 over a fresh demo market; (base URL, keys)."""
    url = f"sqlite:///{tmp / 'exchange.db'}"
    keys = install_demo(url)
    with serve(create_app(Settings(db_url=url))) as base:
        yield base, keys


def _unavailable(reason: str) -> None:
    if os.environ.get("KAZREE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"KAZREE_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@contextmanager
def chromium(downloads: Path) -> Iterator[Any]:
    """A headless Chromium driven by Selenium through the system chromedriver."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _unavailable("selenium is not installed (pip install -e '.[test]')")
    for path in (CHROMIUM, CHROMEDRIVER):
        if shutil.which(path) is None:
            _unavailable(f"{path} is missing (apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1366,1000",
        "--force-device-scale-factor=1",
    ):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads)})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_script_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def axe_violations(driver: Any) -> list[dict[str, Any]]:
    """Serious and critical accessibility violations of the page, by axe-core."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => done(r.violations)).catch(e => done([{id: 'axe-error', impact: 'critical',"
        " description: String(e), nodes: []}]));"
    )
    violations: list[dict[str, Any]] = result
    return [v for v in violations if v.get("impact") in SERIOUS]


def describe(violations: list[dict[str, Any]]) -> str:
    """Violations as readable lines: rule, impact and the first offending elements."""
    lines = []
    for v in violations:
        targets = [n.get("target") for n in v.get("nodes", [])[:3]]
        lines.append(f"{v['id']} ({v['impact']}): {v.get('description')} {targets}")
    return "\n".join(lines)
