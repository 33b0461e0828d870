"""Named leases in the store: one `digest run` or `digest send` at a time, across processes.

Taken before the work, renewed while it goes on, released at the end. A lease left by a
dead process of this machine is taken over at once; one from another machine expires.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import socket
import time
from collections.abc import Callable

from digest.errors import DigestError
from digest.store.db import Database, acquire_lease, release_lease

LEASE_SECONDS = 300.0

#: What each lease guards, for the message when another process holds it.
WORK = {
    "send": "another `digest send` is delivering",
    "run": "another `digest run`, `build`, `send` or `ingest` is working on the store",
}


class LeaseHeldError(DigestError):
    """Another process holds the lease."""


class StoreLease:
    """Taken, renewed while working (at most every tenth of its span), released."""

    def __init__(
        self,
        db: Database,
        now: Callable[[], dt.datetime],
        name: str,
        seconds: float = LEASE_SECONDS,
    ) -> None:
        self.db, self.now, self.name, self.seconds = db, now, name, seconds
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self.renewed = 0.0

    def acquire(self) -> None:
        if self._take():
            return
        holder = self.db.conn.execute(
            "SELECT owner, expires FROM leases WHERE name = ?", (self.name,)
        ).fetchone()
        if holder and _dead_here(holder["owner"]):
            release_lease(self.db, self.name, holder["owner"])
            if self._take():
                return
        who = f"{holder['owner']} until {holder['expires']}" if holder else "another process"
        raise LeaseHeldError(f"{WORK.get(self.name, self.name)} ({who}); try later")

    def renew(self) -> None:
        if time.monotonic() - self.renewed > self.seconds / 10 and not self._take():
            raise LeaseHeldError(f"the {self.name} lease was taken over by another process")

    def release(self) -> None:
        release_lease(self.db, self.name, self.owner)

    def __enter__(self) -> StoreLease:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def _take(self) -> bool:
        self.renewed = time.monotonic()
        return acquire_lease(self.db, self.name, self.owner, self.now(), self.seconds)


def _dead_here(owner: str) -> bool:
    """True when `owner` names a process of this machine that no longer runs."""
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
