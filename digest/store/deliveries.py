"""Deliveries in the store: one row per (edition, recipient) and the state of its message.

pending -> sending -> sent | failed, or back to pending for a retry. 'sending' means
the message was handed to the server and its answer not yet recorded (see deliver.py).
Each state change is one autocommitted statement, written before the next step runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from digest.store.db import Database, iso

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
STATES = (PENDING, SENDING, SENT, FAILED)


def plan_deliveries(
    db: Database, edition_id: str, wanted: Sequence[tuple[str, str]], now: dt.datetime
) -> None:
    """Make a pending row per (recipient, message id) not yet planned; drop pending rows
    of people no longer on the list (unsubscribed or removed since the last run)."""
    stamp = iso(now)
    keep = {email for email, _ in wanted}
    with db.transaction() as conn:
        conn.executemany(
            "INSERT OR IGNORE INTO deliveries(edition_id, recipient, state, message_id, updated)"
            " VALUES (?, ?, 'pending', ?, ?)",
            [(edition_id, email, message_id, stamp) for email, message_id in wanted],
        )
        stale = [
            (edition_id, row[0])
            for row in conn.execute(
                "SELECT recipient FROM deliveries WHERE edition_id = ? AND state = 'pending'",
                (edition_id,),
            )
            if row[0] not in keep
        ]
        conn.executemany(
            "DELETE FROM deliveries WHERE edition_id = ? AND recipient = ? AND state = 'pending'",
            stale,
        )


def settle_interrupted(db: Database, edition_id: str, now: dt.datetime, note: str) -> list[str]:
    """Rows a dead process left in 'sending' become 'sent' (uncertain) with `note`; who."""
    with db.transaction() as conn:
        who = [
            row[0]
            for row in conn.execute(
                "SELECT recipient FROM deliveries WHERE edition_id = ? AND state = 'sending'",
                (edition_id,),
            )
        ]
        conn.execute(
            "UPDATE deliveries SET state = 'sent', error = ?, updated = ?,"
            " uncertain = uncertain + 1 WHERE edition_id = ? AND state = 'sending'",
            (note, iso(now), edition_id),
        )
    return who


def pending_recipients(db: Database, edition_id: str) -> list[str]:
    """Recipients still to send to, in the order they were planned."""
    rows = db.conn.execute(
        "SELECT recipient FROM deliveries WHERE edition_id = ? AND state = 'pending'"
        " ORDER BY rowid",
        (edition_id,),
    ).fetchall()
    return [row[0] for row in rows]


def mark_sending(db: Database, edition_id: str, recipient: str, now: dt.datetime) -> None:
    _set(db, edition_id, recipient, SENDING, now, "", attempt=True)


def mark_sent(
    db: Database, edition_id: str, recipient: str, now: dt.datetime, attempt: bool = False
) -> None:
    _set(db, edition_id, recipient, SENT, now, "", attempt)


def mark_failed(
    db: Database,
    edition_id: str,
    recipient: str,
    now: dt.datetime,
    reason: str,
    attempt: bool = False,
) -> None:
    """A permanent failure; `attempt` counts a try not already counted by mark_sending."""
    _set(db, edition_id, recipient, FAILED, now, reason, attempt)


def mark_pending(
    db: Database,
    edition_id: str,
    recipient: str,
    now: dt.datetime,
    reason: str,
    attempt: bool = False,
) -> None:
    """A retryable failure: the row waits for the next round or the next `digest send`."""
    _set(db, edition_id, recipient, PENDING, now, reason, attempt)


def mark_uncertain(
    db: Database, edition_id: str, recipient: str, now: dt.datetime, reason: str
) -> bool:
    """A hand-over with no answer: back to pending the first time (True: send it once more),
    recorded as sent, uncertain, the second time (False: never sent a third time)."""
    with db.transaction() as conn:
        row = conn.execute(
            "SELECT uncertain FROM deliveries WHERE edition_id = ? AND recipient = ?",
            (edition_id, recipient),
        ).fetchone()
        again = row is not None and row[0] == 0
        conn.execute(
            "UPDATE deliveries SET state = ?, error = ?, updated = ?, uncertain = uncertain + 1"
            " WHERE edition_id = ? AND recipient = ?",
            (PENDING if again else SENT, f"uncertain: {reason}", iso(now), edition_id, recipient),
        )
    return again


def uncertain_deliveries(db: Database, edition_id: str) -> list[str]:
    """Recipients whose message was handed over at least once without an answer."""
    rows = db.conn.execute(
        "SELECT recipient FROM deliveries WHERE edition_id = ? AND uncertain > 0"
        " ORDER BY recipient",
        (edition_id,),
    ).fetchall()
    return [row[0] for row in rows]


def delivery_counts(db: Database, edition_id: str) -> dict[str, int]:
    """How many recipients of an edition are pending, sending, sent and failed."""
    counts = dict.fromkeys(STATES, 0)
    for state, count in db.conn.execute(
        "SELECT state, COUNT(*) FROM deliveries WHERE edition_id = ? GROUP BY state",
        (edition_id,),
    ):
        counts[state] = count
    return counts


def failed_deliveries(db: Database, edition_id: str) -> list[tuple[str, str]]:
    """(recipient, reason) of every permanent failure of an edition."""
    rows = db.conn.execute(
        "SELECT recipient, error FROM deliveries WHERE edition_id = ? AND state = 'failed'"
        " ORDER BY recipient",
        (edition_id,),
    ).fetchall()
    return [(row[0], row[1]) for row in rows]


def _set(
    db: Database,
    edition_id: str,
    recipient: str,
    state: str,
    now: dt.datetime,
    error: str,
    attempt: bool,
) -> None:
    db.conn.execute(
        "UPDATE deliveries SET state = ?, error = ?, updated = ?, attempts = attempts + ?"
        " WHERE edition_id = ? AND recipient = ?",
        (state, error, iso(now), int(attempt), edition_id, recipient),
    )
