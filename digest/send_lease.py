"""The store's 'send' lease: one `digest send` at a time, across processes.

Taken before sending, renewed while sending, released at the end. A lease left by a
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

LEASE = "send"
LEASE_SECONDS = 300.0


class SendInProgressError(DigestError):
    """Another `digest send` holds the send lease."""


class SendLease:
    """Taken, renewed while sending (at most every tenth of its span), released."""

    def __init__(self, db: Database, now: Callable[[], dt.datetime]) -> None:
        self.db, self.now = db, now
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self.renewed = 0.0

    def acquire(self) -> None:
        if self._take():
            return
        holder = self.db.conn.execute(
            "SELECT owner, expires FROM leases WHERE name = ?", (LEASE,)
        ).fetchone()
        if holder and _dead_here(holder["owner"]):
            release_lease(self.db, LEASE, holder["owner"])
            if self._take():
                return
        who = f"{holder['owner']} until {holder['expires']}" if holder else "another process"
        raise SendInProgressError(f"another `digest send` is delivering ({who}); try later")

    def renew(self) -> None:
        if time.monotonic() - self.renewed > LEASE_SECONDS / 10 and not self._take():
            raise SendInProgressError("the send lease was taken over by another process")

    def release(self) -> None:
        release_lease(self.db, LEASE, self.owner)

    def _take(self) -> bool:
        self.renewed = time.monotonic()
        return acquire_lease(self.db, LEASE, self.owner, self.now(), LEASE_SECONDS)


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
