"""The embedded, sourced rare-earth dataset: files, schema, loader and validators.

>>> from kazree.data import load_dataset
>>> ds = load_dataset()
>>> ds.table("mine_production").columns[0]
'country'

The names below load on first use, so that a module needing one table's schema does not pay for
every table's.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kazree.data.loader import Dataset, check_dataset, load_dataset
    from kazree.data.problems import DatasetError, Problem, Severity

__all__ = ["Dataset", "DatasetError", "Problem", "Severity", "check_dataset", "load_dataset"]

_HOME = {
    "Dataset": "kazree.data.loader",
    "check_dataset": "kazree.data.loader",
    "load_dataset": "kazree.data.loader",
    "DatasetError": "kazree.data.problems",
    "Problem": "kazree.data.problems",
    "Severity": "kazree.data.problems",
}


def __getattr__(name: str) -> Any:
    """Import the module that holds ``name`` on first use."""
    if name in _HOME:
        return getattr(import_module(_HOME[name]), name)
    msg = f"module 'kazree.data' has no attribute {name!r}"
    raise AttributeError(msg)
