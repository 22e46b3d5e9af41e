"""Problems found in a dataset, and the error raised when a dataset has any of severity error."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from kazree.errors import KazreeError


class Severity(StrEnum):
    """An ``error`` makes the dataset unusable; a ``warning`` is a weak spot kept visible."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One problem at one place: ``file:line: field: message``.

    ``line`` is the 1-based line of the CSV file (the header is line 1); 0 means the whole file.
    """

    file: str
    line: int
    field: str
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        """The problem as ``file:line: field: message``."""
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


def errors(problems: Iterable[Problem]) -> list[Problem]:
    """The problems of severity error."""
    return [p for p in problems if p.severity is Severity.ERROR]


def warnings(problems: Iterable[Problem]) -> list[Problem]:
    """The problems of severity warning."""
    return [p for p in problems if p.severity is Severity.WARNING]


class DatasetError(KazreeError):
    """A dataset has errors; the message lists each as ``file:line: field: message``."""

    def __init__(self, where: str, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"dataset {where} has {len(problems)} error(s):\n{lines}")
