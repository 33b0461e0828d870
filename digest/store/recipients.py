"""Recipients in the store: each address once, its unsubscribe token, status and origin.

An unsubscribed address stays in the table (status 'unsubscribed') so that no
config list or import ever mails it again. Validation happens before this layer.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from digest.models import Recipient
from digest.store.db import Database, from_iso, iso

ACTIVE = "active"
UNSUBSCRIBED = "unsubscribed"
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
    #: active | unsubscribed
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
    return [_stored(row) for row in rows if row["origin"] == FROM_STORE or row["email"] in wanted]


def add_recipient(db: Database, recipient: Recipient, now: dt.datetime) -> StoredRecipient:
    """Add (or re-subscribe) one address on purpose: it is mailed until unsubscribed."""
    with db.transaction() as conn:
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


def import_recipients(db: Database, recipients: Sequence[Recipient], now: dt.datetime) -> int:
    """Add many addresses; unsubscribed ones stay unsubscribed. Returns how many are new."""
    before = _count(db)
    with db.transaction() as conn:
        conn.executemany(
            "INSERT INTO recipients(email, name, fields, status, token, added, origin)"
            " VALUES (?, ?, ?, 'active', ?, ?, 'store')"
            " ON CONFLICT(email) DO UPDATE SET origin = 'store',"
            " name = CASE WHEN excluded.name != '' THEN excluded.name ELSE name END",
            [_row(r, now) for r in recipients],
        )
    return _count(db) - before


def unsubscribe(db: Database, email_or_token: str) -> StoredRecipient | None:
    """Mark an address (or the owner of an unsubscribe token) unsubscribed; None if unknown."""
    key = email_or_token.strip()
    with db.transaction() as conn:
        conn.execute(
            "UPDATE recipients SET status = 'unsubscribed' WHERE email = ? OR token = ?",
            (key.lower(), key),
        )
    row = db.conn.execute(
        "SELECT * FROM recipients WHERE email = ? OR token = ?", (key.lower(), key)
    ).fetchone()
    return _stored(row) if row else None


def get_recipient(db: Database, email: str) -> StoredRecipient | None:
    row = db.conn.execute("SELECT * FROM recipients WHERE email = ?", (email.lower(),)).fetchone()
    return _stored(row) if row else None


def list_recipients(db: Database) -> list[StoredRecipient]:
    rows = db.conn.execute("SELECT * FROM recipients ORDER BY email").fetchall()
    return [_stored(row) for row in rows]


def _count(db: Database) -> int:
    return int(db.conn.execute("SELECT COUNT(*) FROM recipients").fetchone()[0])


def _row(recipient: Recipient, now: dt.datetime) -> tuple[str, str, str, str, str]:
    fields = json.dumps(recipient.fields, sort_keys=True, ensure_ascii=False)
    token = secrets.token_urlsafe(16)
    return (recipient.email.lower(), recipient.name, fields, token, iso(now))


def _stored(row: dict[str, str]) -> StoredRecipient:
    return StoredRecipient(
        email=row["email"],
        name=row["name"],
        token=row["token"],
        status=row["status"],
        origin=row["origin"],
        added=from_iso(row["added"]),
        fields=json.loads(row["fields"] or "{}"),
    )
