"""The comparison table: model value, reference value, gap and a stated reason, row by row."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import pandas as pd

from kazree.metrics.inputs import CHINA
from kazree.validation.explain import agrees, explain, gap_of
from kazree.validation.figures import END_USE, ModelFigures
from kazree.validation.references import SHARE, WORLD, Reference

COLUMNS: tuple[str, ...] = (
    "scenario",
    "year",
    "stage",
    "group",
    "measure",
    "model",
    "reference",
    "gap",
    "gap_pct",
    "unit",
    "status",
    "explanation",
    "publication",
    "case",
    "basis",
    "source",
    "confidence",
)
"""Columns of :func:`compare`: ``model``, ``reference`` and ``gap`` in ``unit`` (``%`` for
shares, where the gap is in percentage points; ``t`` for tonnages); ``gap_pct`` is the gap as
% of the reference; ``status`` is ``agrees`` or ``gap``."""
STAGE_ORDER: tuple[str, ...] = ("mining", "separation", END_USE)
GROUP_ORDER: tuple[str, ...] = ("all", "magnet", "light", "heavy")


def measure_of(metric: str, stage: str) -> str:
    """The row label of a metric: China's share, world output or world demand."""
    if metric == SHARE:
        return "China share"
    return "world demand" if stage == END_USE else "world output"


def shown(
    refs: Sequence[Reference], fig: ModelFigures, years: Collection[int] | None
) -> list[Reference]:
    """The references a comparison shows: China's shares and world tonnages that the model
    holds, in ``years`` (default: every modelled year), in year, stage and group order."""
    wanted = set(fig.years) if years is None else set(fig.years) & set(years)
    rows = [
        r
        for r in refs
        if r.year in wanted and r.region in (CHINA, WORLD) and fig.has(r.stage, r.group, r.year)
    ]
    return sorted(
        rows,
        key=lambda r: (
            r.year,
            STAGE_ORDER.index(r.stage),
            GROUP_ORDER.index(r.group) if r.group in GROUP_ORDER else len(GROUP_ORDER),
            r.metric != SHARE,
        ),
    )


def compare(
    fig: ModelFigures, refs: Sequence[Reference], years: Collection[int] | None = None
) -> pd.DataFrame:
    """One row of :data:`COLUMNS` per China share or world tonnage in ``years``.

    ``refs`` are all references (:func:`~kazree.validation.references.references`): figures of
    other years and countries serve the explanations.
    """
    rows = []
    for ref in shown(refs, fig, years):
        model = fig.value(ref.metric, ref.stage, ref.group, ref.year)
        gap, gap_pct = gap_of(model, ref.value)
        rows.append(
            {
                "scenario": fig.scenario,
                "year": ref.year,
                "stage": ref.stage,
                "group": ref.group,
                "measure": measure_of(ref.metric, ref.stage),
                "model": model,
                "reference": ref.value,
                "gap": gap,
                "gap_pct": gap_pct,
                "unit": "%" if ref.metric == SHARE else "t",
                "status": "agrees" if agrees(ref.metric, model, ref.value) else "gap",
                "explanation": explain(ref, model, fig, refs),
                "publication": ref.publication,
                "case": ref.case,
                "basis": ref.basis,
                "source": ref.source,
                "confidence": ref.confidence,
            }
        )
    return pd.DataFrame(rows, columns=list(COLUMNS))
