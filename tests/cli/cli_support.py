"""Run the installed ``kazree`` command as a person would: in a terminal of a given size, or
with its output piped to another program."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from dataclasses import dataclass
from pathlib import Path

KAZREE = str(Path(sys.executable).with_name("kazree"))
STYLE = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class Done:
    """What a finished command printed and returned."""

    stdout: str
    stderr: str
    code: int


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "KAZREE_LANG")}
    env.update({"TERM": "xterm-256color", "NO_COLOR": "1"}, **extra)
    return env


def piped(*args: str, **env: str) -> Done:
    """``kazree ARGS`` with standard output and error read through pipes."""
    done = subprocess.run(
        [KAZREE, *args], capture_output=True, text=True, check=False, env=_env(**env), timeout=300
    )
    return Done(done.stdout, done.stderr, done.returncode)


def in_terminal(*args: str, columns: int, **env: str) -> Done:
    """``kazree ARGS`` with standard output on a pseudo-terminal ``columns`` wide."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    process = subprocess.Popen(
        [KAZREE, *args], stdout=follower, stderr=subprocess.PIPE, env=_env(**env)
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when the command ends
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    stderr = process.stderr.read().decode() if process.stderr else ""
    code = process.wait(timeout=300)
    stdout = STYLE.sub("", b"".join(chunks).decode().replace("\r\n", "\n"))
    return Done(stdout, stderr, code)
