"""The planner's invariants on a small instance: builds that pay, lead times, monotone costs,
integer plans against brute force, and out-of-reach targets."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from kazree.cli import app
from kazree.data.rows.economics import FootprintMetric
from kazree.errors import KazreeError
from kazree.metrics.groups import dataset_blocs
from kazree.planner import plan, sweep
from kazree.planner.candidates import candidate_table, plan_scenario
from kazree.planner.investment import BUILD, online_years, ramp
from kazree.planner.solve import Problem, prepare, solve_plan, targets_of
from kazree.scenario import Scenario, load_scenario
from kazree.scenario.dataset import scenario_dataset
from kazree.scenario.plan import PlanSpec
from kazree.scenario.safeguards import FootprintCap, SafeguardSpec
from small_plan import small_yaml

runner = CliRunner()


def with_plan(scenario: Scenario, **changes: object) -> Scenario:
    """``scenario`` with fields of its plan block changed."""
    spec = (scenario.plan or PlanSpec()).model_copy(update=changes)
    return scenario.model_copy(update={"plan": spec})


@pytest.fixture(scope="module")
def problem(small: Scenario) -> Problem:
    return prepare(small, scenario_dataset(small))


@pytest.fixture(scope="module")
def integer_problem(small: Scenario) -> Problem:
    return prepare(small, scenario_dataset(small), integer=True)


def test_no_target_and_no_build_that_pays_gives_zero_builds(small: Scenario) -> None:
    costly = [
        c.model_copy(update={"capex_usd_per_t": 1e9}) for c in (small.plan or PlanSpec()).candidates
    ]
    result = plan(with_plan(small, targets=[], candidates=costly))
    assert result.builds.empty
    assert result.out_of_reach == ()
    capacity = result.solution.results.ds["capacity"].sel(facility=["kz-sep", "kz-magnet"])
    assert float(capacity.sum()) == 0.0


def test_a_target_makes_the_planner_build_and_reports_its_cost(small: Scenario) -> None:
    result = plan(small)
    assert not result.builds.empty
    assert set(result.builds["country"]) == {"KZ"}
    rows = result.targets.set_index("year")
    assert list(rows.index) == [2026, 2027]
    assert (rows["achieved"] >= rows["required"] - 1e-6).all()
    assert rows.loc[2026, "status"] == "binding"
    assert rows.loc[2026, "cost_usd_per_unit"] > 0
    capex = result.builds["capacity_t"] * 28_600e-6  # the separation benchmark median, US$/t
    assert np.allclose(result.builds["capex_musd"], capex, rtol=1e-3)


def test_no_capacity_online_before_decision_plus_lead_for_every_candidate() -> None:
    scenario = plan_scenario(load_scenario("kazrareearth-2030"))
    ds = scenario_dataset(scenario)
    from kazree.model.inputs import build_inputs

    table = candidate_table(scenario, ds, build_inputs(scenario, ds))
    assert len(table) > 10
    decisions = list(range(2026, 2041))
    years = list(range(2024, 2041))
    share = ramp(table, decisions, years)
    online = online_years(table, decisions)
    for fid in table.index:
        lead = int(table.loc[fid, "lead_years"])
        for decision in decisions:
            assert int(online.sel(facility=fid, decision=decision)) == decision + lead
            before = [y for y in years if y < decision + lead]
            assert float(share.sel(facility=fid, decision=decision, year=before).sum()) == 0.0
            if decision + lead <= years[-1]:
                assert float(share.sel(facility=fid, decision=decision, year=decision + lead)) > 0


def test_solved_production_respects_lead_times(problem: Problem, small: Scenario) -> None:
    solved = solve_plan(problem, targets_of(small))
    assert solved is not None
    build = solved.model.variables[BUILD].solution.fillna(0.0)
    production = solved.model.variables["production"].solution.fillna(0.0)
    online = online_years(problem.candidates, problem.decisions)
    for fid in problem.candidates.index:
        for year in problem.inputs.years:
            reachable = build.sel(facility=fid).where(online.sel(facility=fid) <= year, 0.0)
            made = float(production.sel(facility=fid, year=year))
            assert made <= float(reachable.sum()) + 1e-6


def test_tightening_a_target_never_lowers_total_cost(small: Scenario) -> None:
    curve = sweep(small, "kz_va", [0.0, 10.0, 20.0, 30.0, 40.0])
    feasible = curve[curve["status"] != "out_of_reach"]
    assert len(feasible) >= 4
    costs = feasible["objective_musd"].to_numpy()
    assert np.all(np.diff(costs) >= -1e-6 * np.abs(costs[:-1]))
    assert costs[-1] > costs[0]


def test_integer_plan_equals_brute_force_and_bounds_the_lp(
    small: Scenario, problem: Problem, integer_problem: Problem
) -> None:
    targets = [t.at(5.0) for t in targets_of(small)]
    mip = solve_plan(integer_problem, targets)
    lp = solve_plan(problem, targets)
    assert mip is not None
    assert lp is not None
    online = online_years(integer_problem.candidates, integer_problem.decisions)
    end = integer_problem.inputs.years[-1]
    choices = [
        [
            None,
            *[
                d
                for d in integer_problem.decisions
                if int(online.sel(facility=c, decision=d)) <= end
            ],
        ]
        for c in integer_problem.candidates.index
    ]
    best: tuple[float, dict[str, int | None]] | None = None
    for combo in itertools.product(*choices):
        fixed = dict(zip(integer_problem.candidates.index, combo, strict=True))
        solved = solve_plan(integer_problem, targets, fixed=fixed)
        if solved is not None:
            value = float(solved.model.objective.value or 0.0)
            if best is None or value < best[0]:
                best = (value, fixed)
    assert best is not None
    mip_value = float(mip.model.objective.value or 0.0)
    assert mip_value == pytest.approx(best[0], rel=1e-7)
    on = mip.model.variables["build_on"].solution.fillna(0.0)
    chosen = {
        str(c): next(
            (int(d) for d in on.coords["decision"].values if on.sel(facility=c, decision=d) > 0.5),
            None,
        )
        for c in on.coords["facility"].values
    }
    assert chosen == best[1]
    assert float(lp.model.objective.value or 0.0) <= mip_value + 1e-7 * abs(mip_value)


def test_out_of_reach_target_exits_1_with_the_earliest_year_that_then_solves(
    tmp_path: Path,
) -> None:
    early = small_yaml(tmp_path, musd=60.0, year=2025)
    result = runner.invoke(app, ["plan", str(early), "--out", str(tmp_path / "early")])
    assert result.exit_code == 1, result.output
    text = " ".join(result.output.split())
    assert "kz_va (60.00 MUSD from 2025) is out of reach" in text
    assert "the earliest year it can be met is 2026" in text
    assert "first decision year 2024 + 1 years' lead time" in text
    targets = (tmp_path / "early" / "targets.csv").read_text()
    assert "kz_va,2025,60.0" in targets
    assert "out_of_reach" in targets
    moved = small_yaml(tmp_path, musd=60.0, year=2026)
    result = runner.invoke(app, ["plan", str(moved), "--out", str(tmp_path / "moved")])
    assert result.exit_code == 0, result.output
    for name in ("results.nc", "solve.json", "metrics.csv", "plan.csv", "targets.csv"):
        assert (tmp_path / "moved" / name).is_file()
    header = (tmp_path / "moved" / "plan.csv").read_text().splitlines()[0]
    assert header == (
        "candidate,stage,country,capacity_t,decision_year,online_year,capex_musd,financing,"
        "ramp_up_years,life_years"
    )


def test_a_target_in_a_year_nothing_can_count_towards_is_out_of_reach(tmp_path: Path) -> None:
    # in 2024 no Kazakh plant exists or can be online: the target's row has no variables, which
    # a solver drops rather than calling the problem infeasible
    result = plan(load_scenario(small_yaml(tmp_path, musd=20.0, year=2024)))
    [item] = result.out_of_reach
    assert item.earliest == 2025
    first = result.targets[result.targets["year"] == 2024].iloc[0]
    assert (first["achieved"], first["status"]) == (0.0, "out_of_reach")


def test_sweep_writes_the_cost_curve(tmp_path: Path) -> None:
    path = small_yaml(tmp_path)
    result = runner.invoke(
        app, ["plan", str(path), "--sweep", "kz_va=0:20:20", "--out", str(tmp_path / "s")]
    )
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "s" / "sweep.csv").read_text().splitlines()
    assert lines[0] == "target,level,objective_musd,cost_usd_per_unit,status"
    assert len(lines) == 3


@pytest.mark.parametrize(
    ("block", "message"),
    [
        (
            "targets: [{name: va, kind: value_added, country: KZ, year: 2030}]",
            "target 'va' of kind 'value_added' lacks musd",
        ),
        (
            "candidates: [{id: x, stage: end_use, country: KZ, max_capacity_t: 1}]",
            "stage 'end_use' cannot be built",
        ),
        ("replaces: [nope]", "plan.replaces: 'nope' is not a facility of the scenario"),
    ],
)
def test_bad_plan_blocks_give_one_line_errors(tmp_path: Path, block: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(f"extends: baseline\nplan:\n  {block}\n", encoding="utf-8")
    result = runner.invoke(app, ["plan", str(path), "--out", str(tmp_path / "o")])
    assert isinstance(result.exception, KazreeError)
    assert message in str(result.exception)
    assert "\n" not in str(result.exception)


def test_sweep_of_an_unknown_target_is_a_one_line_error(small: Scenario) -> None:
    with pytest.raises(KazreeError, match=re.escape("target 'nope' is not in plan.targets")):
        sweep(small, "nope", [1.0])


def test_every_target_kind_holds_in_the_written_results(small: Scenario) -> None:
    targets = [
        {"name": "kz_oxide", "kind": "supply", "region": "KZ", "min_t": 500, "year": 2026},
        {
            "name": "kz_partner",
            "kind": "partner_share",
            "country": "KZ",
            "share": 0.6,
            "year": 2026,
        },
        {
            "name": "eu_processing",
            "kind": "crma",
            "region": "EU",
            "stage": "separation",
            "group": "magnet",
            "share": 0.05,
            "year": 2026,
        },
    ]
    spec = PlanSpec.model_validate(
        {
            "dataset_candidates": False,
            "candidates": (small.plan or PlanSpec()).candidates,
            "targets": targets,
        }
    )
    result = plan(small.model_copy(update={"plan": spec}))
    assert result.out_of_reach == ()
    ds = result.solution.results.ds
    years = [2026, 2027]
    separation = ds["stage_output"].sel(stage="separation", year=years)
    assert (separation.sel(country="KZ").sum("element") >= 500 - 1e-6).all()
    exports = ds["trade"].sel(exporter="KZ", year=years).sum(("stage", "element"))
    total = exports.sum("importer")
    assert (total > 0).all()
    assert float((exports / total).max()) <= 0.6 + 1e-6
    eu = [c for c in ds["country"].values if c in dataset_blocs()["EU"]]
    assert eu
    magnet = ["Nd", "Pr", "Dy", "Tb"]
    made = separation.sel(country=eu, element=magnet).sum(("country", "element"))
    used = ds["stage_output"].sel(stage="end_use", country=eu, element=magnet, year=years)
    assert (made >= 0.05 * used.sum(("country", "element")) - 1e-6).all()
    frame = result.targets.set_index(["target", "year"])
    assert frame.loc[("kz_oxide", 2026), "achieved"] >= 500 - 1e-6
    assert frame.loc[("kz_partner", 2026), "achieved"] <= 0.6 + 1e-6


def test_a_capital_budget_caps_capex_and_is_named_when_it_holds_a_target_back(
    small: Scenario,
) -> None:
    budget = {"name": "kz_capex", "kind": "capital", "musd": 10, "year": 2024, "country": "KZ"}
    spec = (small.plan or PlanSpec()).model_dump()
    spec["targets"] = [*spec["targets"], budget]
    result = plan(small.model_copy(update={"plan": PlanSpec.model_validate(spec)}))
    spent = result.builds.groupby("decision_year")["capex_musd"].sum()
    assert (spent <= 10 + 1e-6).all()
    rows = result.targets[result.targets["target"] == "kz_capex"].set_index("year")
    assert list(rows.index) == [2024, 2025, 2026, 2027]
    assert rows.loc[2025, "achieved"] == pytest.approx(spent[2025])
    assert rows.loc[2025, "status"] == "binding"
    assert rows.loc[2025, "cost_usd_per_unit"] > 0
    # Without the budget 20 MUSD of value added is met from 2026 (see above); with 10 MUSD a
    # year it is not, and the sentence says the budget binds.
    (late,) = result.out_of_reach
    assert late.target.name == "kz_va"
    assert late.earliest == 2027
    assert "the capital budget kz_capex binds" in late.sentence()


def test_the_plan_obeys_a_safeguard_that_binds_and_reports_its_cost(small: Scenario) -> None:
    free = plan(small).solution.results.ds
    water = free["footprint"].sel(metric="water_m3", country="KZ").sum("stage")
    limit = 0.5 * float(water.max())
    cap = FootprintCap(name="kz_water", metric=FootprintMetric.WATER_M3, region="KZ", limit=limit)
    capped = small.model_copy(update={"safeguards": SafeguardSpec(caps=[cap])})
    result = plan(capped)
    ds = result.solution.results.ds
    kept = ds["footprint"].sel(metric="water_m3", country="KZ").sum("stage")
    assert float(water.max()) > limit > 0
    assert bool((kept <= limit * (1 + 1e-9)).all())
    binding = kept.year[kept >= limit * (1 - 1e-6)].values
    assert len(binding) > 0
    cost = ds["safeguard_cost"].sel(safeguard="kz_water", year=binding)
    assert bool((cost > 0).all())
