"""What a report holds, independent of how it is written: sections of figures, tables and text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go


@dataclass(frozen=True)
class FigureBlock:
    """One plotly figure with its caption; ``alt`` describes it for screen readers."""

    id: str
    title: str
    caption: str
    alt: str
    figure: go.Figure

    def spec(self) -> dict[str, Any]:
        """The figure as a plain JSON-ready ``{"data": [...], "layout": {...}}`` mapping."""
        spec: dict[str, Any] = self.figure.to_plotly_json()
        return {"data": spec.get("data", []), "layout": spec.get("layout", {})}


@dataclass(frozen=True)
class TableBlock:
    """A table with a caption; cells are already formatted text."""

    id: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class TextBlock:
    """A preformatted text (such as a scenario file's header) with a short title.

    A ``collapsed`` text is shown folded, its title the control that unfolds it.
    """

    id: str
    title: str
    text: str
    collapsed: bool = False


Block = FigureBlock | TableBlock | TextBlock


@dataclass(frozen=True)
class Section:
    """A titled section: an introduction paragraph, then its blocks in order."""

    id: str
    title: str
    intro: str
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True)
class Report:
    """A whole report: title, subtitle and sections in reading order."""

    title: str
    subtitle: str
    sections: tuple[Section, ...] = field(default_factory=tuple)

    def figures(self) -> Sequence[FigureBlock]:
        """Every figure of the report, in reading order."""
        return [b for s in self.sections for b in s.blocks if isinstance(b, FigureBlock)]
