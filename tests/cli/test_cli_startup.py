"""Starting the CLI loads no heavy library: commands import them when they run."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("pandas", "linopy", "xarray", "sqlalchemy", "numpy", "plotly", "fastapi", "highspy")

PROBE = """
import json, sys
from kazree.cli import main
sys.argv = ["kazree", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit:
    pass
sys.stderr.write("\\nLOADED " + json.dumps(sorted(m for m in {heavy} if m in sys.modules)))
"""


def loaded_after(*args: str) -> list[str]:
    """The heavy modules imported once ``kazree ARGS`` has run in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), json.dumps(args)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    marker = done.stderr.rsplit("LOADED ", 1)[1]
    return list(json.loads(marker))


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("data", "--help"),
        ("run", "--help"),
        ("report", "--help"),
        ("exchange", "admin", "--help"),
    ],
)
def test_help_imports_no_heavy_library(args: tuple[str, ...]) -> None:
    assert loaded_after(*args) == []


def test_controls_answers_without_heavy_libraries() -> None:
    assert loaded_after("controls", "--exporter", "CN", "--on", "2025-06-01") == []


def test_a_command_that_needs_pandas_still_loads_it() -> None:
    assert "pandas" in loaded_after("data", "show", "china_quotas", "-f", "csv")
