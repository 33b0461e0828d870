"""The archive's copy of each edition: its web page, and which editions readers received.

The page is rendered when the edition is built (the web variant of its templates) and
dropped with the edition when an unsent one is rebuilt.
"""

from __future__ import annotations

from digest.store.db import Database
from digest.store.editions import StoredEdition, get_edition


def save_page(db: Database, edition_id: str, html: str) -> None:
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO edition_pages(edition_id, html) VALUES (?, ?)"
            " ON CONFLICT(edition_id) DO UPDATE SET html = excluded.html",
            (edition_id, html),
        )


def get_page(db: Database, edition_id: str) -> str | None:
    row = db.conn.execute(
        "SELECT html FROM edition_pages WHERE edition_id = ?", (edition_id,)
    ).fetchone()
    return str(row[0]) if row else None


def published_editions(db: Database) -> list[StoredEdition]:
    """Editions that went out to readers, newest first."""
    rows = db.conn.execute(
        "SELECT id FROM editions WHERE status IN ('sending', 'delivered')"
        " ORDER BY date DESC, built DESC, id DESC"
    ).fetchall()
    found = (get_edition(db, row[0]) for row in rows)
    return [edition for edition in found if edition is not None]
