"""Validation of user-supplied rules, whole-set checks and inline overrides."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kazree.data.controls_schema import ExportControlRow, RuleKind
from kazree.data.loader import embedded_root, load_dataset
from kazree.data.problems import DatasetError
from kazree.errors import KazreeError
from kazree.policy import check_rules, override_rules, parse_rules, rules_on
from kazree.policy.rules import dataset_rules

GOOD: dict[str, Any] = {
    "id": "kz_test_ban",
    "instrument": "Test ban",
    "issuer": "Test issuer",
    "exporter": "KZ",
    "kind": "ban",
    "elements": "Nd;Pr",
    "forms": "ore_concentrate",
    "destinations": "*",
    "effective": "2027-01-01",
    "licence_share": 0,
    "source": "test_source",
    "vintage": "2026",
    "confidence": "low",
}


def test_good_rule_parses_with_typed_fields() -> None:
    (rule,) = parse_rules([GOOD], origin="scenario.yaml")
    assert rule.kind is RuleKind.BAN
    assert rule.elements == ("Nd", "Pr")
    assert rule.effective == date(2027, 1, 1)
    assert rule.until is None


def test_lists_may_be_given_as_lists() -> None:
    (rule,) = parse_rules([GOOD | {"elements": ["Dy", "Tb"]}], origin="scenario.yaml")
    assert rule.elements == ("Dy", "Tb")


@pytest.mark.parametrize(
    ("change", "fragments"),
    [
        ({"elements": "Nd;Xx"}, ["elements", "'Xx'", "allowed: La, Ce"]),
        ({"elements": "*;Nd"}, ["elements", "'*' must stand alone"]),
        ({"elements": "Nd;Nd"}, ["elements", "repeated"]),
        ({"forms": "powder"}, ["forms", "'powder'", "technology, equipment"]),
        ({"effective": "2027-13-01"}, ["effective", "'2027-13-01'"]),
        ({"until": "2026-12-31"}, ["until 2026-12-31 is before effective 2027-01-01"]),
        ({"destinations": "usa"}, ["destinations", "'usa'"]),
        ({"exporter": "Kazakhstan"}, ["exporter", "'Kazakhstan'"]),
        ({"licence_share": 1.5}, ["licence_share", "1.5"]),
        ({"kind": "embargo"}, ["kind", "'embargo'", "licence"]),
        ({"suspends": "x"}, ["suspends", "only kind 'suspension'"]),
        ({"kind": "suspension"}, ["suspends", "must list the ids"]),
        ({"elements": ""}, ["elements", "non_ree"]),
        ({"colour": "red"}, ["colour"]),
    ],
)
def test_bad_rule_names_field_value_and_what_is_allowed(
    change: dict[str, Any], fragments: list[str]
) -> None:
    with pytest.raises(KazreeError) as info:
        parse_rules([GOOD | change], origin="scenario.yaml")
    message = str(info.value)
    assert message.startswith("scenario.yaml: rule 'kz_test_ban': ")
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message


def test_rule_without_id_is_named_by_position() -> None:
    record = {k: v for k, v in GOOD.items() if k != "id"}
    with pytest.raises(KazreeError, match=r"rule '#2': id: Field required"):
        parse_rules([GOOD, record], origin="scenario.yaml")


def test_record_that_is_not_a_mapping_is_reported() -> None:
    with pytest.raises(KazreeError, match=r"scenario.yaml: rule #1: 'Dy' is not a mapping"):
        parse_rules(["Dy"], origin="scenario.yaml")


def test_unknown_suspended_id_is_reported(rules: tuple[ExportControlRow, ...]) -> None:
    pause = parse_rules(
        [GOOD | {"id": "pause", "kind": "suspension", "suspends": "nope", "licence_share": 1}],
        origin="scenario.yaml",
    )
    with pytest.raises(KazreeError, match=r"rule 'pause': suspends unknown rule 'nope'"):
        override_rules(rules, pause, origin="scenario.yaml")


def test_repeated_id_is_reported() -> None:
    rules = parse_rules([GOOD, GOOD], origin="scenario.yaml")
    with pytest.raises(KazreeError, match="'kz_test_ban' appears more than once"):
        check_rules(rules, origin="scenario.yaml")
    with pytest.raises(KazreeError, match="'kz_test_ban' appears more than once"):
        override_rules((), rules, origin="scenario.yaml")


def test_suspension_cannot_suspend_a_suspension(rules: tuple[ExportControlRow, ...]) -> None:
    extra = parse_rules(
        [
            GOOD
            | {"id": "p", "kind": "suspension", "suspends": "cn_mofcom_70_2025", "licence_share": 1}
        ],
        origin="scenario.yaml",
    )
    with pytest.raises(KazreeError, match="cannot suspend suspension rule 'cn_mofcom_70_2025'"):
        override_rules(rules, extra, origin="scenario.yaml")


def test_override_replaces_by_id_and_appends_new_rules(
    rules: tuple[ExportControlRow, ...],
) -> None:
    no70 = next(r for r in rules if r.id == "cn_mofcom_70_2025")
    extended = no70.model_copy(update={"until": date(2027, 11, 10)})
    merged = override_rules(rules, [extended, *parse_rules([GOOD], origin="s")], origin="s")
    assert len(merged) == len(rules) + 1
    assert [r.id for r in merged[: len(rules)]] == [r.id for r in rules]
    listed = rules_on(merged, date(2027, 6, 1), exporter="CN", element="Ho")
    assert {i.rule.id: i.status.value for i in listed} == {
        "cn_tech_catalogue_2023": "in_force",
        "cn_mofcom_62_2025": "suspended",
        "cn_mofcom_56_2025": "suspended",
        "cn_mofcom_57_2025": "suspended",
        "cn_mofcom_61_2025": "suspended",
        "cn_mofcom_70_2025": "in_force",
    }
    assert merged[-1].id == "kz_test_ban"


def _dataset_copy(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the embedded dataset with one edit to ``export_controls.csv``."""
    root = tmp_path / "dataset"
    shutil.copytree(str(embedded_root()), root)
    table = root / "export_controls.csv"
    text = table.read_text(encoding="utf-8")
    assert old in text
    table.write_text(text.replace(old, new), encoding="utf-8")
    return root


def test_bad_cell_in_the_table_names_file_line_field_and_value(tmp_path: Path) -> None:
    root = _dataset_copy(tmp_path, "Sm;Gd;Tb;Dy;Lu;Sc;Y,mixed", "Sm;Gd;Tb;Dy;Lu;Sc;Yt,mixed")
    with pytest.raises(DatasetError, match=r"export_controls.csv:5: elements: unknown 'Yt'"):
        load_dataset(root)


def test_unknown_suspended_id_in_the_table_is_reported(tmp_path: Path) -> None:
    root = _dataset_copy(tmp_path, ";cn_mofcom_62_2025,1,", ";cn_mofcom_63_2025,1,")
    with pytest.raises(KazreeError, match=r"export_controls.csv: rule 'cn_mofcom_70_2025': "):
        dataset_rules(load_dataset(root))


def test_the_quick_read_of_the_rule_table_equals_the_checked_dataset() -> None:
    from kazree.policy.rules import embedded_rules

    assert embedded_rules() == dataset_rules()
