"""A stated reason for each gap between the model and a reference, built from known causes.

Each cause is a small pure function that returns a sentence when it applies (or ``None``): what
the model's project list adds by an outlook year against the reference's (and what the status
risk weights leave out of it), the model's growth
against the reference's, the element mix of the modelled ores, secondary oxide that separation
output leaves out, basis differences (capacity against output,
oxide against metal tonnes), capacity the model leaves unused, other sources that agree with
the model, and unmet demand.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from kazree.metrics.inputs import CHINA
from kazree.validation.figures import END_USE, ModelFigures
from kazree.validation.references import OBSERVED, SHARE, WORLD, WORLD_T, Reference

SHARE_TOLERANCE_PP = 2.0
"""A share within this many percentage points of its reference agrees."""
TONNAGE_TOLERANCE_PCT = 5.0
"""A tonnage within this percentage of its reference agrees."""
RISK_WEIGHT_NOTE_PCT = 5.0
"""Unweighted ex-China capacity this many percent above the counted one is worth a sentence."""
OXIDE_PER_METAL_MAX = 1.17
"""Nd2O3 per Nd by mass: the most that oxide and metal tonnes of magnet REEs differ."""

Cause = Callable[[Reference, ModelFigures, Sequence[Reference]], str | None]
"""(reference, model figures, all references) -> a sentence, or None if it does not apply."""


def kt(tonnes: float) -> str:
    """Tonnes as ``"12.3 kt"``."""
    return f"{tonnes / 1e3:,.1f} kt"


def gap_of(model: float, reference: float) -> tuple[float, float]:
    """``(model - reference, the same as % of reference)``; the first is pp for shares."""
    gap = model - reference
    return gap, (100.0 * gap / reference if reference else math.nan)


def agrees(metric: str, model: float, reference: float) -> bool:
    """Whether ``model`` is within tolerance of ``reference`` (2 pp for shares, 5 % else)."""
    gap, gap_pct = gap_of(model, reference)
    if metric == SHARE:
        return abs(gap) <= SHARE_TOLERANCE_PP
    return abs(gap_pct) <= TONNAGE_TOLERANCE_PCT


def _rate(start: float, end: float, years: int) -> str:
    if start <= 0 or years <= 0:
        return "starts from nothing"
    rate = 100.0 * ((end / start) ** (1.0 / years) - 1.0)
    return "stays flat" if abs(rate) < 0.05 else f"grows {rate:.1f} %/yr"


def _projects(ref: Reference, fig: ModelFigures, refs: Sequence[Reference]) -> str | None:
    """Shares in an outlook year: what the model makes outside China against the reference."""
    if ref.metric != SHARE or ref.year <= fig.base_year:
        return None
    stage, group, year = ref.stage, ref.group, ref.year
    text = (
        f"model ex-China {stage} ({group}): {kt(fig.ex_china_t(stage, group, fig.base_year))} "
        f"in {fig.base_year}, {kt(fig.ex_china_t(stage, group, year))} in {year}"
    )
    same = [r for r in refs if ref.same_outlook(r) and r.year == year]
    world = [r.value for r in same if r.metric == WORLD_T]
    others = [r for r in same if r.metric == SHARE and r.region not in (CHINA, WORLD)]
    if world:
        outside = (1.0 - ref.value / 100.0) * world[0]
        text = f"{text} against {kt(outside)} in the reference's project list"
    elif others:
        listed = ", ".join(
            f"{r.region} {r.value:.0f} % (model {fig.share_pct(stage, group, year, r.region):.1f})"
            for r in others
        )
        text = f"{text}; the reference's project list gives {listed}"
    counted, unweighted = fig.ex_china_capacity(stage, year)
    if unweighted > counted * (1.0 + RISK_WEIGHT_NOTE_PCT / 100.0):
        text = (
            f"{text}; ex-China {stage} capacity in {year} (all REEs) counts {kt(counted)} at "
            f"the status risk weights, {kt(unweighted)} unweighted"
        )
    return text


def _growth(ref: Reference, fig: ModelFigures, refs: Sequence[Reference]) -> str | None:
    """World tonnage in an outlook year: the model's growth against the reference's own."""
    if ref.metric != WORLD_T or ref.year <= fig.base_year:
        return None
    stage, group, years = ref.stage, ref.group, ref.year - fig.base_year
    start = fig.world_t(stage, group, fig.base_year)
    what = "demand" if stage == END_USE else f"{stage} output"
    rate = _rate(start, fig.world_t(stage, group, ref.year), years)
    text = f"model world {what} ({group}) {rate} from {kt(start)} in {fig.base_year}"
    earlier = sorted(
        (r for r in refs if ref.same_outlook(r) and r.metric == WORLD_T and r.year < ref.year),
        key=lambda r: r.year,
    )
    if earlier:
        first = earlier[0]
        rate = _rate(first.value, ref.value, ref.year - first.year)
        text += f"; the reference {rate} from {kt(first.value)} in {first.year}"
    return text


def _odds(share_pct: float) -> float:
    return share_pct / (100.0 - share_pct) if share_pct < 100.0 else math.inf


def _ore_mix(ref: Reference, fig: ModelFigures, refs: Sequence[Reference]) -> str | None:
    """China's magnet-REE share of mining against its all-REE share: the ores' element mixes."""
    if ref.metric != SHARE or ref.stage != "mining" or ref.group == "all":
        return None
    stage, group, year = ref.stage, ref.group, ref.year
    china = fig.content_pct(stage, group, year, china=True)
    rest = fig.content_pct(stage, group, year, china=False)
    whole = fig.share_pct(stage, "all", year, CHINA)
    text = (
        f"{group} REEs are {china:.1f} % of China's modelled mine output and {rest:.1f} % of the "
        f"rest of the world's (the element mixes of the ores), so China's all-REE share of "
        f"{whole:.1f} % becomes {fig.share_pct(stage, group, year, CHINA):.1f} %"
    )
    published = [  # an observed all-REE share of the same year (outlooks differ too much)
        r.value
        for r in refs
        if (r.year, r.stage, r.group, r.region, r.metric, r.case)
        == (year, stage, "all", CHINA, SHARE, OBSERVED)
    ]
    if published:
        implied = _odds(ref.value) / _odds(published[0])
        text += (
            f"; with the all-REE share of {published[0]:.1f} % the reference implies China's ore "
            f"holds {implied:.2f}x the rest of the world's {group}-REE content, the model "
            f"{china / rest:.2f}x"
        )
    return text


def _secondary(ref: Reference, fig: ModelFigures, _: Sequence[Reference]) -> str | None:
    extra = fig.secondary_t(ref.group, ref.year)
    if ref.metric != SHARE or ref.stage != "separation" or extra <= 0:
        return None
    in_china = fig.secondary_t(ref.group, ref.year, CHINA)
    china = fig.country_t("separation", ref.group, ref.year, CHINA) + in_china
    counted = 100.0 * china / (fig.world_t("separation", ref.group, ref.year) + extra)
    return (
        f"separation output leaves out {kt(extra)} of secondary oxide ({kt(in_china)} in "
        f"China); counted in, China's share is {counted:.1f} %"
    )


def _idle(ref: Reference, fig: ModelFigures, _: Sequence[Reference]) -> str | None:
    """Capacity the model leaves unused (no buyer, export controls or dearer than others)."""
    if ref.stage == END_USE:
        return None
    idle = fig.idle(ref.stage, ref.year)[:3]
    if not idle:
        return None
    listed = ", ".join(f"{c} {kt(k - p)} of {kt(k)}" for c, p, k in idle)
    return f"{ref.stage} capacity left unused in {ref.year}: {listed}"


def _basis(ref: Reference, _: ModelFigures, __: Sequence[Reference]) -> str | None:
    basis = ref.basis.lower()
    notes = []
    if ref.measure == "capacity":
        notes.append("the reference counts capacity, the model output")
    if ref.metric == WORLD_T and "oxide or metal" in basis:
        notes.append(
            f"oxide and metal tonnes of magnet REEs differ by up to {OXIDE_PER_METAL_MAX}x"
        )
    return "; ".join(notes) or None


def _other_sources(ref: Reference, fig: ModelFigures, refs: Sequence[Reference]) -> str | None:
    """Other sources of the same figure, when one of them agrees with the model."""
    model = fig.value(ref.metric, ref.stage, ref.group, ref.year)
    agreeing = [
        f"{r.publication} ({r.value:,.1f})"
        for r in refs
        if r.source != ref.source and ref.same_figure(r) and agrees(r.metric, model, r.value)
    ]
    if not agreeing:
        return None
    return f"the model agrees with {', '.join(agreeing)}: the sources differ"


def _unmet(ref: Reference, fig: ModelFigures, _: Sequence[Reference]) -> str | None:
    unmet = fig.unmet_t(ref.group, ref.year)
    if ref.group == "all" or unmet < 1.0:
        return None
    return f"the model leaves {kt(unmet)} of {ref.group}-REE demand unmet in {ref.year}"


CAUSES: tuple[Cause, ...] = (
    _projects,
    _growth,
    _ore_mix,
    _secondary,
    _idle,
    _basis,
    _other_sources,
    _unmet,
)
"""Known causes, in the order their sentences are joined."""


def explain(ref: Reference, model: float, fig: ModelFigures, refs: Sequence[Reference]) -> str:
    """A short stated reason for the gap between ``model`` and ``ref``."""
    if math.isnan(model):
        return "the model makes nothing in this stage and year"
    if agrees(ref.metric, model, ref.value):
        within = SHARE_TOLERANCE_PP if ref.metric == SHARE else TONNAGE_TOLERANCE_PCT
        return f"agrees within {within:g} {'pp' if ref.metric == SHARE else '%'}"
    found = [text for cause in CAUSES if (text := cause(ref, fig, refs)) is not None]
    if not found:
        return f"no known cause in the model's records; the reference counts: {ref.basis}"
    return "; ".join(found)
