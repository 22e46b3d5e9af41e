"""Reading scenario YAML: shipped names or paths, ``extends:`` chains, one-line errors."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from kazree.errors import KazreeError
from kazree.scenario.schema import Scenario

SUFFIX = ".yaml"
MAX_DEPTH = 10


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


def describe(origin: str, exc: ValidationError) -> str:
    """One line for the first error of ``exc``: ``FILE: field: value: what is allowed``."""
    err = exc.errors()[0]
    loc = ""
    for part in err["loc"]:
        loc += f"[{part}]" if isinstance(part, int) else f"{'.' if loc else ''}{part}"
    message = str(err["msg"]).removeprefix("Value error, ")
    value = err.get("input")
    shown = "" if isinstance(value, dict | list) else f" {value!r}:"
    return f"{origin}: {loc or 'scenario'}:{shown} {message}"


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Read, merge and validate a scenario (a shipped name such as ``"baseline"`` or a path)."""
    path = locate(name_or_path)
    data = resolved_mapping(path)
    data.setdefault("name", path.stem)
    data["origin"] = str(path)
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise KazreeError(describe(str(path), exc)) from None
