"""Read one CSV table into validated rows, turning each schema error into a :class:`Problem`."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from kazree.data.problems import Problem
from kazree.errors import plain_words


def embedded_root() -> Traversable:
    """The directory of CSV files shipped inside the package."""
    return files("kazree.data") / "files"


@dataclass(frozen=True)
class Record:
    """A validated row and the line of the CSV file it came from."""

    line: int
    row: BaseModel


def read_table(file: str, text: str, model: type[BaseModel]) -> tuple[list[Record], list[Problem]]:
    """Parse ``text`` (a CSV file named ``file``) into rows of ``model``.

    Empty cells are read as missing. Returns the valid rows and one problem per bad cell; a bad
    header gives a single problem on line 1 and no rows.
    """
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in reader.fieldnames or []]
    header_problems = _check_header(file, header, model)
    if header_problems:
        return [], header_problems
    records: list[Record] = []
    problems: list[Problem] = []
    for cells in reader:
        line = reader.line_num
        extra = cells.pop(None, None)
        if extra:
            message = (
                f"{len(extra)} more cell(s) than the header has columns (allowed: {len(header)})"
            )
            problems.append(Problem(file, line, "(row)", message))
            continue
        values = {k.strip(): (v if v is not None else "") for k, v in cells.items() if k}
        data = {k: v for k, v in values.items() if v.strip() != ""}
        try:
            records.append(Record(line, model.model_validate(data)))
        except ValidationError as exc:
            problems.extend(_problem(file, line, err) for err in exc.errors())
    return records, problems


def _check_header(file: str, header: list[str], model: type[BaseModel]) -> list[Problem]:
    """Unknown, missing or repeated columns, as problems on line 1."""
    fields = list(model.model_fields)
    required = [name for name, info in model.model_fields.items() if info.is_required()]
    problems = [
        Problem(file, 1, name, f"unknown column (allowed: {', '.join(fields)})")
        for name in header
        if name not in fields
    ]
    problems += [
        Problem(file, 1, name, "required column is missing")
        for name in required
        if name not in header
    ]
    problems += [
        Problem(file, 1, name, "column appears more than once")
        for name in sorted({n for n in header if header.count(n) > 1})
    ]
    return problems


def _problem(file: str, line: int, err: ErrorDetails) -> Problem:
    """Turn one pydantic error into ``file:line: field: what is wrong (what is allowed)``."""
    field = ".".join(str(part) for part in err["loc"] if not isinstance(part, int))
    message = _describe(err)
    if not field and ": " in message:
        field, message = message.split(": ", 1)
    return Problem(file, line, field or "(row)", message)


def _describe(err: ErrorDetails) -> str:
    """A plain-words description of a pydantic error, naming the value and what is allowed."""
    if err["type"] == "missing":
        return "a value is required (the cell is empty)"
    return plain_words(err)
