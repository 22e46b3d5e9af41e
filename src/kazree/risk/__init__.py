"""Odds, not point estimates: Monte Carlo over a scenario's uncertain inputs with a plan held
fixed or re-planned, on Dask (docs/uncertainty.md)."""

from kazree.risk.outcomes import RiskResult
from kazree.risk.run import builds_from, risk

__all__ = ["RiskResult", "builds_from", "risk"]
