"""The one place digest reads the time: `now()` for the stages (DIGEST_NOW pins it, to replay
a past day) and `wall()` for what must follow real time whatever is pinned (leases, firings)."""

from __future__ import annotations

import datetime as dt
import os

from digest.errors import DigestError


def now() -> dt.datetime:
    """Now, in UTC. DIGEST_NOW (ISO 8601) pins it, for replays and tests."""
    pinned = os.environ.get("DIGEST_NOW")
    if not pinned:
        return wall()
    try:
        moment = dt.datetime.fromisoformat(pinned)
    except ValueError:
        raise DigestError(f"DIGEST_NOW={pinned!r} is not an ISO 8601 time") from None
    if not 1900 <= moment.year <= 9000:  # dates are shifted by days and zones downstream
        raise DigestError(f"DIGEST_NOW={pinned!r} is out of range (years 1900 to 9000)")
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)


def wall() -> dt.datetime:
    """The real time, in UTC: a lease's expiry must not follow a pinned DIGEST_NOW."""
    return dt.datetime.now(dt.UTC)
