"""Rate limits kept in the store, so they hold across a restart of `digest serve` and between
its processes. Which requests count, and what to answer over the limit, is the web app's."""

from __future__ import annotations

import datetime as dt

from digest.store.db import Database, iso


def allow_request(
    db: Database, client: str, now: dt.datetime, limit: int, window: dt.timedelta
) -> bool:
    """Whether `client` may make one more request: fewer than `limit` in the `window` before
    `now`. An allowed request is counted; requests older than the window are forgotten."""
    since = iso(now - window)
    with db.transaction() as conn:
        conn.execute("DELETE FROM form_requests WHERE at <= ?", (since,))
        (count,) = conn.execute(
            "SELECT COUNT(*) FROM form_requests WHERE client = ? AND at > ?", (client, since)
        ).fetchone()
        if count >= limit:
            return False
        conn.execute("INSERT INTO form_requests (client, at) VALUES (?, ?)", (client, iso(now)))
    return True
