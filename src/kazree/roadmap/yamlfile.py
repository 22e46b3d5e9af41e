"""Read a YAML file into a pydantic model; any mistake is one line naming file, field and value."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from kazree.errors import KazreeError
from kazree.scenario.loading import describe, read_mapping

ModelT = TypeVar("ModelT", bound=BaseModel)


def load_yaml_model(path: Path, model: type[ModelT], allowed: str) -> ModelT:
    """The ``model`` in the YAML file at ``path``; ``allowed`` says what the file should hold."""
    if not path.is_file():
        msg = f"{path}: no such file (allowed: {allowed})"
        raise KazreeError(msg)
    data = read_mapping(path, allowed)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise KazreeError(describe(path, exc, model)) from None
