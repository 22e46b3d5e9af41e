"""kazree: the rare-earth value chain, modelled and traded.

>>> import kazree
>>> scenario = kazree.load_scenario("baseline")        # doctest: +SKIP
>>> results = kazree.solve(scenario)                   # doctest: +SKIP
>>> results.ds["stage_output"].sel(stage="magnet")     # doctest: +SKIP
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kazree.model.solve import solve
    from kazree.planner import plan
    from kazree.scenario.loading import load_scenario

__version__ = "0.1.0"
__all__ = ["load_scenario", "plan", "solve"]

_LAZY = {
    "load_scenario": "kazree.scenario.loading",
    "plan": "kazree.planner",
    "solve": "kazree.model.solve",
}


def __getattr__(name: str) -> Any:
    """Import the model API on first use, so ``import kazree`` stays light."""
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    msg = f"module 'kazree' has no attribute {name!r}"
    raise AttributeError(msg)
