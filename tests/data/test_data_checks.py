"""Each way of breaking a dataset copy gives one precise ``file:line: field: message`` error."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from kazree.data import Severity, check_dataset, load_dataset
from kazree.data.loader import embedded_root, read_dataset
from kazree.data.problems import DatasetError, errors, warnings
from kazree.data.schema import SourcedRow

Edit = Callable[..., int]


def error_texts(path: Path) -> list[str]:
    return [str(p) for p in errors(check_dataset(path))]


def test_embedded_dataset_has_no_errors() -> None:
    assert errors(check_dataset()) == []


def test_copy_checks_like_the_embedded_dataset(copy_dir: Path) -> None:
    assert check_dataset(copy_dir) == check_dataset()


def test_bad_type(copy_dir: Path, edit: Edit) -> None:
    line = edit("facilities.csv", "id", "lynas-lamp", "capacity_t", "ten thousand")
    assert error_texts(copy_dir) == [
        f"facilities.csv:{line}: capacity_t: 'ten thousand' is not a number "
        "(allowed: a decimal number such as 1500 or 0.25)"
    ]


def test_unknown_code(copy_dir: Path, edit: Edit) -> None:
    line = edit("facilities.csv", "id", "lynas-lamp", "status", "running")
    assert error_texts(copy_dir) == [
        f"facilities.csv:{line}: status: unknown code 'running' (allowed: 'operating', "
        "'construction', 'feasibility', 'exploration', 'announced', 'suspended' or 'historic')"
    ]


def test_unknown_country_on_a_facility(copy_dir: Path, edit: Edit) -> None:
    line = edit("facilities.csv", "id", "lynas-lamp", "country", "XQ")
    assert error_texts(copy_dir) == [
        f"facilities.csv:{line}: country: unknown country 'XQ' (allowed: a code in countries.csv)"
    ]


def test_malformed_country_code(copy_dir: Path, edit: Edit) -> None:
    line = edit("facilities.csv", "id", "lynas-lamp", "country", "Malaysia")
    assert error_texts(copy_dir) == [
        f"facilities.csv:{line}: country: 'Malaysia' is not a country code "
        "(allowed: ISO 3166 alpha-2, e.g. KZ)"
    ]


def test_shares_not_summing_to_100(copy_dir: Path) -> None:
    path = copy_dir / "element_distribution.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    first = next(i for i, text in enumerate(lines) if text.startswith("bastnaesite_carbonatite,"))
    assert ",La,33.8," in lines[first]
    lines[first] = lines[first].replace(",La,33.8,", ",La,43.8,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert error_texts(copy_dir) == [
        f"element_distribution.csv:{first + 1}: share_pct: shares of deposit type "
        "'bastnaesite_carbonatite' sum to 110.00 % (allowed: 100 ± 2.5 %)"
    ]


def test_negative_capacity(copy_dir: Path, edit: Edit) -> None:
    line = edit("facilities.csv", "id", "lynas-lamp", "capacity_t", "-10500")
    assert error_texts(copy_dir) == [
        f"facilities.csv:{line}: capacity_t: '-10500' is negative (allowed: 0 or more)"
    ]


def test_start_year_before_discovery(copy_dir: Path, edit: Edit) -> None:
    line = edit("facilities.csv", "id", "lynas-mt-weld", "start_year", "1980")
    assert error_texts(copy_dir) == [
        f"facilities.csv:{line}: start_year: start year 1980 is before discovery year 1988 "
        "(allowed: >= 1988)"
    ]


def test_inconsistent_tonnage_times_grade(copy_dir: Path, edit: Edit) -> None:
    line = edit("deposits.csv", "id", "kg-kutessay-ii-mi", "ore_t", "1000000")
    assert error_texts(copy_dir) == [
        f"deposits.csv:{line}: contained_reo_t: kg-kutessay-ii-mi: ore_t x grade = "
        "1,000,000 t x 2,640 g/t = 2,640 t, but contained_reo_t claims 42,980 t "
        "(16x apart; allowed: within a factor 2)"
    ]


def test_consistent_tonnage_times_grade_passes(copy_dir: Path, edit: Edit) -> None:
    # 42,980 t at 0.264 % is 16.28 Mt of ore: consistent, so no new problem appears.
    edit("deposits.csv", "id", "kg-kutessay-ii-mi", "ore_t", "16280000")
    assert check_dataset(copy_dir) == check_dataset()


def test_kazakh_20_mt_claim_is_flagged_as_inconsistent() -> None:
    flagged = [
        p
        for p in check_dataset()
        if p.field == "contained_reo_t" and "kz-zhana-kazakhstan" in p.message
    ]
    assert len(flagged) == 1
    assert flagged[0].severity is Severity.WARNING
    assert "= 14,000 t, but contained_reo_t claims 20,000,000 t" in flagged[0].message


def test_kazakh_claim_becomes_an_error_when_trusted(copy_dir: Path, edit: Edit) -> None:
    line = edit("deposits.csv", "id", "kz-zhana-kazakhstan", "confidence", "medium")
    found = error_texts(copy_dir)
    assert len(found) == 1
    assert found[0].startswith(f"deposits.csv:{line}: contained_reo_t: kz-zhana-kazakhstan: ")


def test_unknown_source_id(copy_dir: Path, edit: Edit) -> None:
    line = edit("prices.csv", "product", "Tb", "source", "usgs_mcs2025;no_such_source")
    assert error_texts(copy_dir) == [
        f"prices.csv:{line}: source: unknown source id 'no_such_source' "
        "(allowed: an id in sources.csv)"
    ]


def test_bad_vintage(copy_dir: Path, edit: Edit) -> None:
    line = edit("reserves.csv", "country", "CN", "vintage", "Jan 2025")
    assert error_texts(copy_dir) == [
        f"reserves.csv:{line}: vintage: 'Jan 2025' is not a date "
        "(allowed: YYYY, YYYY-MM or YYYY-MM-DD)"
    ]


def test_unknown_aggregate_and_deposit_type(copy_dir: Path, edit: Edit) -> None:
    line = edit("facilities.csv", "id", "serra-verde", "part_of", "BR-mines")
    edit("facilities.csv", "id", "serra-verde", "deposit_type", "clay")
    found = error_texts(copy_dir)
    assert found[0] == (
        f"facilities.csv:{line}: part_of: unknown aggregate 'BR-mines' "
        "(allowed: an id with aggregate true)"
    )
    assert found[1].startswith(f"facilities.csv:{line}: deposit_type: unknown deposit type 'clay'")


def test_duplicate_key(copy_dir: Path, edit: Edit) -> None:
    line = edit("facilities.csv", "id", "lynas-lamp-hree", "id", "lynas-lamp")
    assert error_texts(copy_dir) == [
        f"facilities.csv:{line}: id: duplicate row: same id as line {line - 1} "
        "(allowed: one row per key)"
    ]


def test_unknown_column(copy_dir: Path) -> None:
    path = copy_dir / "lead_times.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("years,", "yrs,", 1), encoding="utf-8")
    found = error_texts(copy_dir)
    assert found[0].startswith("lead_times.csv:1: yrs: unknown column (allowed: source, vintage,")
    assert found[1] == "lead_times.csv:1: years: required column is missing"


def test_missing_file(copy_dir: Path, remove_file: Callable[[str], None]) -> None:
    remove_file("demand.csv")
    assert error_texts(copy_dir) == ["demand.csv:0: (file): file is missing (allowed: none)"]


def test_load_raises_with_every_error(copy_dir: Path, edit: Edit) -> None:
    first = edit("facilities.csv", "id", "lynas-lamp", "status", "running")
    second = edit("facilities.csv", "id", "usare-stillwater", "capacity_t", "-1")
    with pytest.raises(DatasetError) as caught:
        load_dataset(copy_dir)
    text = str(caught.value)
    assert f"facilities.csv:{first}: status: unknown code 'running'" in text
    assert f"facilities.csv:{second}: capacity_t: '-1' is negative" in text
    assert len(caught.value.problems) == 2


def test_a_broken_row_a_derivation_cites_gives_a_follow_on_error(
    copy_dir: Path, edit: Edit
) -> None:
    line = edit("facilities.csv", "id", "noveon-san-marcos", "capacity_t", "-1")
    texts = error_texts(copy_dir)
    assert texts[0] == f"facilities.csv:{line}: capacity_t: '-1' is negative (allowed: 0 or more)"
    assert texts[1].endswith(
        "formula: 'facilities[noveon-san-marcos].capacity_t': no row of facilities.csv has "
        "that key (allowed: an existing row)"
    )
    assert len(texts) == 2


def test_warnings_do_not_stop_loading() -> None:
    assert warnings(check_dataset())
    assert load_dataset().tables


def test_uncited_source_is_a_warning(copy_dir: Path, edit: Edit) -> None:
    records, _ = read_dataset(embedded_root())
    cited = [
        (name, record.line, record.row.source)
        for name, rows in records.items()
        for record in rows
        if isinstance(record.row, SourcedRow)
    ]
    counts = Counter(sid for _, _, cell in cited for sid in cell.split(";"))
    table, line, only = next(c for c in cited if ";" not in c[2] and counts[c[2]] == 1)
    edit(f"{table}.csv", "line", str(line), "source", "usgs_mcs2025")
    found = [p for p in check_dataset(copy_dir) if p.field == "id"]
    assert [(p.severity, p.message) for p in found] == [
        (Severity.WARNING, f"source {only!r} is cited by no row")
    ]


def test_derived_capex_must_match_its_inputs(copy_dir: Path, edit: Edit) -> None:
    line = edit(
        "capex_benchmarks.csv", "project", "SARECO Stepnogorsk (2012)", "capacity_t", "3000"
    )
    assert error_texts(copy_dir) == [
        f"capex_benchmarks.csv:{line}: capex_per_t_per_year: 20,000 does not match "
        "capex_m x 1e6 / capacity_t = 10,000 (allowed: within 1%)"
    ]


def test_magnet_recipe_over_100_wt_pct(copy_dir: Path, edit: Edit) -> None:
    edit("magnet_recipes.csv", "element", "Dy", "content_wt_pct", "90")
    found = error_texts(copy_dir)
    assert len(found) == 1
    assert (
        "contents of 'sintered_ndfeb/high_temperature_ev' sum to 116.0 wt % (allowed: <= 100)"
        in (found[0])
    )


@pytest.mark.parametrize(
    ("file", "key_column", "key", "column", "value", "allowed"),
    [
        ("facilities.csv", "id", "lynas-lamp", "capacity_measure", "design", "'nameplate'"),
        ("stage_shares.csv", "line", "2", "coverage", "all", "'all_ree'"),
        ("stage_shares.csv", "line", "2", "measure", "refined", "'output'"),
        ("prices.csv", "line", "2", "market", "china_fob_usgs", "'unstated'"),
        ("lead_times.csv", "line", "2", "commodity", "metals", "'rare_earths'"),
        ("capex_benchmarks.csv", "line", "7", "capacity_basis", "t_oxides", "'t_ndpr_oxide'"),
        ("china_quotas.csv", "line", "2", "ore_type", "clay", "'ionic_clay'"),
    ],
)
def test_a_basis_outside_the_allowed_list_is_refused(
    copy_dir: Path,
    edit: Edit,
    file: str,
    key_column: str,
    key: str,
    column: str,
    value: str,
    allowed: str,
) -> None:
    line = edit(file, key_column, key, column, value)
    texts = error_texts(copy_dir)
    assert len(texts) == 1
    assert texts[0].startswith(f"{file}:{line}: {column}: unknown code {value!r} (allowed: ")
    assert allowed in texts[0]
