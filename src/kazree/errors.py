"""Errors a user can cause, and one wording for them. The CLI and the API turn these into one
clear message each: where, which value, what is wrong, then ``(allowed: ...)``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails


class KazreeError(Exception):
    """A problem with the user's input (file, field, value) that kazree can explain.

    The message names where the problem is and what is allowed; no traceback is shown for it.
    """


WRONG_TYPE: dict[str, str] = {
    kind: wording
    for kinds, wording in (
        (
            ("float_parsing", "float_type"),
            "is not a number (allowed: a decimal number such as 1500 or 0.25)",
        ),
        (
            ("int_parsing", "int_type", "int_from_float"),
            "is not a whole number (allowed: an integer such as 2024)",
        ),
        (("bool_parsing", "bool_type"), "is not a yes/no value (allowed: true or false)"),
        (("string_type", "str_type"), "is not text (allowed: a string)"),
        (
            ("dict_type", "model_type", "model_attributes_type"),
            "is not a mapping (allowed: field: value pairs)",
        ),
        (("list_type", "tuple_type"), "is not a list (allowed: a list of items)"),
        (
            ("date_parsing", "date_from_datetime_parsing", "date_type"),
            "is not a date (allowed: YYYY-MM-DD, e.g. 2025-06-01)",
        ),
    )
    for kind in kinds
}
"""What follows the value when it has the wrong type, by validation error kind."""


def plain_words(err: ErrorDetails) -> str:
    """One validation error in plain words: the value, what is wrong, and what is allowed.

    Used for dataset cells, scenario fields and command-line arguments alike, so that every
    message reads the same way and none carries the validation library's own phrasing.
    """
    kind = err["type"]
    ctx: dict[str, Any] = dict(err.get("ctx") or {})
    got = err.get("input")
    if kind == "missing":
        return "a value is required (allowed: see the field's description)"
    if kind == "extra_forbidden":
        return f"unknown field {err['loc'][-1]!r} (allowed: the fields of this block)"
    if kind in WRONG_TYPE:
        return f"{got!r} {WRONG_TYPE[kind]}"
    if kind in {"enum", "literal_error"}:
        return f"unknown code {got!r} (allowed: {ctx.get('expected', '')})"
    if kind == "greater_than_equal" and ctx.get("ge") == 0:
        return f"{got!r} is negative (allowed: 0 or more)"
    if kind in {"greater_than_equal", "greater_than"}:
        limit = ctx.get("ge", ctx.get("gt"))
        return f"{got!r} is too small (allowed: {'>=' if 'ge' in ctx else '>'} {limit})"
    if kind in {"less_than_equal", "less_than"}:
        limit = ctx.get("le", ctx.get("lt"))
        return f"{got!r} is too large (allowed: {'<=' if 'le' in ctx else '<'} {limit})"
    if kind in {"too_short", "string_too_short"}:
        return f"{got!r} is too short (allowed: at least {ctx.get('min_length')})"
    if kind in {"too_long", "string_too_long"}:
        return f"{got!r} is too long (allowed: at most {ctx.get('max_length')})"
    if kind == "string_pattern_mismatch":
        return f"{got!r} has the wrong form (allowed: text matching {ctx.get('pattern')})"
    if kind in {"value_error", "assertion_error"}:
        return str(ctx.get("error", err["msg"]))
    return f"{got!r} is not accepted here ({kind.replace('_', ' ')})"
