"""Field paths of a scenario (``plan.candidates[kz-mine].lead_years``): check them, read them and
set them, each error one line naming the file, the path and what is allowed.

A path walks the scenario's schema and data together: a name is a field of a block (or a key of
a mapping field), ``[id]`` the item of a list whose ``id`` (or ``name``) it is. Setting values
re-validates the scenario, so a sampled value breaks no rule a YAML file must keep. An integer
field takes the nearest whole number of a draw.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Union

from pydantic import BaseModel, TypeAdapter, ValidationError

from kazree.errors import KazreeError
from kazree.scenario.schema import Scenario

SEGMENT = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(?:\[([A-Za-z0-9_.-]+)\])?$")
ITEM_KEYS = ("id", "name", "label")
"""Fields that name a list item, in the order they are tried."""


@dataclass(frozen=True)
class Step:
    """One segment of a path: a field or key, and the item of a list it holds."""

    name: str
    item: str | None


def parse(path: str, where: str) -> tuple[Step, ...]:
    """The steps of ``path``; ``where`` prefixes the error."""
    steps = []
    for part in path.split("."):
        match = SEGMENT.match(part)
        if match is None:
            msg = (
                f"{where}: {path!r}: segment {part!r} is not a field name"
                " (allowed: name or name[id], joined by dots)"
            )
            raise KazreeError(msg)
        steps.append(Step(match.group(1), match.group(2)))
    return tuple(steps)


def _strip(annotation: Any) -> Any:
    """``X`` from ``Annotated[X, ...]`` and ``X | None``."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _strip(args[0])
    return annotation


def _model(annotation: Any) -> type[BaseModel] | None:
    inner = _strip(annotation)
    return inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None


def _item_annotation(annotation: Any) -> Any:
    """The item type of ``list[X]`` or the value type of ``dict[K, X]``."""
    args = typing.get_args(_strip(annotation))
    return args[-1] if args else Any


@dataclass(frozen=True)
class Leaf:
    """Where a path ends: its parent container, the key in it, and the leaf's annotation."""

    parent: dict[str, Any]
    key: str
    annotation: Any

    @property
    def value(self) -> Any:
        return self.parent.get(self.key)


def locate(data: dict[str, Any], path: str, where: str) -> Leaf:
    """The leaf of ``path`` in ``data`` (a scenario dumped as a mapping)."""
    steps = parse(path, where)
    container: Any = data
    annotation: Any = Scenario
    walked: list[str] = []
    for number, step in enumerate(steps):
        last = number == len(steps) - 1 and step.item is None
        model = _model(annotation)
        if model is not None:
            if step.name not in model.model_fields:
                allowed = ", ".join(model.model_fields)
                msg = f"{where}: {path!r}: {'.'.join([*walked, step.name])} is not a field"
                msg_0 = f"{msg} (allowed: {allowed})"
                raise KazreeError(msg_0)
            annotation = model.model_fields[step.name].annotation
        else:
            annotation = _item_annotation(annotation)
        walked.append(step.name)
        if last:
            return Leaf(container, step.name, annotation)
        if not isinstance(container, dict) or container.get(step.name) is None:
            msg = f"{where}: {path!r}: {'.'.join(walked)} is not set in the scenario"
            msg_0 = f"{msg} (allowed: a block or list the scenario has)"
            raise KazreeError(msg_0)
        container = container[step.name]
        if step.item is not None:
            container, annotation = _item(container, annotation, step, walked, path, where)
            if number == len(steps) - 1:
                msg = f"{where}: {path!r}: ends at a list item (allowed: a field of the item)"
                raise KazreeError(msg)
    msg = f"{where}: {path!r}: empty path (allowed: a field name)"
    raise KazreeError(msg)


def _item(
    items: Any, annotation: Any, step: Step, walked: list[str], path: str, where: str
) -> tuple[dict[str, Any], Any]:
    if not isinstance(items, list):
        msg = f"{where}: {path!r}: {'.'.join(walked)} is not a list (allowed: name without [id])"
        raise KazreeError(msg)
    for item in items:
        if isinstance(item, dict) and step.item in (item.get(k) for k in ITEM_KEYS):
            walked[-1] += f"[{step.item}]"
            return item, _item_annotation(annotation)
    known = [str(next(item[k] for k in ITEM_KEYS if k in item)) for item in items if item]
    msg = (
        f"{where}: {path!r}: no item {step.item!r} in {'.'.join(walked)}"
        f" (allowed: {', '.join(known) or 'none: the list is empty'})"
    )
    raise KazreeError(msg)


def is_integer_field(annotation: Any) -> bool:
    """Whether the field takes whole numbers only (it rejects 0.5 but takes 1)."""
    adapter: TypeAdapter[Any] = TypeAdapter(annotation)
    try:
        adapter.validate_python(1)
    except ValidationError:
        return False
    try:
        adapter.validate_python(0.5)
    except ValidationError:
        return True
    return False


def number_at(leaf: Leaf, path: str, where: str, how: str) -> float:
    """The current value of a numeric leaf, for ``factor`` and ``shift``."""
    value = leaf.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = (
            f"{where}: {path!r} is {value!r}, not a number to {how}"
            " (allowed: a field with a number; dist sets a field that has none)"
        )
        raise KazreeError(msg)
    return float(value)


def dumped(scenario: Scenario) -> dict[str, Any]:
    """``scenario`` as plain data (enum keys as their values), ready to edit and re-validate."""
    data: dict[str, Any] = scenario.model_dump(mode="json")
    return data


def rebuilt(scenario: Scenario, data: Mapping[str, Any], where: str) -> Scenario:
    """``data`` validated as a scenario; a rule it breaks is one line naming ``where``."""
    try:
        return Scenario.model_validate(dict(data))
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        msg = f"{where}: gives {field} = {err.get('input')!r}: {err['msg']}"
        msg_0 = f"{msg} (allowed: what the scenario field allows)"
        raise KazreeError(msg_0) from None
