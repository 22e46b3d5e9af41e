"""Reading a written report back: its tags, scripts and embedded figure specs."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from babel.messages.pofile import read_po

from kazree.i18n import DOMAIN, LOCALE_DIR

EXTERNAL = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]*)", re.IGNORECASE)
REMOTE_FETCH = re.compile(r"""fetch\(\s*['"`](https?:)?//""", re.IGNORECASE)


@dataclass
class Page(HTMLParser):
    """Every start tag with its attributes, every script's and style's text, and the text
    shown on the page (``texts``, one entry per text node)."""

    tags: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    scripts: list[tuple[dict[str, str], str]] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    _open: tuple[str, dict[str, str]] | None = None
    _text: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        if tag in ("script", "style"):
            self._open, self._text = (tag, attributes), []

    def handle_data(self, data):
        if self._open is not None:
            self._text.append(data)
        elif data.strip():
            self.texts.append(" ".join(data.split()))

    def handle_endtag(self, tag):
        if self._open is not None and tag == self._open[0]:
            text = "".join(self._text)
            if tag == "script":
                self.scripts.append((self._open[1], text))
            else:
                self.styles.append(text)
            self._open = None


def parse(html: str) -> Page:
    """The parsed page."""
    page = Page()
    page.feed(html)
    page.close()
    return page


def figure_specs(page: Page) -> dict[str, dict]:
    """Figure id -> its ``{"data", "layout"}`` spec."""
    return {
        attrs["id"].removeprefix("fig-").removesuffix("-spec"): json.loads(text)
        for attrs, text in page.scripts
        if "figure-spec" in attrs.get("class", "")
    }


def metric_points(specs: dict[str, dict]) -> list[tuple[dict, int, float | None]]:
    """Every plotted metric value: (row key of ``metrics.csv``, year, value) per point.

    Traces with ``meta.metric`` plot rows of the metrics frame: lines have years on x; bars
    have elements on x (``meta.element`` a list) and one ``meta.year``; grids have elements on x
    and scenarios on y (``meta.scenario`` a list).
    """
    points = []
    for spec in specs.values():
        for trace in spec["data"]:
            meta = trace.get("meta") or {}
            if "metric" not in meta:
                continue
            key = {k: meta[k] for k in ("scenario", "metric", "stage", "region", "element")}
            if "z" in trace:
                for scenario, row in zip(meta["scenario"], trace["z"], strict=True):
                    for element, value in zip(meta["element"], row, strict=True):
                        cell = {**key, "scenario": scenario, "element": element}
                        points.append((cell, meta["year"], value))
            elif isinstance(meta["element"], list):
                for element, value in zip(meta["element"], trace["y"], strict=True):
                    points.append(({**key, "element": element}, meta["year"], value))
            else:
                for year, value in zip(trace["x"], trace["y"], strict=True):
                    points.append((key, year, value))
    return points


def frame_value(frames, key: dict, year: int) -> float | None:
    """The value of one row of a scenario's metrics frame, None if there is no such row."""
    frame = frames[key["scenario"]]
    mask = frame["year"] == year
    for column in ("metric", "stage", "region", "element"):
        mask &= frame[column].astype(str) == key[column]
    rows = frame.loc[mask, "value"]
    assert len(rows) <= 1, f"several rows for {key} {year}"
    return float(rows.iloc[0]) if len(rows) else None


def unmet_totals(specs: dict[str, dict]) -> dict[tuple[str, str], float]:
    """(scenario, region code) -> unmet demand summed over the sector bars of the unmet figure
    (the bars show region names and carry the codes as ``customdata``)."""
    totals: dict[tuple[str, str], float] = {}
    for trace in specs.get("unmet", {"data": []})["data"]:
        scenarios, regions = trace["x"][0], trace["customdata"]
        for scenario, region, value in zip(scenarios, regions, trace["y"], strict=True):
            totals[scenario, region] = totals.get((scenario, region), 0.0) + value
    return totals


def _layout_strings(value: object, shown: bool = False) -> list[str]:
    """Strings under ``text`` or ``title`` keys of a plotly layout (titles, annotations)."""
    if isinstance(value, str):
        return [value] if shown else []
    if isinstance(value, dict):
        return [
            s for k, v in value.items() for s in _layout_strings(v, shown or k in ("text", "title"))
        ]
    if isinstance(value, list):
        return [s for v in value for s in _layout_strings(v, shown)]
    return []


def chart_words(spec: dict) -> list[str]:
    """The words a chart shows of its own: titles, axis titles and annotations, legend names,
    Sankey node labels (not hover texts, which quote dataset names)."""
    words = _layout_strings(spec.get("layout", {}))
    for trace in spec.get("data", []):
        words += [trace["name"]] if isinstance(trace.get("name"), str) else []
        words += list(trace.get("node", {}).get("label", []))
    return words


def visible_texts(html: str) -> list[str]:
    """Every piece of text a reader sees: text nodes, labels read aloud, and the words of the
    charts."""
    page = parse(html)
    labels = [a[k] for _, a in page.tags for k in ("aria-label", "alt") if a.get(k)]
    charts = [s for spec in figure_specs(page).values() for s in chart_words(spec)]
    return page.texts + labels + charts


PLACEHOLDER = re.compile(r"\\\{\w+\\\}")


def english_patterns(lang: str) -> list[tuple[str, re.Pattern[str]]]:
    """(msgid, pattern matching it with any placeholder values) for every catalog message whose
    translation differs from the English."""
    with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    patterns = []
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            if not msgid or msgid in strings:
                continue
            body = PLACEHOLDER.sub(".+?", re.escape(msgid))
            # A one-word message counts only as a whole text; longer ones anywhere in a text.
            whole = " " not in msgid
            patterns.append((msgid, re.compile(f"^{body}$" if whole else body)))
    return patterns


SOURCES = re.compile(
    r'<section id="sources".*?</section>'
    r'|<details class="text-block" id="[^"]*-sources[^"]*">.*?</details>',
    re.DOTALL,
)
"""The sources table and a section's folded list of sources quote publications' own titles, in
their own language."""


def untranslated(html: str, lang: str) -> list[str]:
    """Catalog messages left in English in ``html`` (outside the sources table)."""
    texts = visible_texts(SOURCES.sub("", html))
    return sorted(
        msgid
        for msgid, pattern in english_patterns(lang)
        if any(pattern.search(text) for text in texts)
    )
