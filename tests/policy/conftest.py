"""Fixtures for the export-control tests: the dataset's rules and a small rule factory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kazree.data.controls_schema import ExportControlRow
from kazree.policy.rules import dataset_rules

RuleFactory = Callable[..., ExportControlRow]


@pytest.fixture(scope="session")
def rules() -> tuple[ExportControlRow, ...]:
    """The rules of the embedded dataset."""
    return dataset_rules()


@pytest.fixture
def make_rule() -> RuleFactory:
    """Build a valid rule; keyword arguments override its fields (CSV-style strings allowed)."""

    def make(**fields: Any) -> ExportControlRow:
        base: dict[str, Any] = {
            "id": "r1",
            "instrument": "Test instrument",
            "issuer": "Test issuer",
            "exporter": "CN",
            "kind": "licence",
            "elements": "Dy",
            "forms": "separated_oxide",
            "destinations": "*",
            "effective": "2025-04-04",
            "licence_share": 0.5,
            "source": "test_source",
            "vintage": "2025",
            "confidence": "high",
        }
        return ExportControlRow.model_validate(base | fields)

    return make
