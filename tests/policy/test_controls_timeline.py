"""China's export controls on every date of the 2023-2027 timeline, element by element.

The expected statuses are written out by hand from the reference timeline (t03): the 2008
catalogue until the 2023 revision, No. 18 from 4 April 2025, No. 62 from 9 October 2025, the
October package (Nos. 55-58) from 8 November and No. 61 from 1 December 2025, all of them except
No. 18 suspended by No. 70 from 7 November 2025 to 10 November 2026 inclusive, and back in force
from 11 November 2026. Dates are the timeline's own dates plus the day before and after each edge.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from kazree.chain.elements import symbols
from kazree.cli import app, controls
from kazree.data.controls_schema import ExportControlRow
from kazree.policy import RuleStatus, licence_share, rules_on

N, F, S, X = (
    RuleStatus.NOT_YET_EFFECTIVE,
    RuleStatus.IN_FORCE,
    RuleStatus.SUSPENDED,
    RuleStatus.EXPIRED,
)

ALL_16 = frozenset(
    {"La", "Ce", "Pr", "Nd", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu", "Y", "Sc"}
)
APRIL_2025 = frozenset({"Sm", "Gd", "Tb", "Dy", "Lu", "Sc", "Y"})
OCTOBER_2025 = frozenset({"Ho", "Er", "Tm", "Eu", "Yb"})
NONE: frozenset[str] = frozenset()

# Which elements each Chinese rule covers.
SCOPE = {
    "cn_tech_catalogue_2008": ALL_16,
    "cn_export_quota_2010": ALL_16,
    "cn_tech_catalogue_2023": ALL_16,
    "cn_mofcom_18_2025": APRIL_2025,
    "cn_mofcom_62_2025": ALL_16,
    "cn_mofcom_55_2025": NONE,
    "cn_mofcom_56_2025": ALL_16,
    "cn_mofcom_57_2025": OCTOBER_2025,
    "cn_mofcom_58_2025": NONE,
    "cn_mofcom_61_2025": APRIL_2025 | OCTOBER_2025,
    "cn_mofcom_70_2025": ALL_16,
}
IDS = tuple(SCOPE)

# Status of each rule in SCOPE order:
#   cat2008 quota cat2023 No.18 No.62 No.55 No.56 No.57 No.58 No.61 No.70
TIMELINE: dict[str, tuple[RuleStatus, ...]] = {
    "2023-01-30": (F, X, N, N, N, N, N, N, N, N, N),
    "2023-12-20": (F, X, N, N, N, N, N, N, N, N, N),
    "2023-12-21": (X, X, F, N, N, N, N, N, N, N, N),
    "2023-12-22": (X, X, F, N, N, N, N, N, N, N, N),
    "2024-09-30": (X, X, F, N, N, N, N, N, N, N, N),
    "2024-10-01": (X, X, F, N, N, N, N, N, N, N, N),
    "2025-04-03": (X, X, F, N, N, N, N, N, N, N, N),
    "2025-04-04": (X, X, F, F, N, N, N, N, N, N, N),
    "2025-04-05": (X, X, F, F, N, N, N, N, N, N, N),
    "2025-06-01": (X, X, F, F, N, N, N, N, N, N, N),
    "2025-08-22": (X, X, F, F, N, N, N, N, N, N, N),
    "2025-10-08": (X, X, F, F, N, N, N, N, N, N, N),
    "2025-10-09": (X, X, F, F, F, N, N, N, N, N, N),
    "2025-10-10": (X, X, F, F, F, N, N, N, N, N, N),
    "2025-10-30": (X, X, F, F, F, N, N, N, N, N, N),
    "2025-11-06": (X, X, F, F, F, N, N, N, N, N, N),
    "2025-11-07": (X, X, F, F, S, N, N, N, N, N, F),
    "2025-11-08": (X, X, F, F, S, S, S, S, S, N, F),
    "2025-11-09": (X, X, F, F, S, S, S, S, S, N, F),
    "2025-11-30": (X, X, F, F, S, S, S, S, S, N, F),
    "2025-12-01": (X, X, F, F, S, S, S, S, S, S, F),
    "2025-12-02": (X, X, F, F, S, S, S, S, S, S, F),
    "2025-12-11": (X, X, F, F, S, S, S, S, S, S, F),
    "2025-12-31": (X, X, F, F, S, S, S, S, S, S, F),
    "2026-01-01": (X, X, F, F, S, S, S, S, S, S, F),
    "2026-11-09": (X, X, F, F, S, S, S, S, S, S, F),
    "2026-11-10": (X, X, F, F, S, S, S, S, S, S, F),
    "2026-11-11": (X, X, F, F, F, F, F, F, F, F, X),
    "2026-11-27": (X, X, F, F, F, F, F, F, F, F, X),
    "2027-01-01": (X, X, F, F, F, F, F, F, F, F, X),
    "2027-12-31": (X, X, F, F, F, F, F, F, F, F, X),
}

# Elements whose oxide exports from China need a licence (a product licence in force).
LICENSED_ELEMENTS = {
    "2023-01-30": NONE,
    "2025-04-03": NONE,
    "2025-04-04": APRIL_2025,
    "2025-11-08": APRIL_2025,
    "2026-11-10": APRIL_2025,
    "2026-11-11": APRIL_2025 | OCTOBER_2025,
    "2027-12-31": APRIL_2025 | OCTOBER_2025,
}


def expected(on: str, element: str | None, *, include_all: bool) -> dict[str, RuleStatus]:
    """The hand-written expectation for ``on``, optionally narrowed to one element."""
    return {
        rule_id: status
        for rule_id, status in zip(IDS, TIMELINE[on], strict=True)
        if (element is None or element in SCOPE[rule_id]) and (include_all or status in {F, S})
    }


def test_scope_table_names_all_16_elements() -> None:
    assert frozenset(symbols()) == ALL_16
    assert APRIL_2025.isdisjoint(OCTOBER_2025)
    assert len(APRIL_2025 | OCTOBER_2025) == 12


def test_dataset_has_exactly_the_expected_chinese_rules(
    rules: tuple[ExportControlRow, ...],
) -> None:
    assert {r.id for r in rules if r.exporter == "CN"} == set(IDS)


@pytest.mark.parametrize("on", TIMELINE)
@pytest.mark.parametrize("include_all", [False, True])
def test_statuses_on_timeline_date(
    rules: tuple[ExportControlRow, ...], on: str, include_all: bool
) -> None:
    day = date.fromisoformat(on)
    for element in [None, *symbols()]:
        listed = rules_on(rules, day, exporter="CN", element=element, include_all=include_all)
        got = {item.rule.id: item.status for item in listed}
        assert got == expected(on, element, include_all=include_all), (on, element)


@pytest.mark.parametrize("on", TIMELINE)
def test_suspended_rules_name_announcement_70(rules: tuple[ExportControlRow, ...], on: str) -> None:
    for item in rules_on(rules, date.fromisoformat(on), exporter="CN"):
        by = ("cn_mofcom_70_2025",) if item.status is S else ()
        assert item.suspended_by == by


@pytest.mark.parametrize(("on", "licensed"), LICENSED_ELEMENTS.items())
def test_oxide_licence_share_by_element(
    rules: tuple[ExportControlRow, ...], on: str, licensed: frozenset[str]
) -> None:
    day = date.fromisoformat(on)
    for element in symbols():
        share = licence_share(
            rules,
            exporter="CN",
            destination="US",
            element=element,
            form="separated_oxide",
            on=day,
        )
        assert share == (0.5 if element in licensed else 1.0), (on, element)


@pytest.mark.parametrize(
    ("on", "share"),
    [("2023-12-20", 0.0), ("2023-12-21", 0.0), ("2025-11-07", 0.0), ("2026-11-11", 0.0)],
)
def test_technology_exports_stay_banned(
    rules: tuple[ExportControlRow, ...], on: str, share: float
) -> None:
    for element in symbols():
        got = licence_share(
            rules,
            exporter="CN",
            destination="DE",
            element=element,
            form="technology",
            on=date.fromisoformat(on),
        )
        assert got == share


@pytest.mark.parametrize(
    ("on", "share"),
    [("2025-11-07", 1.0), ("2025-11-08", 1.0), ("2026-11-10", 1.0), ("2026-11-11", 0.5)],
)
def test_equipment_controls_follow_the_suspension(
    rules: tuple[ExportControlRow, ...], on: str, share: float
) -> None:
    got = licence_share(
        rules,
        exporter="CN",
        destination="US",
        element="Nd",
        form="equipment",
        on=date.fromisoformat(on),
    )
    assert got == share


@pytest.mark.parametrize("on", TIMELINE)
def test_cli_json_on_timeline_date_element_by_element(
    rules: tuple[ExportControlRow, ...], monkeypatch: pytest.MonkeyPatch, on: str
) -> None:
    # The dataset is loaded once for the session (test_controls_cli runs the loader per call).
    monkeypatch.setattr(controls, "dataset_rules", lambda: rules)
    runner = CliRunner()
    for element in [None, *symbols()]:
        for include_all in (False, True):
            args = ["controls", "--exporter", "CN", "--on", on, "--json"]
            args += ["--element", element] if element else []
            args += ["--all"] if include_all else []
            result = runner.invoke(app, args)
            assert result.exit_code == 0, result.output
            got = {row["id"]: row["status"] for row in json.loads(result.stdout)}
            want = expected(on, element, include_all=include_all)
            assert got == {rule_id: status.value for rule_id, status in want.items()}, args
