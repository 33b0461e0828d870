"""Run `python -m digest.cli` as a user would, and read what it printed and its peak memory.

`wait4` gives the resource use of that one child (and the parse workers it reaped), so the
peak does not depend on what other tests ran before.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CliRun:
    code: int
    stdout: str
    stderr: str
    #: Peak resident memory of the command, in MB.
    peak_mb: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_cli(
    config: Path,
    *args: str,
    now: str = "2025-06-10T11:00:00Z",
    timeout: float = 300,
    **env: str,
) -> CliRun:
    """`digest --config CONFIG ARGS...` with DIGEST_NOW pinned; stdin is not a terminal.

    A command still running after `timeout` seconds is killed (its code is then -9)."""
    command = [sys.executable, "-m", "digest.cli", "--config", str(config), *args]
    environment = {**os.environ, "DIGEST_NOW": now, **env}
    out, err = config.parent / ".cli-stdout", config.parent / ".cli-stderr"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr, env=environment
        )
        killer = threading.Timer(timeout, process.kill)
        killer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            killer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
    text = (out.read_text("utf-8", "replace"), err.read_text("utf-8", "replace"))
    return CliRun(process.returncode, *text, peak_mb=usage.ru_maxrss / 1024)
