"""Strict JSON conversion of the exchange's dataclasses (commands, events, value types).

A dataclass becomes a JSON object of its fields; enums become their values, tuples lists,
nested dataclasses objects. Parsing is strict: no missing or unknown fields, no ``bool`` where
an ``int`` is expected, no coercion; every problem names the field path and what is allowed.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from enum import Enum
from functools import cache
from typing import Any

from kazree.exchange.core.errors import MalformedCommand

Decoder = Callable[[Any, str], Any]


def to_json(obj: Any) -> dict[str, Any]:
    """The dataclass ``obj`` as a JSON-ready dict (without a ``"type"`` key)."""
    return encoder(type(obj))(obj)


Encoder = Callable[[Any], dict[str, Any]]
_ENCODERS: dict[tuple[type[Any], str | None], Encoder] = {}


def encoder(cls: type[Any], type_name: str | None = None) -> Encoder:
    """A function turning ``cls`` instances into JSON-ready dicts, ``"type": type_name`` first.

    Built once per class from its field types, as one dict display (the way ``dataclasses``
    builds ``__init__``): commands, events and snapshots are encoded on the engine's hot path.
    """
    built = _ENCODERS.get((cls, type_name))
    if built is None:
        hints = typing.get_type_hints(cls)
        fields = [f"{n!r}: {_value(hints[n], 'o.' + n, 0)}" for n in _names(cls)]
        if type_name is not None:
            fields.insert(0, f"'type': {type_name!r}")
        source = f"lambda o: {{{', '.join(fields)}}}"
        built = _ENCODERS[cls, type_name] = eval(source, {"to_json": to_json})
    return built


def _names(cls: Any) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]


def _value(tp: Any, expr: str, depth: int) -> str:
    """A Python expression for the JSON-ready value of ``expr``, a value of type ``tp``."""
    if tp in (int, str, bool):
        return expr
    if isinstance(tp, type) and issubclass(tp, Enum):
        return f"{expr}._value_"  # the member's value; the `value` property is slow
    if dataclasses.is_dataclass(tp):
        return f"to_json({expr})"
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        (inner,) = (a for a in typing.get_args(tp) if a is not type(None))
        return f"(None if {expr} is None else {_value(inner, expr, depth)})"
    if origin is tuple:
        item = f"v{depth}"
        return f"[{_value(typing.get_args(tp)[0], item, depth + 1)} for {item} in {expr}]"
    raise TypeError(f"no JSON encoder for {tp!r}")  # noqa: EM102


def from_json(cls: Any, obj: Any, path: str) -> Any:
    """Build ``cls`` from the JSON object ``obj``; ``path`` prefixes field names in errors."""
    return _decoder(cls)(obj, path)


@cache
def _decoder(tp: Any) -> Decoder:
    if dataclasses.is_dataclass(tp):
        return _dataclass_decoder(typing.cast(type[Any], tp))
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        inner = _decoder(args[0])
        return lambda v, p: None if v is None else inner(v, p)
    if origin is tuple:
        item = _decoder(typing.get_args(tp)[0])

        def decode_tuple(v: Any, p: str) -> tuple[Any, ...]:
            if not isinstance(v, list):
                msg = f"{p}: expected a list, got {v!r}"
                raise MalformedCommand(msg)
            if not v:
                return ()
            return tuple(item(x, f"{p}[{i}]") for i, x in enumerate(v))

        return decode_tuple
    if isinstance(tp, type) and issubclass(tp, Enum):
        return _enum_decoder(tp)
    if tp is bool:
        return _scalar_decoder(bool, "true or false")
    if tp is int:
        return _scalar_decoder(int, "an integer")
    if tp is str:
        return _scalar_decoder(str, "a string")
    raise TypeError(f"no JSON decoder for {tp!r}")  # noqa: EM102


def _scalar_decoder(kind: type, allowed: str) -> Decoder:
    def decode(v: Any, p: str) -> Any:
        if type(v) is not kind:
            msg = f"{p}: expected {allowed}, got {v!r}"
            raise MalformedCommand(msg)
        return v

    return decode


def _enum_decoder(enum: type[Enum]) -> Decoder:
    allowed = ", ".join(str(m.value) for m in enum)
    members = {m.value: m for m in enum}

    def decode(v: Any, p: str) -> Any:
        member = members.get(v) if isinstance(v, str) else None
        if member is not None:
            return member
        try:
            return enum(v)
        except ValueError:
            msg = f"{p}: {v!r} is not one of {allowed}"
            raise MalformedCommand(msg) from None

    return decode


def _dataclass_decoder(cls: type[Any]) -> Decoder:
    hints = typing.get_type_hints(cls)
    fields = dataclasses.fields(cls)
    decoders = {f.name: _decoder(hints[f.name]) for f in fields}
    required = frozenset(
        f.name
        for f in fields
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    )

    allowed = decoders.keys() | {"type"}

    def decode(v: Any, p: str) -> Any:
        if not isinstance(v, Mapping):
            msg = f"{p}: expected an object, got {v!r}"
            raise MalformedCommand(msg)
        keys = v.keys()
        if not keys <= allowed:
            unknown = sorted(keys - allowed)[0]
            msg = f"{p}: unknown field {unknown!r}; allowed: {', '.join(decoders)}"
            raise MalformedCommand(msg)
        if not keys >= required:
            msg = f"{p}: missing field {sorted(required - keys)[0]!r}"
            raise MalformedCommand(msg)
        return cls(**{k: decoders[k](v[k], f"{p}.{k}") for k in keys if k != "type"})

    return decode
