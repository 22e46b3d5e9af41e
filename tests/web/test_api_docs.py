"""The interactive API docs: Swagger UI from the installed package, nothing from elsewhere."""

from __future__ import annotations

import re
import warnings

from fastapi import FastAPI

from kazree.web import install_api_docs, install_dashboard

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def test_docs_page_loads_only_local_assets() -> None:
    app = FastAPI(docs_url=None, redoc_url=None)
    install_dashboard(app)
    install_api_docs(app, "kazree exchange")
    c = TestClient(app)
    page = c.get("/docs")
    assert page.status_code == 200
    assert "<title>kazree exchange - API docs</title>" in page.text
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sorted(sources) == [
        "/web/vendor/favicon-32x32.png",
        "/web/vendor/swagger-ui-bundle.js",
        "/web/vendor/swagger-ui.css",
    ]
    assert "url: '/openapi.json'" in page.text
    for path in sources:
        asset = c.get(path)
        assert asset.status_code == 200, path
        assert len(asset.content) > 1_000, path
    bundle = c.get("/web/vendor/swagger-ui-bundle.js").text
    assert "SwaggerUIBundle" in bundle
    licence = c.get("/web/vendor/swagger-ui.LICENSE.txt").text
    assert "Apache License" in licence
