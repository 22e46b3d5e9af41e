"""Targets out of reach: which, the earliest year each can be met, and what binds it.

When the planning problem is infeasible, an elastic solve (every target's shortfall allowed at
a penalty of :data:`~kazree.planner.targets.PENALTY_USD_PER_UNIT`) names the targets that fall
short and the first year after which each is met: the guess. The guess is then verified by
re-solving with the targets moved to those years (one year later while that fails) and
checked the other way (one year earlier while that solves), so every reported year is one the
planner has solved and the year before it is one it could not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kazree.errors import KazreeError
from kazree.i18n import _, format_number
from kazree.planner.investment import budget_dual
from kazree.planner.solve import Problem, Solved, built, solve_plan
from kazree.planner.targets import CHINA, UNITS, slack_name
from kazree.scenario.plan import PlanTarget, TargetKind

SLACK_TOLERANCE = 1e-6
"""Shortfall (per unit of the target) below which a target counts as met."""


@dataclass(frozen=True)
class OutOfReach:
    """A target that cannot be met by its year."""

    target: PlanTarget
    earliest: int | None
    """First year it can be met (verified), or None if not within the horizon."""
    end: int
    binds: str

    def sentence(self) -> str:
        """The plain-words explanation."""
        t = self.target
        unit = _("share") if t.share is not None else UNITS[t.kind]
        what = _("{name} ({level} {unit} from {year})").format(
            name=t.name, level=format_number(t.level, digits=2), unit=unit, year=t.year
        )
        if self.earliest is None:
            return _(
                "{what} is out of reach: it cannot be met by {end}, the end of the horizon;"
                " what binds: {binds}."
            ).format(what=what, end=self.end, binds=self.binds)
        return _(
            "{what} is out of reach: the earliest year it can be met is {earliest} (re-solved"
            " with the target moved there); what binds: {binds}."
        ).format(what=what, earliest=self.earliest, binds=self.binds)


def _moved(targets: list[PlanTarget], years: dict[str, int | None]) -> list[PlanTarget]:
    """``targets`` with out-of-reach ones moved (dropped where never reachable)."""
    out = []
    for t in targets:
        if t.name not in years:
            out.append(t)
        elif years[t.name] is not None:
            out.append(t.model_copy(update={"year": years[t.name]}))
    return out


def _guesses(solved: Solved, end: int) -> dict[str, int | None]:
    """Targets short in the elastic solve -> the year after their last shortfall."""
    out: dict[str, int | None] = {}
    for row in solved.rows:
        slack = solved.model.variables[slack_name(row.target)].solution.fillna(0.0)
        short = slack.max([d for d in slack.dims if d != "year"]) if slack.ndim > 1 else slack
        tolerance = SLACK_TOLERANCE * max(1.0, abs(row.level))
        years = [
            int(y)
            for y, v in zip(short.coords["year"].values, short.values, strict=True)
            if v > tolerance
        ]
        if years:
            out[row.target.name] = max(years) + 1 if max(years) < end else None
    return out


def find_reach(problem: Problem, targets: list[PlanTarget]) -> tuple[Solved, dict[str, int | None]]:
    """The solved plan with out-of-reach targets moved, and name -> the year each was moved to."""
    solved = solve_plan(problem, targets)
    if solved is not None:
        return solved, {}
    end = problem.inputs.years[-1]
    elastic = solve_plan(problem, targets, elastic=True)
    if elastic is None:
        msg = _(
            "{origin}: infeasible even with every plan target relaxed: the scenario's own"
            " targets or a capital budget cannot be met (allowed: targets the model can reach)"
        ).format(origin=problem.scenario.origin)
        raise KazreeError(msg)
    moved = _guesses(elastic, end)
    found: Solved | None = None
    while found is None:
        found = solve_plan(problem, _moved(targets, moved))
        if found is None:
            if all(y is None for y in moved.values()):
                raise KazreeError(_("no year makes the plan feasible"))
            moved = {n: (y + 1 if y is not None and y < end else None) for n, y in moved.items()}
    asked = {t.name: t.year for t in targets}
    for name in list(moved):
        while moved[name] is not None:
            earlier = int(moved[name] or 0) - 1
            trial = dict(moved)
            if earlier <= asked[name]:
                del trial[name]
            else:
                trial[name] = earlier
            attempt = solve_plan(problem, _moved(targets, trial))
            if attempt is None:
                break
            found, moved = attempt, trial
            if name not in moved:
                break
    return found, moved


def _relevant(problem: Problem, target: PlanTarget) -> pd.DataFrame:
    """Candidates that can raise what ``target`` measures."""
    table = problem.candidates
    blocs = problem.inputs.blocs
    if target.kind is TargetKind.SUPPLY:
        region = target.region or ""
        inside = table["country"] != CHINA
        if region != "world":
            inside &= table["country"].isin(blocs.get(region, [region]))
        return table[inside & table["stage"].isin(["mining", "cracking", "separation"])]
    if target.kind is TargetKind.CRMA:
        members = blocs.get(target.region or "", [target.region])
        stage = target.stage.value if target.stage else ""
        return table[table["country"].isin(members) & (table["stage"] == stage)]
    if target.kind is TargetKind.PROCESSING_SHARE:
        stage = target.stage.value if target.stage else ""
        return table[(table["country"] == target.country) & (table["stage"] == stage)]
    return table[table["country"] == target.country]


def binds(problem: Problem, solved: Solved, target: PlanTarget, earliest: int | None) -> str:
    """What holds ``target`` back: the lead time and ramp of the candidates that serve it (the
    latest to come online of those the plan builds by ``earliest``; else the first possible)."""
    relevant = _relevant(problem, target)
    first = problem.decisions[0]
    if relevant.empty:
        return _("no candidate project adds what it needs (existing capacity and demand bind)")
    amounts = built(problem, solved).sum("decision").to_series()
    used = relevant[amounts.reindex(relevant.index).fillna(0.0).to_numpy() > 0]
    if earliest is not None:
        used = used[used["earliest_online"] <= earliest]
    if used.empty:
        pick = str(relevant["earliest_online"].idxmin())
        pool = relevant
    else:
        pick = str(used["earliest_online"].idxmax())
        pool = used
    row = pool.to_dict("index")[pick]
    fields = {
        "stage": row["stage"],
        "id": pick,
        "country": row["country"],
        "online": int(row["earliest_online"]),
        "first": first,
        "lead": int(row["lead_years"]),
        "ramp": int(row["ramp_up_years"]),
    }
    if pd.isna(row["fixed_year"]):
        text = _(
            "the {stage} candidate {id} in {country} comes online in {online} at the earliest"
            " (first decision year {first} + {lead} years' lead time) and ramps up over {ramp}"
            " years"
        ).format(**fields)
    else:
        text = _(
            "the {stage} plant {id} in {country}, built as announced, comes online in {online}"
            " (decided {decided} + {lead} years' lead time) and ramps up over {ramp} years"
        ).format(**fields, decided=int(row["fixed_year"]))
    budgets = [
        t.name
        for t in solved.targets
        if t.kind is TargetKind.CAPITAL
        and np.nanmax(np.abs(budget_dual(solved.model, t, problem.decisions).values)) > 1e-9
    ]
    if budgets:
        text += _("; the capital budget {names} binds").format(names=", ".join(budgets))
    return text


def explain(
    problem: Problem, solved: Solved, targets: list[PlanTarget], moved: dict[str, int | None]
) -> list[OutOfReach]:
    """One :class:`OutOfReach` per moved target, in the scenario's order."""
    end = problem.inputs.years[-1]
    return [
        OutOfReach(t, moved[t.name], end, binds(problem, solved, t, moved[t.name]))
        for t in targets
        if t.name in moved
    ]
