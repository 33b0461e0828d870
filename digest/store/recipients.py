"""Recipients in the store: each address once, its unsubscribe token, status and origin.

An unsubscribed or bounced address stays in the table so that no config list or import
ever mails it again; every change of status is kept in `recipient_events` with its time
and cause (states.py has the changes the web app and bounces make). Validation happens
before this layer.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import sqlite3
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from digest.models import Recipient
from digest.store.db import Database, from_iso, iso

ACTIVE = "active"
#: Asked to subscribe on the web; mailed nothing but the confirmation until confirmed.
UNCONFIRMED = "unconfirmed"
UNSUBSCRIBED = "unsubscribed"
#: Refused for good by the receiving server (5xx, a DSN, or soft refusals day after day).
BOUNCED = "bounced"
STATES = (ACTIVE, UNCONFIRMED, UNSUBSCRIBED, BOUNCED)
#: Listed in the config (or its recipients_file): mailed only while still listed there.
FROM_CONFIG = "config"
#: Added with `digest recipients add|import`: mailed until unsubscribed.
FROM_STORE = "store"


@dataclass(frozen=True)
class StoredRecipient:
    email: str
    name: str
    #: The random token in this recipient's unsubscribe link.
    token: str
    #: active | unconfirmed | unsubscribed | bounced
    status: str
    #: config | store (see FROM_CONFIG, FROM_STORE)
    origin: str
    added: dt.datetime
    fields: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


def sync_configured(db: Database, recipients: Sequence[Recipient], now: dt.datetime) -> None:
    """Record the configured recipients: new ones get a token; names and fields are refreshed.

    Status and origin of known addresses are left alone: an unsubscribe sticks.
    """
    with db.transaction() as conn:
        known = {row[0] for row in conn.execute("SELECT email FROM recipients")}
        _record_new(
            conn,
            [r for r in recipients if r.email.lower() not in known],
            now,
            "listed in the config",
        )
        conn.executemany(
            "INSERT INTO recipients(email, name, fields, status, token, added, origin)"
            " VALUES (?, ?, ?, 'active', ?, ?, 'config')"
            " ON CONFLICT(email) DO UPDATE SET"
            " name = CASE WHEN excluded.name != '' THEN excluded.name ELSE name END,"
            " fields = CASE WHEN excluded.fields != '{}' THEN excluded.fields ELSE fields END",
            [_row(r, now) for r in recipients],
        )


def mailing_list(db: Database, configured: Collection[str]) -> list[StoredRecipient]:
    """Active recipients to mail: those added to the store, and configured ones still listed."""
    rows = db.conn.execute(
        "SELECT * FROM recipients WHERE status = 'active' ORDER BY added, email"
    ).fetchall()
    wanted = set(configured)
    return [
        stored_row(row) for row in rows if row["origin"] == FROM_STORE or row["email"] in wanted
    ]


def add_recipient(
    db: Database, recipient: Recipient, now: dt.datetime, cause: str = "digest recipients add"
) -> StoredRecipient:
    """Add (or re-subscribe) one address on purpose: it is mailed until unsubscribed."""
    with db.transaction() as conn:
        row = conn.execute(
            "SELECT status FROM recipients WHERE email = ?", (recipient.email.lower(),)
        ).fetchone()
        if row is None or row["status"] != ACTIVE:
            record_event(conn, recipient.email.lower(), ACTIVE, cause, now)
        conn.execute(
            "INSERT INTO recipients(email, name, fields, status, token, added, origin)"
            " VALUES (?, ?, ?, 'active', ?, ?, 'store')"
            " ON CONFLICT(email) DO UPDATE SET status = 'active', origin = 'store',"
            " name = CASE WHEN excluded.name != '' THEN excluded.name ELSE name END",
            _row(recipient, now),
        )
    found = get_recipient(db, recipient.email)
    assert found is not None
    return found


def import_recipients(
    db: Database, recipients: Sequence[Recipient], now: dt.datetime, cause: str = "imported"
) -> int:
    """Add many addresses; unsubscribed and bounced ones stay so. Returns how many are new."""
    before = _count(db)
    with db.transaction() as conn:
        known = {row[0] for row in conn.execute("SELECT email FROM recipients")}
        _record_new(conn, [r for r in recipients if r.email.lower() not in known], now, cause)
        conn.executemany(
            "INSERT INTO recipients(email, name, fields, status, token, added, origin)"
            " VALUES (?, ?, ?, 'active', ?, ?, 'store')"
            " ON CONFLICT(email) DO UPDATE SET origin = 'store',"
            " name = CASE WHEN excluded.name != '' THEN excluded.name ELSE name END",
            [_row(r, now) for r in recipients],
        )
    return _count(db) - before


def unsubscribe(
    db: Database,
    email_or_token: str,
    now: dt.datetime | None = None,
    cause: str = "digest recipients remove",
) -> StoredRecipient | None:
    """Mark an address (or the owner of an unsubscribe token) unsubscribed; None if unknown.

    The token is replaced, so a link carrying the old one is known as used, not valid.
    """
    key = email_or_token.strip()
    moment = now or dt.datetime.now(dt.UTC)
    with db.transaction() as conn:
        row = conn.execute(
            "SELECT email, status, token FROM recipients WHERE email = ? OR token = ?",
            (key.lower(), key),
        ).fetchone()
        if row is None:
            return None
        if row["status"] != UNSUBSCRIBED:
            change_status(conn, row["email"], UNSUBSCRIBED, cause, moment, new_token=True)
    return get_recipient(db, row["email"])


def change_status(
    conn: sqlite3.Connection,
    email: str,
    status: str,
    cause: str,
    now: dt.datetime,
    *,
    new_token: bool = False,
) -> None:
    """Set one recipient's status inside a transaction, and keep the change in the history."""
    old = conn.execute("SELECT token FROM recipients WHERE email = ?", (email,)).fetchone()
    token = secrets.token_urlsafe(16) if new_token else old["token"]
    conn.execute(
        "UPDATE recipients SET status = ?, token = ? WHERE email = ?", (status, token, email)
    )
    record_event(conn, email, status, cause, now, old["token"] if new_token else "")


def record_event(
    conn: sqlite3.Connection, email: str, status: str, cause: str, now: dt.datetime, token: str = ""
) -> None:
    conn.execute(
        "INSERT INTO recipient_events(email, at, status, cause, token) VALUES (?, ?, ?, ?, ?)",
        (email, iso(now), status, cause, token),
    )


def _record_new(
    conn: sqlite3.Connection, recipients: Sequence[Recipient], now: dt.datetime, cause: str
) -> None:
    for recipient in {r.email.lower(): r for r in recipients}:
        record_event(conn, recipient, ACTIVE, cause, now)


def get_recipient(db: Database, email: str) -> StoredRecipient | None:
    row = db.conn.execute("SELECT * FROM recipients WHERE email = ?", (email.lower(),)).fetchone()
    return stored_row(row) if row else None


def list_recipients(db: Database) -> list[StoredRecipient]:
    rows = db.conn.execute("SELECT * FROM recipients ORDER BY email").fetchall()
    return [stored_row(row) for row in rows]


def _count(db: Database) -> int:
    return int(db.conn.execute("SELECT COUNT(*) FROM recipients").fetchone()[0])


def _row(recipient: Recipient, now: dt.datetime) -> tuple[str, str, str, str, str]:
    fields = json.dumps(recipient.fields, sort_keys=True, ensure_ascii=False)
    token = secrets.token_urlsafe(16)
    return (recipient.email.lower(), recipient.name, fields, token, iso(now))


def stored_row(row: dict[str, str]) -> StoredRecipient:
    """A `recipients` row as a StoredRecipient."""
    return StoredRecipient(
        email=row["email"],
        name=row["name"],
        token=row["token"],
        status=row["status"],
        origin=row["origin"],
        added=from_iso(row["added"]),
        fields=json.loads(row["fields"] or "{}"),
    )
