"""Request and response bodies of the scenario-run API (planning side of the dashboard)."""

from __future__ import annotations

import json
import math
from enum import StrEnum
from typing import Any, Literal

from plotly.utils import PlotlyJSONEncoder
from pydantic import BaseModel, ConfigDict, Field

from kazree.report.document import (
    Block,
    FigureBlock,
    Quantity,
    Report,
    Section,
    SummaryBlock,
    TableBlock,
)

MAX_SCENARIOS = 4
"""Scenarios compared in one run at most."""
MAX_YAML_CHARS = 200_000
MAX_RISK_SAMPLES = 2_000
"""Samples of one risk run at most: a few minutes on the service's cores."""
MAX_SEED = 2**32 - 1


class ScenarioOut(BaseModel):
    """A shipped scenario."""

    name: str = Field(examples=["baseline"])
    description: str = Field(examples=["Today's capacities and rules, no new policy."])


class UploadIn(BaseModel):
    """A scenario file sent as text."""

    model_config = ConfigDict(extra="forbid")

    filename: str = Field(
        default="upload.yaml",
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
        examples=["my-scenario.yaml"],
    )
    yaml: str = Field(
        max_length=MAX_YAML_CHARS,
        examples=["extends: baseline\nyears: {start: 2024, end: 2030}\n"],
    )


class RunIn(BaseModel):
    """Scenarios to solve and compare: shipped names and uploaded files, in that order."""

    model_config = ConfigDict(extra="forbid")

    scenarios: list[str] = Field(
        default_factory=list, max_length=MAX_SCENARIOS, examples=[["baseline"]]
    )
    uploads: list[UploadIn] = Field(default_factory=list, max_length=MAX_SCENARIOS)
    year: int | None = Field(
        default=None,
        ge=2000,
        le=2100,
        description="Year of the flow and bar charts",
        examples=[2030],
    )
    lang: str = Field(
        default="en", description="Language of the report: en, ru or kk", examples=["ru"]
    )
    plan: bool = Field(
        default=False,
        description=(
            "Also plan the roadmap of every given scenario with a plan block (kazree plan): "
            "its builds, capex, targets with their cost and what is out of reach"
        ),
    )
    sweep: str | None = Field(
        default=None,
        max_length=200,
        description=(
            "With plan: the cost curve of one target, TARGET=LOW:HIGH:STEP, for every planned "
            "scenario that states it (one plan solved per level)"
        ),
        examples=["kz_value_added=0:200:50"],
    )


class RunStatus(StrEnum):
    """Where a run stands."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class FigureOut(BaseModel):
    """A plotly figure: ``spec`` is ``{"data": [...], "layout": {...}}``."""

    kind: Literal["figure"] = "figure"
    id: str
    title: str
    caption: str
    alt: str
    source: str = Field(description="Where the figure's numbers come from")
    spec: dict[str, Any]


class TableOut(BaseModel):
    """A table of text cells."""

    kind: Literal["table"] = "table"
    id: str
    caption: str
    columns: list[str]
    rows: list[list[str]]


class TextOut(BaseModel):
    """A preformatted text with a title."""

    kind: Literal["text"] = "text"
    id: str
    title: str
    text: str
    collapsed: bool


class QuantityOut(BaseModel):
    """A number of a summary sentence and the chart that shows it (``target``)."""

    text: str
    value: float | None
    target: str
    scenario: str
    metric: str
    minus: str = Field(description="The counterfactual subtracted, if the number is a difference")


class SummaryOut(BaseModel):
    """Sentences on what a scenario changes; each a list of text pieces and numbers."""

    kind: Literal["summary"] = "summary"
    id: str
    title: str
    sentences: list[list[str | QuantityOut]]


class SectionOut(BaseModel):
    """A titled section of summaries, figures, tables and texts."""

    id: str
    title: str
    intro: str
    appendix: bool = False
    blocks: list[SummaryOut | FigureOut | TableOut | TextOut]


class ReportOut(BaseModel):
    """The charts of a run, the same as the HTML report's."""

    title: str
    subtitle: str
    generated: str = Field(default="", description="Date written, in the report's language")
    version: str = Field(default="", description="kazree version that wrote it")
    lang: str = Field(default="en", description="Language of the report")
    sections: list[SectionOut]


class RunOut(BaseModel):
    """A run's status, progress and, once done, its charts."""

    run_id: str = Field(examples=["3f2c9a1e"])
    scenarios: list[str] = Field(examples=[["baseline", "kazrareearth-2030"]])
    status: RunStatus
    progress: float = Field(
        ge=0, le=1, description="Share of the run's steps reached", examples=[0.4]
    )
    step: str = Field(examples=["baseline: solving"])
    error: str | None = Field(default=None, description="Why a failed run failed")
    report: ReportOut | None = None


class RiskRunIn(BaseModel):
    """A Monte Carlo of one scenario's uncertain inputs with its plan held fixed."""

    model_config = ConfigDict(extra="forbid")

    scenario: str = Field(
        description="A shipped scenario with an uncertain: block (GET /risk-scenarios)",
        examples=["kazrareearth-2030"],
    )
    samples: int = Field(
        default=200,
        description=f"Futures to sample, 1..{MAX_RISK_SAMPLES}",
        examples=[500],
    )
    seed: int = Field(
        default=0, description=f"Seed of the draws, 0..{MAX_SEED}: same seed, same numbers"
    )
    lang: str = Field(
        default="en", description="Language of the charts: en, ru or kk", examples=["kk"]
    )


class RiskRunOut(BaseModel):
    """A risk run's status, progress over its samples and, once done, its odds."""

    run_id: str = Field(examples=["3f2c9a1e"])
    scenario: str = Field(examples=["kazrareearth-2030"])
    samples: int = Field(examples=[500])
    seed: int = Field(examples=[0])
    status: RunStatus
    done: int = Field(ge=0, description="Samples solved so far", examples=[120])
    progress: float = Field(
        ge=0, le=1, description="Share of the run's steps reached", examples=[0.24]
    )
    step: str = Field(examples=["120 of 500 samples"])
    error: str | None = Field(default=None, description="Why a failed run failed")
    section: SectionOut | None = Field(
        default=None,
        description="Fan charts, the probability of each target by year and the tornado",
    )


class FacilityOut(BaseModel):
    """A mine or plant of the dataset with the source of its numbers."""

    id: str = Field(examples=["KZ-tomtor"])
    name: str
    country: str = Field(examples=["KZ"])
    stage: str = Field(examples=["mining"])
    status: str = Field(examples=["operating"])
    capacity_t: float | None
    capacity_basis: str
    start_year: int | None
    source: str = Field(examples=["usgs_mcs2025"])
    source_title: str
    source_url: str


def _plain(value: Any) -> Any:
    """``value`` with numpy arrays and numbers turned into JSON types."""
    return json.loads(json.dumps(value, cls=PlotlyJSONEncoder))


def _quantity(q: Quantity) -> QuantityOut:
    return QuantityOut(
        text=q.text,
        value=None if math.isnan(q.value) else q.value,
        target=q.target,
        scenario=q.scenario,
        metric=q.metric,
        minus=q.minus,
    )


def block_out(block: Block) -> SummaryOut | FigureOut | TableOut | TextOut:
    """The API form of one report block."""
    if isinstance(block, SummaryBlock):
        return SummaryOut(
            id=block.id,
            title=block.title,
            sentences=[
                [p if isinstance(p, str) else _quantity(p) for p in sentence.parts()]
                for sentence in block.sentences
            ],
        )
    if isinstance(block, FigureBlock):
        return FigureOut(
            id=block.id,
            title=block.title,
            caption=block.caption,
            alt=block.alt,
            source=block.source,
            spec=_plain(block.spec()),
        )
    if isinstance(block, TableBlock):
        return TableOut(
            id=block.id,
            caption=block.caption,
            columns=list(block.columns),
            rows=[list(r) for r in block.rows],
        )
    return TextOut(id=block.id, title=block.title, text=block.text, collapsed=block.collapsed)


def section_out(section: Section) -> SectionOut:
    """The API form of one report section."""
    return SectionOut(
        id=section.id,
        title=section.title,
        intro=section.intro,
        appendix=section.appendix,
        blocks=[block_out(b) for b in section.blocks],
    )


def report_out(report: Report) -> ReportOut:
    """The API form of a report."""
    return ReportOut(
        title=report.title,
        subtitle=report.subtitle,
        generated=report.generated,
        version=report.version,
        lang=report.lang,
        sections=[section_out(s) for s in report.sections],
    )
