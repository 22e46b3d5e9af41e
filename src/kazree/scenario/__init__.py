"""Scenarios: the pydantic schema, YAML loading with ``extends:``, and the shipped scenarios."""

from kazree.scenario.loading import load_scenario, shipped_names
from kazree.scenario.schema import Scenario

__all__ = ["Scenario", "load_scenario", "shipped_names"]
