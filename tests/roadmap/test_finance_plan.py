"""``kazree finance --plan DIR``: the cash flows of every build of a plan at the plan's prices."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from typer.testing import CliRunner

from kazree.cli import app
from kazree.cli.plan import write_plan
from kazree.data import load_dataset
from kazree.outputs import PLAN_FILE, RESULTS_FILE
from kazree.planner import plan
from kazree.planner.candidates import spec_of
from kazree.planner.investment import ramp
from kazree.planner.outcome import TERM_COLUMNS
from kazree.roadmap.finance.plan import (
    PLAN_GEARING_PCT,
    build_project,
    margin_path,
    plan_assumptions,
    plan_finance,
    records_terms,
)
from kazree.roadmap.finance.project import Project
from kazree.roadmap.finance.stack import load_stack
from kazree.scenario import load_scenario
from small_plan import small_yaml
from user_errors import user_error

STACKS = Path(__file__).parents[2] / "scenarios" / "roadmap" / "stacks"
runner = CliRunner()


@pytest.fixture(scope="module")
def plan_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small instance planned and written as ``kazree plan --out`` writes it."""
    root = tmp_path_factory.mktemp("plan")
    target = root / "plan"
    write_plan(plan(load_scenario(small_yaml(root))), target)
    return target


def test_every_build_is_financed_at_the_plans_margin(plan_dir: Path, tmp_path: Path) -> None:
    r = runner.invoke(app, ["finance", "--plan", str(plan_dir), "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    frame = pd.read_csv(tmp_path / "plan_finance.csv")
    builds = pd.read_csv(plan_dir / PLAN_FILE)
    assert len(frame) == len(builds) >= 1
    for column in ("candidate", "capacity_t", "decision_year", "online_year", "capex_musd"):
        assert frame[column].tolist() == builds[column].tolist()
    # The separation margin by hand: output-weighted price of oxide less that of the
    # cracked intermediate, in Kazakhstan, averaged over the years it separates anything.
    ds = xr.load_dataset(plan_dir / RESULTS_FILE)
    made = ds["stage_output"].sel(stage="separation", country="KZ").fillna(0.0).values
    price = ds["shadow_price"].sel(country="KZ").fillna(0.0)
    gain = (price.sel(stage="separation") - price.sel(stage="cracking")).values
    total = made.sum(axis=0)
    years = total > 0
    margins = (made * gain).sum(axis=0)[years] / total[years]
    row = frame.set_index("candidate").loc["kz-sep"]
    assert row["margin_usd_per_kg"] == pytest.approx(float(np.mean(margins)), rel=1e-9)
    assert row["stack"] == f"commercial {PLAN_GEARING_PCT:g} %"
    assert np.isfinite(row["npv_musd"])
    assert np.isfinite(row["min_dscr"])
    assert "kz-sep" in r.output


def test_concessional_financing_lifts_the_equity_irr_of_the_same_build(
    plan_dir: Path, tmp_path: Path
) -> None:
    """All else equal, the plan's concessional source (DFC terms) beats commercial debt for a
    build that pays: the plan's oxide prices raised by US$30/kg so that it does."""
    results = xr.load_dataset(plan_dir / RESULTS_FILE)
    results["shadow_price"].loc[{"stage": "separation"}] += 30.0
    builds = pd.read_csv(plan_dir / PLAN_FILE)
    dataset = load_dataset()
    frames = {}
    for source in ("commercial", "concessional"):
        target = tmp_path / source
        target.mkdir()
        results.to_netcdf(target / RESULTS_FILE)
        builds.assign(financing=source).to_csv(target / PLAN_FILE, index=False)
        frames[source] = plan_finance(dataset, target).set_index("candidate")
    commercial, concessional = frames["commercial"], frames["concessional"]
    assert (commercial["project_irr"] > 0.10).all()
    assert (concessional["equity_irr"] > commercial["equity_irr"]).all()
    assert (concessional["min_dscr"] > commercial["min_dscr"]).all()
    assert concessional["npv_musd"].tolist() == pytest.approx(commercial["npv_musd"].tolist())


def test_each_build_ramps_up_and_lives_as_the_plan_has_it(plan_dir: Path) -> None:
    """The finance of a build follows the planner's own ramp (its capacity share in each year
    online, from :func:`ramp`) and the plan's economic life, as plan.csv records them."""
    builds = pd.read_csv(plan_dir / PLAN_FILE)
    assert records_terms(builds)
    life = spec_of(load_scenario(next(plan_dir.parent.glob("small-*.yaml")))).life_years
    assert builds["life_years"].tolist() == [life] * len(builds)
    for _i, row in builds.iterrows():
        decided, online = int(row["decision_year"]), int(row["online_year"])
        candidate = pd.DataFrame(
            {"lead_years": [online - decided], "ramp_up_years": [row["ramp_up_years"]]},
            index=[row["candidate"]],
        )
        years = list(range(online, online + 12))
        share = ramp(candidate, [decided], years).values.ravel()
        project = build_project(row)
        assert project.ramp_up_pct == pytest.approx((100 * share[share < 1]).tolist())
        assert project.life_years == life
    assert "the plan's own" in plan_assumptions(builds)


def test_a_plan_without_its_ramp_and_life_keeps_the_defaults_and_says_so(
    plan_dir: Path, tmp_path: Path
) -> None:
    results = xr.load_dataset(plan_dir / RESULTS_FILE)
    results["shadow_price"].loc[{"stage": "separation"}] += 30.0  # so that the plant pays
    builds = pd.read_csv(plan_dir / PLAN_FILE)
    frames = {}
    variants = {
        "recorded": builds,
        "short-life": builds.assign(life_years=10),
        "unrecorded": builds.drop(columns=TERM_COLUMNS),
    }
    for name, frame in variants.items():
        target = tmp_path / name
        target.mkdir()
        results.to_netcdf(target / RESULTS_FILE)
        frame.to_csv(target / PLAN_FILE, index=False)
        frames[name] = plan_finance(load_dataset(), target).set_index("candidate")
    recorded, short, unrecorded = frames["recorded"], frames["short-life"], frames["unrecorded"]
    assert (short["npv_musd"] < recorded["npv_musd"]).all()  # ten years of cash, not twenty
    assert unrecorded["ramp_up_years"].isna().all()
    default = Project.model_fields["ramp_up_pct"].get_default(call_default_factory=True)
    assert build_project(builds.drop(columns=TERM_COLUMNS).iloc[0]).ramp_up_pct == default
    assert not (unrecorded["npv_musd"] == recorded["npv_musd"]).all()
    note = plan_assumptions(unrecorded.reset_index())
    assert "does not record its ramp-up and economic life" in note
    r = runner.invoke(app, ["finance", "--plan", str(tmp_path / "unrecorded")])
    assert r.exit_code == 0, r.output
    assert "does not record its ramp-up" in " ".join(r.output.split())


def test_a_stack_file_replaces_every_builds_financing(plan_dir: Path) -> None:
    r = runner.invoke(
        app, ["finance", "--plan", str(plan_dir), "--stack", str(STACKS / "blended.yaml")]
    )
    assert r.exit_code == 0, r.output
    blended = STACKS / "blended.yaml"
    frame = plan_finance(load_dataset(), plan_dir, (load_stack(blended), str(blended)))
    assert set(frame["stack"]) == {load_stack(blended).name}
    own = plan_finance(load_dataset(), plan_dir)
    assert (frame["min_dscr"] > own["min_dscr"]).all()


def _broken(tmp_path: Path, plan_dir: Path, what: str) -> str:
    target = tmp_path / what
    target.mkdir()
    if what == "no-results":
        (target / PLAN_FILE).write_bytes((plan_dir / PLAN_FILE).read_bytes())
    if what == "no-column":
        (target / RESULTS_FILE).write_bytes((plan_dir / RESULTS_FILE).read_bytes())
        pd.read_csv(plan_dir / PLAN_FILE).drop(columns="capex_musd").to_csv(target / PLAN_FILE)
    return str(target)


@pytest.mark.parametrize(
    ("what", "expected"),
    [
        ("missing", "missing: no such directory (allowed: a directory written by kazree plan"),
        ("empty", "empty: no plan.csv (allowed:"),
        ("no-results", "no-results: no results.nc (allowed:"),
        ("no-column", "plan.csv: missing column 'capex_musd'"),
    ],
)
def test_a_bad_plan_directory_is_a_one_line_error(
    what: str,
    expected: str,
    plan_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    directory = str(tmp_path / what) if what == "missing" else _broken(tmp_path, plan_dir, what)
    assert expected in user_error(monkeypatch, capsys, "finance", "--plan", directory)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], "give PROJECT or --plan DIR"),
        (["kz-mine-to-oxide.yaml", "--plan", "x"], "give PROJECT or --plan DIR"),
        (["--plan", "x", "--detail"], "--detail applies to PROJECT only"),
        (["--plan", "x", "--prices", "80"], "--prices applies to PROJECT only"),
    ],
)
def test_project_and_plan_are_exclusive(
    args: list[str],
    expected: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert expected in user_error(monkeypatch, capsys, "finance", *args)


def synthetic_run(magnet_price_dy: float = 100.0) -> xr.Dataset:
    """One country, two elements, two years; magnets made in 2030 only."""
    stages = ["mining", "cracking", "separation", "metal", "magnet", "end_use"]
    coords = {"stage": stages, "country": ["KZ"], "element": ["Nd", "Dy"], "year": [2030, 2031]}
    price = xr.DataArray(np.nan, coords=coords, dims=list(coords))
    price.loc[{"stage": "metal", "element": "Nd"}] = 40.0
    price.loc[{"stage": "metal", "element": "Dy"}] = 300.0
    price.loc[{"stage": "magnet", "element": "Nd"}] = 100.0
    price.loc[{"stage": "magnet", "element": "Dy"}] = magnet_price_dy
    made = xr.zeros_like(price)
    made.loc[{"stage": "magnet", "year": 2030, "element": "Nd"}] = 300.0
    made.loc[{"stage": "magnet", "year": 2030, "element": "Dy"}] = 30.0
    magnets = xr.DataArray(
        [[[1000.0, 0.0]]],
        coords={"grade": ["n52"], "country": ["KZ"], "year": [2030, 2031]},
        dims=("grade", "country", "year"),
    )
    return xr.Dataset({"shadow_price": price, "stage_output": made, "magnet_output": magnets})


def test_a_magnet_margin_is_per_kg_of_magnet() -> None:
    """By hand: 300 t Nd and 30 t Dy in 1,000 t of magnets at US$100/kg of content, metal at
    US$40 and US$300/kg: (300 x 60 - 30 x 200) / 1,000 = US$12 per kg of magnet."""
    path = margin_path(synthetic_run(), "magnet", "KZ")
    assert path is not None
    assert path.years == (2030,)
    assert path.usd_per_kg == pytest.approx((12.0,))
    assert margin_path(synthetic_run(), "separation", "KZ") is None
    assert margin_path(synthetic_run(float("nan")), "magnet", "KZ") is None
