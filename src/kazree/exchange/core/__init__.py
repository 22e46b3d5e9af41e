"""The deterministic exchange core: commands in, events out, one engine.

``commands`` and ``events`` define the public formats, ``engine.Exchange`` applies commands
(pre-trade risk, matching and delivery-versus-payment settlement in one step).

The hot modules may be compiled in place with mypyc (``build_engine.py``). If any compiled module
is older than its source, the whole package is imported from source, with a warning.
"""

import sys
import warnings
from importlib.machinery import SOURCE_SUFFIXES, FileFinder, SourceFileLoader
from pathlib import Path

_HERE = Path(__file__).parent


def stale_compiled_modules() -> list[str]:
    """Names of the compiled modules of this package that are older than their ``.py`` source."""
    stale = []
    for lib in _HERE.glob("*.so"):
        source = lib.with_name(lib.name.split(".", 1)[0] + ".py")
        if source.exists() and source.stat().st_mtime > lib.stat().st_mtime:
            stale.append(source.stem)
    return sorted(stale)


if _stale := stale_compiled_modules():
    warnings.warn(
        f"kazree.exchange.core: compiled {', '.join(_stale)} older than the source; "
        "running as pure Python (run make to rebuild)",
        stacklevel=2,
    )
    _dir = __path__[0]
    sys.path_importer_cache[_dir] = FileFinder(_dir, (SourceFileLoader, SOURCE_SUFFIXES))
