"""What a report holds, independent of how it is written: sections of figures, tables and text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go

PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class FigureBlock:
    """One plotly figure: its title states the takeaway, ``source`` where its numbers come from,
    and ``alt`` describes it for screen readers."""

    id: str
    title: str
    caption: str
    alt: str
    figure: go.Figure
    source: str = ""

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


@dataclass(frozen=True)
class Quantity:
    """A number in a sentence, with the metric rows it comes from and the chart that shows it.

    ``value`` is the sum of ``metric`` over ``regions`` (less China's value when
    ``less_china``) in ``scenario``'s metrics for ``year``; when ``minus`` names another
    scenario, the same figure of that scenario is subtracted (a difference to a counterfactual).
    """

    text: str
    value: float
    target: str
    scenario: str
    metric: str
    stage: str
    regions: tuple[str, ...]
    element: str
    year: int
    less_china: bool = False
    minus: str = ""


@dataclass(frozen=True)
class Sentence:
    """A whole translated sentence: ``template`` with ``{name}`` placeholders filled by
    ``numbers`` (linked to their charts) or ``words`` (plain text)."""

    template: str
    numbers: dict[str, Quantity] = field(default_factory=dict)
    words: dict[str, str] = field(default_factory=dict)

    def parts(self) -> list[str | Quantity]:
        """The sentence as text pieces and quantities, in reading order."""
        pieces: list[str | Quantity] = []
        for i, piece in enumerate(PLACEHOLDER.split(self.template)):
            if i % 2 == 0:
                if piece:
                    pieces.append(piece)
            elif piece in self.numbers:
                pieces.append(self.numbers[piece])
            else:
                pieces.append(self.words[piece])
        return pieces

    def text(self) -> str:
        """The sentence as plain text."""
        return "".join(p if isinstance(p, str) else p.text for p in self.parts())


@dataclass(frozen=True)
class SummaryBlock:
    """Sentences that answer what a scenario changes, under a short title."""

    id: str
    title: str
    sentences: tuple[Sentence, ...]


Block = FigureBlock | TableBlock | TextBlock | SummaryBlock


@dataclass(frozen=True)
class Section:
    """A titled section: an introduction paragraph, then its blocks in order.

    An ``appendix`` section holds model-internal figures, after the main text.
    """

    id: str
    title: str
    intro: str
    blocks: tuple[Block, ...] = ()
    appendix: bool = False


@dataclass(frozen=True)
class Report:
    """A whole report: title, subtitle, sections in reading order, and its making.

    ``generated`` is the date it was written (formatted for ``lang``) and ``version`` the
    kazree version that wrote it.
    """

    title: str
    subtitle: str
    sections: tuple[Section, ...] = field(default_factory=tuple)
    generated: str = ""
    version: str = ""
    lang: str = "en"

    def figures(self) -> Sequence[FigureBlock]:
        """Every figure of the report, in reading order."""
        return [b for s in self.sections for b in s.blocks if isinstance(b, FigureBlock)]
