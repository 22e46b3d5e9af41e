"""A cost-curve request, ``TARGET=LOW:HIGH:STEP``: one plan target and the levels to solve it at
(``kazree plan --sweep`` and the dashboard's ``sweep``)."""

from __future__ import annotations

from kazree.errors import KazreeError
from kazree.i18n import _


def parse_sweep(text: str, field: str = "--sweep") -> tuple[str, list[float]]:
    """``"name=LOW:HIGH:STEP"`` -> (name, [LOW, LOW+STEP, ..., HIGH]); a one-line error naming
    ``field`` otherwise."""
    name, _sep, bounds = text.partition("=")
    parts = bounds.split(":")
    try:
        low, high, step = (float(p) for p in parts)
    except ValueError:
        low = high = step = float("nan")
    if not name or len(parts) != 3 or not step > 0 or not high >= low:
        msg = _(
            "{field} {value}: not TARGET=LOW:HIGH:STEP (allowed: e.g. kz_value_added=0:200:50)"
        ).format(field=field, value=repr(text))
        raise KazreeError(msg)
    count = round((high - low) / step) + 1
    return name, [low + i * step for i in range(count) if low + i * step <= high + 1e-9]
