"""One wording for every mistake: ``error: WHERE VALUE: what is wrong (allowed: ...)``, on one
line, without the validation library's phrasing, with list indices that count the user's file."""

from __future__ import annotations

from pathlib import Path

import pytest

from kazree.data import check_dataset
from kazree.errors import KazreeError
from kazree.scenario import load_scenario
from user_errors import user_error

LIBRARY_PHRASES = ("Input should", "Extra inputs", "Value error", "Field required", "Usage:")


def error_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> str:
    err = user_error(monkeypatch, capsys, *args)
    for phrase in LIBRARY_PHRASES:
        assert phrase not in err
    return err.strip()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["data", "show", "facilities", "-f", "xml"],
            "error: kazree data show: --format/-f 'xml': not one of the choices "
            "(allowed: table, csv, json)",
        ),
        (
            ["report", "--year", "soon"],
            "error: kazree report: --year 'soon': is not a whole number "
            "(allowed: an integer such as 2024)",
        ),
        (
            ["controls", "--nope"],
            "error: kazree controls: unknown option --nope (allowed: --exporter, --on, "
            "--element, --all, --format, -f, --json, --help)",
        ),
        (["run"], "error: kazree run: SCENARIO is missing (allowed: see kazree run --help)"),
        (
            ["frobnicate"],
            "error: kazree: No such command 'frobnicate' (allowed: compare, controls, data, "
            "demo, exchange, finance, partners, plan, report, risk, run, serve, validate, zones)",
        ),
        (
            ["--lang", "de", "controls"],
            "error: --lang 'de': no catalog for this language (allowed: en, ru, kk)",
        ),
        (
            ["controls", "--on", "2025-02-30"],
            "error: --on '2025-02-30': not a date (allowed: YYYY-MM-DD, e.g. 2025-06-01)",
        ),
    ],
)
def test_command_line_mistakes_read_like_every_other_error(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    expected: str,
) -> None:
    assert error_line(monkeypatch, capsys, *args) == expected


def scenario_error(path: Path, text: str) -> str:
    path.write_text(text)
    with pytest.raises(KazreeError) as info:
        load_scenario(path)
    message = str(info.value)
    for phrase in LIBRARY_PHRASES:
        assert phrase not in message
    assert "(allowed: " in message
    return message


BAD_FACILITY = (
    "  - {id: my-mine, country: KZ, stage: mining, capacity_t: -5,\n"
    "     capacity_basis: t_reo, status: operating}\n"
)


def test_a_list_index_counts_the_items_of_the_users_own_file(tmp_path: Path) -> None:
    # kazrareearth-2030 declares four facilities: the merged list has the user's at index 4.
    path = tmp_path / "mine.yaml"
    text = "extends: kazrareearth-2030\nfacilities:\n" + BAD_FACILITY
    assert scenario_error(path, text) == (
        f"{path}: facilities[0].capacity_t: -5: is negative (allowed: 0 or more)"
    )


def test_an_item_of_a_parent_file_is_named_in_that_file(tmp_path: Path) -> None:
    parent = tmp_path / "parent.yaml"
    parent.write_text("extends: baseline\nfacilities:\n" + BAD_FACILITY)
    child = tmp_path / "child.yaml"
    good = BAD_FACILITY.replace("my-mine", "other").replace("-5", "10")
    message = scenario_error(child, "extends: parent.yaml\nfacilities:\n" + good)
    assert message == f"{parent}: facilities[0].capacity_t: -5: is negative (allowed: 0 or more)"


def test_an_unknown_field_lists_the_fields_of_its_block(tmp_path: Path) -> None:
    message = scenario_error(tmp_path / "s.yaml", "extends: baseline\nyears: {begin: 2024}\n")
    assert message.endswith("years.begin: unknown field (allowed: start, end)")


def test_a_value_of_the_wrong_type(tmp_path: Path) -> None:
    message = scenario_error(tmp_path / "s.yaml", "extends: baseline\nyears: {start: soon}\n")
    assert message.endswith(
        "years.start: 'soon': is not a whole number (allowed: an integer such as 2024)"
    )


def test_dataset_cells_use_the_same_wording(tmp_path: Path) -> None:
    from kazree.data.loader import embedded_root

    copy = tmp_path / "copy"
    copy.mkdir()
    for item in embedded_root().iterdir():
        if item.name.endswith(".csv"):
            text = item.read_text(encoding="utf-8")
            if item.name == "china_quotas.csv":
                lines = text.splitlines()
                header = lines[0].split(",")
                cells = lines[1].split(",")
                cells[header.index("year")] = "soon"
                text = "\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n"
            (copy / item.name).write_text(text, encoding="utf-8")
    messages = [str(p) for p in check_dataset(copy)]
    bad = [m for m in messages if m.startswith("china_quotas.csv:2: year:")]
    assert bad == [
        "china_quotas.csv:2: year: 'soon' is not a whole number (allowed: an integer such as 2024)"
    ]
    assert not any(phrase in m for m in messages for phrase in LIBRARY_PHRASES)
