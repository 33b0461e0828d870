"""Named leases in the store: one `digest run` or `digest send` at a time, across processes.

Taken before the work, kept alive by a heartbeat while it goes on, released at the end. A
lease left by a dead process of this machine is taken over at once; one from another machine
expires a minute after its last heartbeat. Leases run on the wall clock, never on DIGEST_NOW.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import socket
import sqlite3
import threading
from pathlib import Path

from digest.clock import wall
from digest.errors import DigestError
from digest.store.db import Database, acquire_lease, release_lease

LEASE_SECONDS = 60.0
HEARTBEAT_SECONDS = 10.0

#: What each lease guards, for the message when another process holds it.
WORK = {
    "send": "another `digest send` is delivering",
    "run": "another `digest run`, `build`, `send` or `ingest` is working on the store",
}


class LeaseHeldError(DigestError):
    """Another process holds the lease."""


wall_clock = wall  # a lease's expiry follows real time, whatever DIGEST_NOW says


def process_owner() -> str:
    """host:pid:token:start, so a dead holder (or a new process with its pid) is recognised."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{secrets.token_hex(4)}:{_start_time(pid) or ''}"


def lease_holder(db: Database, name: str) -> tuple[str, str] | None:
    """(owner, expires) of the named lease, or None when nobody holds it."""
    row = db.conn.execute("SELECT owner, expires FROM leases WHERE name = ?", (name,)).fetchone()
    return (row["owner"], row["expires"]) if row else None


def take_lease(db: Database, name: str, owner: str, now: dt.datetime, seconds: float) -> bool:
    """Take or renew the lease; a holder that is a dead process of this machine is replaced."""
    if acquire_lease(db, name, owner, now, seconds):
        return True
    holder = lease_holder(db, name)
    if holder and holder[0] != owner and holder_is_dead(holder[0]):
        release_lease(db, name, holder[0])
        return acquire_lease(db, name, owner, now, seconds)
    return False


def holder_is_dead(owner: str) -> bool:
    """True when `owner` names a process of this machine that no longer runs.

    A killed child its parent has not reaped yet (a zombie) still answers kill(pid, 0): it
    counts as dead, and so does a live process that only reuses a dead holder's pid.
    """
    host, pid, _token, start = [*owner.split(":"), "", "", ""][:4]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    stat = _stat(int(pid))
    if stat is None:  # no /proc here: ask the kernel
        return _gone(int(pid))
    if stat == "":
        return True
    state, started = stat.split()[0], stat.split()[19]
    return state in ("Z", "X") or bool(start and start != started)


class StoreLease:
    """Taken, kept alive by a heartbeat thread, checked with `renew`, released."""

    def __init__(self, db: Database, name: str, seconds: float = LEASE_SECONDS) -> None:
        self.db, self.name, self.seconds = db, name, seconds
        self.owner = process_owner()
        self._stop = threading.Event()
        self._lost = False
        self._beat: threading.Thread | None = None

    def acquire(self) -> None:
        if take_lease(self.db, self.name, self.owner, wall_clock(), self.seconds):
            self._start_heartbeat()
            return
        holder = lease_holder(self.db, self.name)
        who = f"{holder[0]} until {holder[1]}" if holder else "another process"
        raise LeaseHeldError(f"{WORK.get(self.name, self.name)} ({who}); try later")

    def renew(self) -> None:
        """Raise when another process took the lease over (this one was stopped too long)."""
        if self._lost:
            raise LeaseHeldError(f"the {self.name} lease was taken over by another process")

    def release(self) -> None:
        self._stop.set()
        if self._beat is not None:
            self._beat.join()
        release_lease(self.db, self.name, self.owner)

    def __enter__(self) -> StoreLease:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def _start_heartbeat(self) -> None:
        if str(self.db.path) == ":memory:":  # no second connection can see it
            return
        self._stop.clear()
        self._beat = threading.Thread(target=self._heartbeat, daemon=True, name="lease")
        self._beat.start()

    def _heartbeat(self) -> None:
        # Its own connection: the main thread may be inside a transaction on `db`.
        try:
            db = Database(self.db.path)
        except DigestError:  # the work itself will meet the same problem and say so
            return
        with db:
            while not self._stop.wait(min(HEARTBEAT_SECONDS, self.seconds / 6)):
                try:
                    kept = acquire_lease(db, self.name, self.owner, wall_clock(), self.seconds)
                except sqlite3.Error:  # busy for long (or a full disk): the next beat tries again
                    continue
                if not kept:
                    self._lost = True
                    return


def _stat(pid: int) -> str | None:
    """The fields of /proc/PID/stat after the command name; '' when no such process; None
    when /proc is not available."""
    if not Path("/proc/self/stat").exists():
        return None
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return ""
    except OSError:
        return None
    return text.rpartition(")")[2]


def _start_time(pid: int) -> str:
    stat = _stat(pid)
    return stat.split()[19] if stat else ""


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
