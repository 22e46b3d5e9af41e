"""Derivations: how a derived cell is computed from numbers and other cells."""

from __future__ import annotations

from pydantic import Field

from kazree.data.schema import OptionalStr, Row


class Derivation(Row):
    """One derived cell (``target``) and the arithmetic that gives it (``formula``).

    Both use ``table[key values].column`` references (see :mod:`kazree.data.derivations`).
    """

    target: str = Field(min_length=1)
    """The derived cell, e.g. ``facilities[CN-separation].capacity_t``."""
    formula: str = Field(min_length=1)
    """Numbers, references, ``+ - * /`` and brackets."""
    tolerance_pct: float = Field(default=0.5, ge=0.0, le=50.0)
    """How far the cell may sit from the formula (rounding), % of the formula's value."""
    note: OptionalStr = None
    """What the derivation stands for, in words."""
