"""The web dashboard: static pages and the scenario-run API, served beside the exchange.

:func:`install_dashboard` adds to the service app: ``/`` the dashboard, ``/web/...`` its scripts
and styles, ``/web/i18n/<lang>.json`` its messages in a language (:mod:`kazree.web.messages`),
``/web/vendor/...`` the plotly.js bundle of the installed ``plotly`` package and the
world map of the report (nothing is fetched from the internet), and under ``/v1/planning`` the
scenario-run and risk-run APIs (their own OpenAPI at ``/v1/planning/openapi.json``).
:func:`install_api_docs` serves the interactive API docs at ``/docs`` with the Swagger UI of the
installed ``swagger-ui-py`` package, so they work offline too.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from importlib.resources import files
from pathlib import Path

import plotly
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from kazree.api import problems
from kazree.api.routes import risk_runs, runs
from kazree.api.routes.risk_jobs import RiskJobs
from kazree.api.routes.runs_jobs import RunJobs
from kazree.i18n import LANGUAGES
from kazree.web.messages import dashboard_catalog

PLANNING = "/v1/planning"
STATIC = Path(str(files("kazree.web") / "static"))
SWAGGER = Path(str(files("swagger_ui") / "static"))
VENDOR = {
    "plotly.min.js": Path(plotly.__file__).parent / "package_data" / "plotly.min.js",
    "world_110m.json": Path(str(files("kazree.report") / "assets" / "world_110m.json")),
    "swagger-ui-bundle.js": SWAGGER / "swagger-ui-bundle.js",
    "swagger-ui.css": SWAGGER / "swagger-ui.css",
    "swagger-ui.LICENSE.txt": SWAGGER / "LICENSE",
    "favicon-32x32.png": SWAGGER / "favicon-32x32.png",
}
"""Third-party files the pages load, served from the installed packages."""


def planning_app(jobs: RunJobs | None = None, risk: RiskJobs | None = None) -> FastAPI:
    """The scenario-run API; ``jobs`` runs the scenarios and ``risk`` the Monte Carlo runs
    (default: a fresh worker each)."""
    app = FastAPI(
        title="kazree scenario runs",
        version="1",
        description="Solve and compare scenarios for the dashboard. Errors: problem+json.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.runs = jobs or RunJobs()
    app.state.risk = risk or RiskJobs()
    problems.install(app)
    app.include_router(runs.router)
    app.include_router(risk_runs.router)
    return app


def install_dashboard(
    app: FastAPI, jobs: RunJobs | None = None, risk: RiskJobs | None = None
) -> None:
    """Serve the dashboard and the scenario-run and risk-run APIs from ``app``."""
    app.mount(PLANNING, planning_app(jobs, risk))
    app.add_api_route("/", _file_route(STATIC / "index.html"), include_in_schema=False)
    for name, path in VENDOR.items():
        app.add_api_route(f"/web/vendor/{name}", _file_route(path), include_in_schema=False)
    app.add_api_route("/web/i18n/{lang}.json", _messages, include_in_schema=False)
    app.mount("/web", StaticFiles(directory=STATIC), name="web")


def install_api_docs(app: FastAPI, title: str) -> None:
    """Serve Swagger UI for ``app``'s OpenAPI at ``/docs``, from :data:`VENDOR` only."""

    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title=f"{title} - API docs",
            swagger_js_url="/web/vendor/swagger-ui-bundle.js",
            swagger_css_url="/web/vendor/swagger-ui.css",
            swagger_favicon_url="/web/vendor/favicon-32x32.png",
        )

    app.add_api_route("/docs", docs, include_in_schema=False)


async def _messages(lang: str) -> JSONResponse:
    """The dashboard's messages in ``lang``: ``{"lang", "messages": {msgid: text or forms}}``."""
    if lang not in LANGUAGES:
        detail = f"language {lang!r}: no catalog (allowed: {', '.join(LANGUAGES)})"
        raise problems.ApiProblem(404, "i18n.unknown_language", detail)
    return JSONResponse({"lang": lang, "messages": dashboard_catalog(lang)})


def _file_route(path: Path) -> Callable[[], Awaitable[FileResponse]]:
    async def serve_file() -> FileResponse:
        return FileResponse(path)

    return serve_file
