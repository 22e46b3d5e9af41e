"""The export controls the service derives from the dataset's dated rules."""

from __future__ import annotations

from datetime import date

from kazree.exchange.core.domain import ExportControl
from kazree.policy.rules import dataset_rules
from kazree.venue.controls import export_controls, in_force_windows
from kazree.venue.demo import SPECS

DEMO_PRODUCTS = [s.product for s in SPECS]


def _in_force(
    controls: tuple[ExportControl, ...], product: str, exporter: str, on: date
) -> list[str]:
    day = on.isoformat()
    return [
        c.rule_id
        for c in controls
        if c.exporter == exporter
        and product in c.products
        and (c.first_day is None or c.first_day <= day)
        and (c.last_day is None or day <= c.last_day)
    ]


def test_controls_follow_the_dataset_dates_and_suspensions() -> None:
    controls = export_controls(dataset_rules(), DEMO_PRODUCTS)
    assert _in_force(controls, "Dy-oxide", "CN", date(2025, 4, 3)) == []
    assert _in_force(controls, "Dy-oxide", "CN", date(2025, 4, 4)) == ["cn_mofcom_18_2025"]
    assert _in_force(controls, "Dy-oxide", "KZ", date(2026, 1, 1)) == []
    assert _in_force(controls, "NdPr-oxide", "CN", date(2026, 1, 1)) == []
    act = next(c.legal_instrument for c in controls if c.rule_id == "cn_mofcom_18_2025")
    assert act == "MOFCOM/GAC Announcement No. 18 (2025)"


def test_only_listed_products_are_controlled() -> None:
    controls = export_controls(dataset_rules(), ["NdPr-oxide", "unknown"])
    assert all(c.products == ("NdPr-oxide",) for c in controls)


def test_a_suspension_cuts_a_window_in_two() -> None:
    d = date
    windows = in_force_windows((d(2025, 1, 1), None), [(d(2025, 11, 10), d(2026, 11, 10))])
    assert windows == [(d(2025, 1, 1), d(2025, 11, 9)), (d(2026, 11, 11), None)]
    assert in_force_windows((None, d(2025, 1, 1)), [(d(2025, 2, 1), None)]) == [
        (None, d(2025, 1, 1))
    ]
    assert in_force_windows((d(2025, 3, 1), d(2025, 4, 1)), [(None, None)]) == []
