"""Plans side by side for the same targets: the roadmap as announced against the least-cost plan.

Per plan: its planning optimum (minus welfare plus annuities and fixed O&M, million USD), what it
costs over the cheapest plan, its capex and builds, and for each target every plan states the
first year it is met. A target a plan cannot meet within the horizon is solved without it, so
that plan's optimum does not include meeting it: the table says so by showing the target unmet.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from kazree.i18n import _, format_number, format_signed
from kazree.report.build import ReportInputs, SectionBuilder
from kazree.report.document import Section, TableBlock
from kazree.report.plan_view import PlanOutputs, roadmap_section, target_rows

COMPARE_COLUMNS = ["scenario", "objective_musd", "above_cheapest_musd", "capex_musd", "builds"]
"""The leading columns of :func:`compare_frame`; one column per shared target follows."""


def shared_targets(plans: Sequence[PlanOutputs]) -> list[str]:
    """The targets every plan states, in the first plan's order."""
    names = [list(dict.fromkeys(p.targets["target"].astype(str))) for p in plans]
    return [n for n in names[0] if all(n in other for other in names[1:])] if names else []


def compare_frame(plans: Sequence[PlanOutputs]) -> pd.DataFrame:
    """One row per plan: :data:`COMPARE_COLUMNS` (million USD), then per shared target the
    first year it is met (NaN: not within the horizon)."""
    shared = shared_targets(plans)
    rows = []
    for p in plans:
        met = target_rows(p.targets).set_index("target")["met_from"]
        rows.append(
            {
                "scenario": p.scenario,
                "objective_musd": p.objective / 1e6,
                "capex_musd": float(p.builds["capex_musd"].sum()),
                "builds": len(p.builds),
                **{name: float(met[name]) for name in shared},
            }
        )
    frame = pd.DataFrame(rows)
    frame.insert(2, "above_cheapest_musd", frame["objective_musd"] - frame["objective_musd"].min())
    return frame


def _met(value: float, year: int) -> str:
    if not math.isfinite(value):
        return _("not met")
    return _("met in {year}").format(year=year) if int(value) <= year else str(int(value))


def comparison_block(plans: Sequence[PlanOutputs]) -> TableBlock:
    """The comparison as a table, its caption the takeaway."""
    frame = compare_frame(plans)
    shared = shared_targets(plans)
    first = target_rows(plans[0].targets)
    years = dict(zip(first["target"], first["year"].astype(int), strict=True))
    on_time = [sum(1 for n in shared if row[n] <= years[n]) for row in frame.to_dict("records")]
    cheapest = str(frame["scenario"].iloc[int(frame["objective_musd"].to_numpy().argmin())])
    caption = _(
        "The same targets, planned {count} ways; {cheapest} is the cheapest. Cost: the planning"
        " optimum (minus welfare plus annuities and fixed O&M over the horizon, million USD);"
        " a target a plan cannot meet within the horizon is left out of its optimum. Targets:"
        " the first year each is met. Met in their year: {met}."
    ).format(
        count=len(plans),
        cheapest=cheapest,
        met=", ".join(
            f"{scenario} {n}/{len(shared)}"
            for scenario, n in zip(frame["scenario"], on_time, strict=True)
        ),
    )
    columns = (
        _("plan"),
        _("cost (million USD)"),
        _("over the cheapest"),
        _("capex (million USD)"),
        _("builds"),
        *(f"{name} ({years[name]})" for name in shared),
    )
    rows = tuple(
        (
            str(row["scenario"]),
            format_number(float(row["objective_musd"]), digits=0),
            format_signed(float(row["above_cheapest_musd"]), digits=0),
            format_number(float(row["capex_musd"]), digits=0),
            str(int(row["builds"])),
            *(_met(float(row[name]), years[name]) for name in shared),
        )
        for row in frame.to_dict("records")
    )
    return TableBlock("plan-compare", caption, columns, rows)


def comparison_section(plans: Sequence[PlanOutputs]) -> SectionBuilder:
    """The section that sets the plans side by side."""

    def build(_inputs: ReportInputs) -> Section:
        return Section(
            "plans-compared",
            _("Roadmap plans compared"),
            _(
                "What each plan costs and when it meets the targets they share: the roadmap as"
                " announced (its plants fixed) against the least-cost choice."
            ),
            (comparison_block(plans),),
        )

    return build


def plan_sections(plans: Sequence[PlanOutputs]) -> list[SectionBuilder]:
    """The roadmap view of each plan, then their comparison when two or more share targets."""
    sections = [roadmap_section(p) for p in plans]
    if len(plans) > 1 and shared_targets(plans):
        sections.append(comparison_section(plans))
    return sections
