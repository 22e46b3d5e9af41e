"""Reading scenario YAML: shipped names or paths, ``extends:`` chains, one-line errors."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any, get_args

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from kazree.errors import KazreeError, plain_words
from kazree.scenario.schema import Scenario

SUFFIX = ".yaml"
MAX_DEPTH = 10
INTERNAL_FIELDS = ("origin",)
"""Scenario fields kazree sets itself, never listed as allowed in a file."""


def shipped_dir() -> Path:
    """The directory of the scenarios shipped with kazree."""
    return Path(str(files("kazree.scenario") / "files"))


def shipped_names() -> list[str]:
    """Names of the shipped scenarios, sorted."""
    return sorted(p.stem for p in shipped_dir().glob(f"*{SUFFIX}"))


def locate(name_or_path: str | Path, *, near: Path | None = None) -> Path:
    """The file of a scenario: a path (absolute or relative to ``near``) or a shipped name."""
    candidate = Path(name_or_path)
    for path in (near / candidate if near else None, candidate):
        if path is not None and path.is_file():
            return path
    shipped = shipped_dir() / f"{candidate.stem}{SUFFIX}"
    if len(candidate.parts) == 1 and candidate.suffix in ("", SUFFIX) and shipped.is_file():
        return shipped
    msg = (
        f"{name_or_path}: no such scenario file or shipped scenario"
        f" (shipped: {', '.join(shipped_names())})"
    )
    raise KazreeError(msg)


def beside(origin: str | Path, name: str) -> Path:
    """A file a scenario names: relative to the scenario file's directory where it is there,
    else as given (absolute or relative to the working directory)."""
    near = Path(origin).parent / name
    return near if near.is_file() else Path(name)


def read_mapping(path: Path, allowed: str = "a YAML mapping of scenario fields") -> dict[str, Any]:
    """The YAML mapping in ``path``; malformed YAML or a non-mapping is a one-line error.

    ``allowed`` says in the error what the file should hold.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        msg = f"{path}{where}: malformed YAML: {problem} (allowed: {allowed})"
        raise KazreeError(msg) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        msg = f"{path}: top level is {type(data).__name__} (allowed: {allowed})"
        raise KazreeError(msg)
    return data


def merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """``child`` over ``parent``: mappings merge by key, lists concatenate, the rest replaces."""
    out = dict(parent)
    for key, value in child.items():
        old = out.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            out[key] = merge(old, value)
        elif isinstance(old, list) and isinstance(value, list):
            out[key] = [*old, *value]
        else:
            out[key] = value
    return out


def resolved_mapping(path: Path, depth: int = 0) -> dict[str, Any]:
    """The mapping of ``path`` with its ``extends:`` chain merged in (parent first)."""
    if depth > MAX_DEPTH:
        msg = f"{path}: extends: chain deeper than {MAX_DEPTH} (allowed: no cycles)"
        raise KazreeError(msg)
    data = read_mapping(path)
    parent_name = data.pop("extends", None)
    if parent_name is None:
        return data
    if not isinstance(parent_name, str):
        msg = f"{path}: extends: {parent_name!r}: not a name (allowed: a scenario name or path)"
        raise KazreeError(msg)
    parent = resolved_mapping(locate(parent_name, near=path.parent), depth + 1)
    parent.pop("name", None)
    parent.pop("description", None)
    parent.pop("counterfactual", None)
    return merge(parent, data)


def extends_chain(path: Path) -> list[tuple[Path, dict[str, Any]]]:
    """The files of ``path``'s ``extends:`` chain with their own mappings, oldest parent first."""
    chain: list[tuple[Path, dict[str, Any]]] = []
    current: Path | None = path
    while current is not None and len(chain) <= MAX_DEPTH:
        data = read_mapping(current)
        chain.insert(0, (current, data))
        parent = data.get("extends")
        current = locate(parent, near=current.parent) if isinstance(parent, str) else None
    return chain


def _own_item(
    chain: list[tuple[Path, dict[str, Any]]], keys: tuple[str, ...], index: int
) -> tuple[Path, int]:
    """The file that wrote item ``index`` of the merged list at ``keys``, and its index there.

    ``extends:`` concatenates lists parent first, so item 3 of the merged list may be item 0 of
    the user's own file.
    """
    offset = 0
    for file, data in chain:
        value: Any = data
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        count = len(value) if isinstance(value, list) else 0
        if index < offset + count:
            return file, index - offset
        offset += count
    return chain[-1][0], index


def item_origin(path: Path, keys: tuple[str, ...], index: int) -> tuple[Path, int]:
    """Which file of ``path``'s chain wrote item ``index`` of the list at ``keys``, and where."""
    return _own_item(extends_chain(path), keys, index) if path.is_file() else (path, index)


def field_message(where: str, err: ErrorDetails) -> str:
    """``WHERE: field: value: what is wrong (allowed: ...)`` for one error on a flat record."""
    field = ".".join(str(part) for part in err["loc"] if not isinstance(part, int))
    return f"{where}: {field or 'value'}:{_value_and(err, plain_words(err))}"


def _block(model: type[BaseModel], loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The pydantic model of the block holding the last field of ``loc``, if one is known."""
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        inner = _model_in(field.annotation) if field is not None else None
        if inner is None:
            return None
        model = inner
    return model


def _model_in(annotation: object) -> type[BaseModel] | None:
    """The model class in an annotation such as ``Years`` or ``list[FacilitySpec]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next((m for m in map(_model_in, get_args(annotation)) if m is not None), None)


def describe(path: Path, exc: ValidationError, model: type[BaseModel] = Scenario) -> str:
    """One line for the first error of ``exc``: ``FILE: field: value: what is allowed``.

    ``model`` is what the file holds (a scenario unless told): its fields are the allowed ones.

    List indices count the items of the file that wrote the item (not the merged list), and
    that file is the one named.
    """
    err = exc.errors()[0]
    chain = extends_chain(path) if path.is_file() else []
    origin, loc = path, ""
    keys: tuple[str, ...] = ()
    for part in err["loc"]:
        if isinstance(part, int):
            origin, index = _own_item(chain, keys, part) if chain else (origin, part)
            loc += f"[{index}]"
        else:
            loc += f"{'.' if loc else ''}{part}"
            keys = (*keys, part)
    message = plain_words(err)
    block = _block(model, err["loc"])
    if err["type"] in {"extra_forbidden", "missing"} and block is not None:
        wanted = "unknown field" if err["type"] == "extra_forbidden" else "a value is required"
        fields = [name for name in block.model_fields if name not in INTERNAL_FIELDS]
        message = f"{wanted} (allowed: {', '.join(fields)})"
    return f"{origin}: {loc or 'scenario'}:{_value_and(err, message)}"


def _value_and(err: ErrorDetails, message: str) -> str:
    """`` VALUE: message`` (the value said once), or `` message`` for a block or a missing one."""
    value = err.get("input")
    if isinstance(value, dict | list) or err["type"] in {"missing", "extra_forbidden"}:
        return f" {message}"
    return f" {value!r}: {message.removeprefix(f'{value!r} ')}"


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Read, merge and validate a scenario (a shipped name such as ``"baseline"`` or a path)."""
    path = locate(name_or_path)
    data = resolved_mapping(path)
    data.setdefault("name", path.stem)
    data["origin"] = str(path)
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise KazreeError(describe(path, exc)) from None
