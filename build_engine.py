"""Compile the exchange engine's hot modules with mypyc, in place next to their sources.

CPython imports ``kazree/exchange/core/<module>.cpython-*.so`` in preference to ``<module>.py``,
so the package runs compiled once this has run and as pure Python after ``--clean``.
C and object files go to ``build/engine/`` (git-ignored).

The Makefile names the modules (``ENGINE_MODULES``) and runs this when one of them changed.

Run: ``.venv/bin/python build_engine.py MODULE... | --clean``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
PACKAGE = ROOT / "src" / "kazree" / "exchange" / "core"
BUILD = ROOT / "build" / "engine"
GROUP = "kazree.exchange.core.native"


def clean() -> None:
    """Remove every compiled module of the package, stale ones included."""
    for lib in PACKAGE.glob("*.so"):
        lib.unlink()


def build(modules: list[str]) -> None:
    """Compile ``modules`` of ``PACKAGE`` in place; raise if mypyc or the C build fails."""
    from mypyc.build import mypycify
    from setuptools import Distribution

    clean()
    os.chdir(ROOT / "src")
    sources = [str(PACKAGE.relative_to(ROOT / "src") / f"{m}.py") for m in modules]
    extensions = mypycify(
        [f"--cache-dir={BUILD / 'mypy'}", *sources],
        target_dir=str(BUILD / "c"),
        group_name=GROUP,
    )
    dist = Distribution({"name": "kazree-engine", "ext_modules": extensions})
    dist.script_args = [
        "--quiet",
        "build_ext",
        "--inplace",
        "--force",
        f"--build-temp={BUILD / 'temp'}",
        f"--build-lib={BUILD / 'lib'}",
    ]
    dist.parse_command_line()
    dist.run_commands()


if __name__ == "__main__":
    if sys.argv[1:] == ["--clean"]:
        clean()
    elif sys.argv[1:]:
        build(sys.argv[1:])
    else:
        sys.exit("usage: build_engine.py MODULE... | --clean")
