"""The store's leases against real processes: a holder killed with SIGKILL frees the store."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from digest.store import Database
from digest.store.db import from_iso
from digest.store.lease import StoreLease, holder_is_dead, lease_holder, process_owner, wall_clock
from tests.conftest import ROOT

HOLD = """
import sys, time
from digest.store import Database
from digest.store.lease import StoreLease
lease = StoreLease(Database(sys.argv[1]), "run")
lease.acquire()
print("held", flush=True)
time.sleep(120)
"""


def holder(store: Path) -> subprocess.Popen[str]:
    """A process holding the run lease, as `digest run` does while it works."""
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(store)], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "held"
    return child


def test_a_run_after_a_kill_9_goes_on_at_once_under_a_pinned_clock(
    make_config: Any, tmp_path: Path, seeds_dir: Path
) -> None:
    make_config(feeds=[{"name": "Seeds", "url": str(seeds_dir)}])
    killed = holder(tmp_path / "digest.db")
    killed.send_signal(signal.SIGKILL)  # not reaped yet: a zombie still answers kill(pid, 0)
    env = {**os.environ, "DIGEST_NOW": "2025-06-10T11:00:00Z"}
    command = [sys.executable, "-m", "digest.cli", "--config", str(tmp_path / "digest.toml")]

    done = subprocess.run([*command, "run"], capture_output=True, text=True, env=env, cwd=ROOT)
    killed.wait()

    assert done.returncode == 0, done.stderr
    assert "Delivered edition 2025-06-10" in done.stdout


def test_a_live_holder_keeps_its_lease_and_it_expires_on_the_wall_clock(tmp_path: Path) -> None:
    alive = holder(tmp_path / "digest.db")
    try:
        with Database(tmp_path / "digest.db") as db:
            found = lease_holder(db, "run")
            assert found is not None and not holder_is_dead(found[0])
            expires = from_iso(found[1]) - wall_clock()
        assert dt.timedelta(seconds=30) < expires <= dt.timedelta(seconds=60)
    finally:
        alive.kill()
        alive.wait()


def test_a_new_process_reusing_a_dead_holders_pid_does_not_keep_its_lease() -> None:
    host, pid, token, _start = process_owner().split(":")
    assert not holder_is_dead(process_owner())
    assert holder_is_dead(f"{host}:{pid}:{token}:1")  # same pid, another start time
    assert not holder_is_dead(f"elsewhere:{pid}:{token}:1")  # another machine: expiry decides
    assert host == socket.gethostname()


def test_the_heartbeat_keeps_a_long_run_s_lease(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr("digest.store.lease.HEARTBEAT_SECONDS", 0.05)
    with Database(tmp_path / "digest.db") as db, StoreLease(db, "run", seconds=0.6) as lease:
        first = lease_holder(db, "run")
        time.sleep(0.3)
        later = lease_holder(db, "run")
        lease.renew()
    assert first and later and later[1] > first[1]
