"""Each consistency check catches a copy of the dataset broken on purpose, naming both rows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kazree.data import check_dataset
from kazree.data.problems import errors, warnings

Edit = Callable[..., int]


def error_texts(path: Path) -> list[str]:
    return [str(p) for p in errors(check_dataset(path))]


def warning_texts(path: Path | None = None) -> list[str]:
    return [str(p) for p in warnings(check_dataset(path))]


def line_of(path: Path, file: str, start: str) -> int:
    """The CSV line (header = 1) of the first row of ``file`` starting with ``start``."""
    lines = (path / file).read_text(encoding="utf-8").splitlines()
    return next(n for n, text in enumerate(lines, start=1) if text.startswith(start))


def test_china_quota_against_usgs_mine_production(copy_dir: Path, edit: Edit) -> None:
    # the pre-audit 2023 figure: two batches only
    row = line_of(copy_dir, "china_quotas.csv", "2023,full year,all")
    quota = edit("china_quotas.csv", "line", str(row), "mining_quota_t_reo", "240000")
    usgs = line_of(copy_dir, "mine_production.csv", "CN,2023,MCS2025")
    split = [line_of(copy_dir, "china_quotas.csv", f"2023,full year,{k}") for k in ("hard", "ion")]
    assert error_texts(copy_dir) == [
        f"mine_production.csv:{usgs}: production_t_reo: CN 2023 (MCS2025) is 255,000 t but "
        f"China's full-year mining quota is 240,000 t (china_quotas.csv:{quota}; allowed: equal, "
        "USGS reports China's quota)",
        f"china_quotas.csv:{quota}: mining_quota_t_reo: 2023 full year: hard rock + ionic clay = "
        f"255,000 t (china_quotas.csv:{split[0]},{split[1]}) but the total is 240,000 t "
        "(allowed: equal)",
    ]


def test_an_older_usgs_edition_is_not_held_to_the_quota() -> None:
    # MCS 2024 gave China 240 kt for 2023 before the third batch; MCS 2025 revised it to 255 kt
    assert not [w for w in warning_texts() if "CN 2023" in w]


def test_quota_split_must_add_up(copy_dir: Path, edit: Edit) -> None:
    row = line_of(copy_dir, "china_quotas.csv", "2024,first batch,ionic_clay")
    ionic = edit("china_quotas.csv", "line", str(row), "mining_quota_t_reo", "11140")
    total = line_of(copy_dir, "china_quotas.csv", "2024,first batch,all")
    hard = line_of(copy_dir, "china_quotas.csv", "2024,first batch,hard_rock")
    assert error_texts(copy_dir) == [
        f"china_quotas.csv:{total}: mining_quota_t_reo: 2024 first batch: hard rock + ionic clay "
        f"= 136,000 t (china_quotas.csv:{hard},{ionic}) but the total is 135,000 t "
        "(allowed: equal)"
    ]


def test_separation_capacity_the_world_cannot_feed(copy_dir: Path, edit: Edit) -> None:
    # the pre-audit aggregate: 129,400 t NdPr oxide
    line = edit("facilities.csv", "id", "CN-separation", "capacity_t", "129400")
    edit("facilities.csv", "id", "CN-separation", "capacity_basis", "t_ndpr_oxide")
    imports = line_of(copy_dir, "facilities.csv", "CN-separation-imports")
    found = [e for e in error_texts(copy_dir) if "world's mines and scrap" in e]
    assert len(found) == 1
    assert found[0].startswith(
        f"facilities.csv:{line}: capacity_t: CN separation capacity holds 148,"
    )
    assert f"(facilities.csv:{line},{imports})" in found[0]
    assert found[0].endswith("(allowed: at most that)")


def test_separation_capacity_without_a_recorded_feed_route_is_a_warning() -> None:
    lamp = "facilities.csv:20"
    assert any(
        w.startswith(f"{lamp}: capacity_t: MY separation capacity holds 10,500 t NdPr oxide")
        and "(facilities.csv:13)" in w
        for w in warning_texts()
    )


def test_sector_demand_must_sum_to_its_world_totals(copy_dir: Path, edit: Edit) -> None:
    edit("demand.csv", "line", "13", "demand_t_reo", "24257")  # 2024 wind, +10,000 t
    texts = error_texts(copy_dir)
    magnet = line_of(copy_dir, "world_totals.csv", "magnet_ree_demand,2024")
    every = line_of(copy_dir, "world_totals.csv", "ree_demand,2024")
    assert (
        "demand.csv:12: demand_t_reo: magnet sectors of 2024 sum to 109,643 t "
        f"(demand.csv:12,13,14,15,16) but magnet_ree_demand is 99,643 t "
        f"(world_totals.csv:{magnet}; allowed: equal)"
    ) in texts
    assert (
        "demand.csv:12: demand_t_reo: all sectors of 2024 sum to 400,000 t "
        "(demand.csv:12,13,14,15,16,17,18,19,20,21) but ree_demand is 390,000 t "
        f"(world_totals.csv:{every}; allowed: equal)"
    ) in texts


def test_plant_output_against_its_feed_type(copy_dir: Path, edit: Edit) -> None:
    line = edit("facilities.csv", "id", "ef-white-mesa-2", "tb_oxide_t", "660")
    tb = line_of(
        copy_dir,
        "element_distribution.csv",
        'monazite_placer_florida,"Green Cove Springs (FL, USA)",Tb',
    )
    assert (
        f"facilities.csv:{line}: tb_oxide_t: ef-white-mesa-2: Tb 13.20% of NdPr, its feed type "
        f"'monazite_placer_florida' holds 1.16% (element_distribution.csv:{tb}; "
        "allowed: within a factor 2)"
    ) in warning_texts(copy_dir)


def test_white_mesa_plans_match_their_monazite_feed() -> None:
    assert not [w for w in warning_texts() if "ef-white-mesa-2" in w]


def test_derived_cell_recomputed_from_the_cells_it_cites(copy_dir: Path, edit: Edit) -> None:
    line = edit("facilities.csv", "id", "CN-separation", "capacity_t", "129400")
    derivation = line_of(copy_dir, "derivations.csv", "facilities[CN-separation].capacity_t")
    quota = line_of(copy_dir, "china_quotas.csv", "2024,full year,all")
    assert error_texts(copy_dir) == [
        f"facilities.csv:{line}: capacity_t: 129,400 does not match "
        "china_quotas[2024,full year,all].separation_quota_t_reo = 254,000 "
        f"(derivations.csv:{derivation}; from china_quotas.csv:{quota}; allowed: within 0.5 %)"
    ]


def test_a_derivation_that_cannot_be_read(copy_dir: Path, edit: Edit) -> None:
    bad = edit("derivations.csv", "line", "2", "formula", "2 ** 3")
    gone = edit("derivations.csv", "line", "3", "formula", "facilities[XX-mining].capacity_t")
    assert error_texts(copy_dir) == [
        f"derivations.csv:{bad}: formula: '2 ** 3' is not a formula "
        "(allowed: numbers, references, + - * / and brackets)",
        f"derivations.csv:{gone}: formula: 'facilities[XX-mining].capacity_t': no row of "
        "facilities.csv has that key (allowed: an existing row)",
    ]


def test_reserve_class_needs_a_reporting_code(copy_dir: Path, edit: Edit) -> None:
    line = edit("deposits.csv", "id", "kz-kuirektykol-irgiz", "resource_class", "reserve")
    assert error_texts(copy_dir) == [
        f"deposits.csv:{line}: resource_class: kz-kuirektykol-irgiz: 'reserve' needs a reporting "
        "code but claim_basis is 'none' (allowed: prognostic, historic or unknown without a code)"
    ]
