"""The roadmap planner: candidate projects, build decisions with lead times, annuities and dated
targets on top of the supply-chain model (docs/planner.md)."""

from kazree.planner.api import Plan, plan, sweep

__all__ = ["Plan", "plan", "sweep"]
