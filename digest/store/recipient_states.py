"""The state changes readers and receiving servers cause: subscribe, confirm, bounce.

Every change goes through `change_status`, so it is kept with its time and cause; no
row is ever deleted here. Deciding what a request or a refusal means is the caller's.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from digest.store.db import Database, from_iso, iso
from digest.store.recipients import (
    ACTIVE,
    BOUNCED,
    STATES,
    UNCONFIRMED,
    StoredRecipient,
    change_status,
    get_recipient,
    record_event,
    stored_row,
)

#: A confirmation is mailed to one address at most this often, whoever asks.
CONFIRM_INTERVAL = dt.timedelta(hours=1)


@dataclass(frozen=True)
class StateChange:
    """The latest change of one recipient's state."""

    email: str
    status: str
    at: dt.datetime
    cause: str


def by_token(db: Database, token: str) -> StoredRecipient | None:
    row = db.conn.execute("SELECT * FROM recipients WHERE token = ?", (token,)).fetchone()
    return stored_row(row) if row else None


def token_was_used(db: Database, token: str) -> bool:
    """True when `token` belonged to a recipient before a change replaced it."""
    row = db.conn.execute(
        "SELECT 1 FROM recipient_events WHERE token = ? LIMIT 1", (token,)
    ).fetchone()
    return row is not None


def request_subscription(
    db: Database, email: str, name: str, now: dt.datetime, cause: str
) -> StoredRecipient | None:
    """Record a request to subscribe; the recipient to mail a confirmation to, or None.

    None when the address is already active, or was sent a confirmation within the hour:
    the caller answers the same either way, so a request reveals nothing.
    """
    with db.transaction() as conn:
        row = conn.execute("SELECT * FROM recipients WHERE email = ?", (email,)).fetchone()
        if row is None:
            conn.execute(
                "INSERT INTO recipients(email, name, fields, status, token, added, origin)"
                " VALUES (?, ?, '{}', 'unconfirmed', ?, ?, 'store')",
                (email, name, secrets.token_urlsafe(16), iso(now)),
            )
            record_event(conn, email, UNCONFIRMED, cause, now)
        elif row["status"] == ACTIVE:
            return None
        elif row["status"] != UNCONFIRMED:
            change_status(conn, email, UNCONFIRMED, cause, now, new_token=True)
            conn.execute("UPDATE recipients SET origin = 'store' WHERE email = ?", (email,))
        elif row["confirm_sent"] and from_iso(row["confirm_sent"]) > now - CONFIRM_INTERVAL:
            return None
        conn.execute("UPDATE recipients SET confirm_sent = ? WHERE email = ?", (iso(now), email))
        if name:
            conn.execute("UPDATE recipients SET name = ? WHERE email = ?", (name, email))
    return get_recipient(db, email)


def confirmation_not_sent(db: Database, email: str) -> None:
    """A confirmation that could not go out does not count against the hourly limit."""
    with db.transaction() as conn:
        conn.execute("UPDATE recipients SET confirm_sent = '' WHERE email = ?", (email,))


def move(
    db: Database, email: str, status: str, cause: str, now: dt.datetime, *, new_token: bool = False
) -> bool:
    """Put a known recipient in `status` (False when unknown or already there)."""
    with db.transaction() as conn:
        row = conn.execute("SELECT status FROM recipients WHERE email = ?", (email,)).fetchone()
        if row is None or row["status"] == status:
            return False
        change_status(conn, email, status, cause, now, new_token=new_token)
        conn.execute(
            "UPDATE recipients SET soft_fail_days = 0, soft_fail_last = '' WHERE email = ?",
            (email,),
        )
    return True


def note_soft_failure(db: Database, email: str, now: dt.datetime, reason: str, limit: int) -> bool:
    """Count a temporary refusal on today's (UTC) date; True when that made `limit` days in a
    row and the recipient is now bounced (`limit` 0: never)."""
    day = now.date()
    with db.transaction() as conn:
        row = conn.execute(
            "SELECT status, soft_fail_days, soft_fail_last FROM recipients WHERE email = ?",
            (email,),
        ).fetchone()
        if row is None or row["soft_fail_last"] == day.isoformat():
            return False
        yesterday = (day - dt.timedelta(days=1)).isoformat()
        days = row["soft_fail_days"] + 1 if row["soft_fail_last"] == yesterday else 1
        conn.execute(
            "UPDATE recipients SET soft_fail_days = ?, soft_fail_last = ? WHERE email = ?",
            (days, day.isoformat(), email),
        )
        if not limit or days < limit or row["status"] != ACTIVE:
            return False
        cause = f"refused temporarily on {days} days in a row, last: {reason}"
        change_status(conn, email, BOUNCED, cause, now)
    return True


def soft_failing(db: Database) -> set[str]:
    """Addresses with temporary refusals counted (a delivery clears them)."""
    rows = db.conn.execute("SELECT email FROM recipients WHERE soft_fail_days > 0")
    return {row[0] for row in rows}


def clear_soft_failures(db: Database, email: str) -> None:
    with db.transaction() as conn:
        conn.execute(
            "UPDATE recipients SET soft_fail_days = 0, soft_fail_last = '' WHERE email = ?",
            (email,),
        )


def status_counts(db: Database) -> dict[str, int]:
    """How many recipients are in each state (every state present, zeros included)."""
    counts = dict.fromkeys(STATES, 0)
    for row in db.conn.execute("SELECT status, COUNT(*) FROM recipients GROUP BY status"):
        counts[row[0]] = row[1]
    return counts


def latest_changes(db: Database) -> dict[str, StateChange]:
    """Each recipient's latest state change, by address."""
    rows = db.conn.execute(
        "SELECT email, status, at, cause FROM recipient_events WHERE id IN"
        " (SELECT MAX(id) FROM recipient_events GROUP BY email)"
    ).fetchall()
    return {
        r["email"]: StateChange(r["email"], r["status"], from_iso(r["at"]), r["cause"])
        for r in rows
    }


def history(db: Database, email: str) -> list[StateChange]:
    """Every state change of one recipient, oldest first."""
    rows = db.conn.execute(
        "SELECT email, status, at, cause FROM recipient_events WHERE email = ? ORDER BY id",
        (email,),
    ).fetchall()
    return [StateChange(r["email"], r["status"], from_iso(r["at"]), r["cause"]) for r in rows]


def stored_secret(db: Database, name: str) -> str:
    """A random secret kept in the store, made on first use (the same for every process)."""
    with db.transaction() as conn:
        conn.execute(
            "INSERT OR IGNORE INTO secrets(name, value) VALUES (?, ?)",
            (name, secrets.token_urlsafe(32)),
        )
        row = conn.execute("SELECT value FROM secrets WHERE name = ?", (name,)).fetchone()
    return str(row[0])
