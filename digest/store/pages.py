"""The archive's copy of each edition: its web page, and which editions readers received.

The page is rendered when the edition is built (the web variant of its templates) and
dropped with the edition when an unsent one is rebuilt.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from digest.store.db import Database, from_iso


@dataclass(frozen=True)
class PublishedEdition:
    """What the archive's index and feed show of an edition that went out."""

    id: str
    date: dt.date
    #: When it was built (UTC).
    built: dt.datetime
    subject: str
    preheader: str


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


_PUBLISHED = (
    "SELECT id, date, built, subject, preheader FROM editions"
    " WHERE status IN ('sending', 'delivered')"
)


def published_editions(db: Database) -> list[PublishedEdition]:
    """Editions that went out to readers, newest first (without their bodies)."""
    rows = db.conn.execute(_PUBLISHED + " ORDER BY date DESC, built DESC, id DESC").fetchall()
    return [_published(row) for row in rows]


def published_edition(db: Database, edition_id: str) -> PublishedEdition | None:
    """One edition that went out; None when there is none by that id."""
    row = db.conn.execute(_PUBLISHED + " AND id = ?", (edition_id,)).fetchone()
    return _published(row) if row else None


def _published(row: dict[str, str]) -> PublishedEdition:
    return PublishedEdition(
        row["id"],
        dt.date.fromisoformat(row["date"]),
        from_iso(row["built"]),
        row["subject"],
        row["preheader"],
    )
