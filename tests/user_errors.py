"""Run ``kazree`` as the console script does and capture its one-line error."""

from __future__ import annotations

import sys

import pytest

from kazree.cli import main


def user_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> str:
    """The stderr line of ``kazree ARGS`` that must fail as a user error (exit 2)."""
    monkeypatch.setattr(sys, "argv", ["kazree", *args])
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert err.startswith("error: ")
    return err
