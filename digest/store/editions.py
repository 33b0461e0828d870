"""Editions in the store: what was built for a date, what it carried, and its status."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from digest.errors import DigestError
from digest.models import Edition, RenderedEdition
from digest.store.db import Database, from_iso, iso


@dataclass(frozen=True)
class StoredEdition:
    """A built edition as the store keeps it: enough to send it again without rebuilding."""

    id: str
    date: dt.date
    built: dt.datetime
    subject: str
    preheader: str
    html: str
    text: str
    json: str
    #: built | sending | delivered | skipped
    status: str


def save_edition(
    db: Database,
    edition: Edition,
    rendered: RenderedEdition,
    json_text: str,
    *,
    replacing: str | None = None,
) -> None:
    """Store a built edition and which stories of which threads it carried.

    `replacing` names an edition this one replaces, in the same transaction, so a failed
    rebuild never leaves a date without its edition. It must not have begun sending.
    """
    with db.transaction() as conn:
        if replacing and not _delete_unsent(conn, replacing):
            raise DigestError(f"edition {replacing} began sending while it was being rebuilt")
        conn.execute(
            "INSERT INTO editions(id, date, built, subject, preheader, html, text, json, status)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'built')",
            (
                edition.id,
                edition.date.isoformat(),
                iso(edition.built),
                rendered.subject,
                rendered.preheader,
                rendered.html,
                rendered.text,
                json_text,
            ),
        )
        conn.executemany(
            "INSERT OR IGNORE INTO edition_stories(edition_id, thread_id, story_id) VALUES (?,?,?)",
            [
                (edition.id, segment.thread.id, story.id)
                for segment in edition.segments  # a quick hit's one line tells no story
                for story in segment.thread.stories
            ],
        )


def get_edition(db: Database, edition_id: str) -> StoredEdition | None:
    row = db.conn.execute("SELECT * FROM editions WHERE id = ?", (edition_id,)).fetchone()
    return _stored(row) if row else None


def editions_for_date(db: Database, day: dt.date) -> list[StoredEdition]:
    """Every edition built for a local date, the first built first."""
    rows = db.conn.execute(
        "SELECT * FROM editions WHERE date = ? ORDER BY built, id", (day.isoformat(),)
    ).fetchall()
    return [_stored(row) for row in rows]


def unsent_edition(db: Database) -> StoredEdition | None:
    """The edition `digest send` should deliver: one whose sending was interrupted, else the
    latest built one, unless a later edition already went out (its news went with it)."""
    row = db.conn.execute(
        "SELECT * FROM editions WHERE status = 'sending' ORDER BY built DESC LIMIT 1"
    ).fetchone()
    row = (
        row
        or db.conn.execute(
            "SELECT * FROM editions WHERE status = 'built' AND built > COALESCE("
            "(SELECT MAX(built) FROM editions WHERE status IN ('sending', 'delivered')), '')"
            " ORDER BY built DESC LIMIT 1"
        ).fetchone()
    )
    return _stored(row) if row else None


def latest_editions(db: Database, limit: int = 5) -> list[StoredEdition]:
    rows = db.conn.execute(
        "SELECT * FROM editions ORDER BY date DESC, built DESC, id DESC LIMIT ?", (limit,)
    ).fetchall()
    return [_stored(row) for row in rows]


def previous_edition_time(db: Database, before: dt.datetime) -> dt.datetime | None:
    """When the last edition sent before `before` was built: stories first seen after it are new.

    Only editions that went out count: one built to look at and never sent has reached no
    reader, so its stories are still news.
    """
    row = db.conn.execute(
        "SELECT MAX(built) FROM editions WHERE built <= ? AND status IN ('sending', 'delivered')",
        (iso(before),),
    ).fetchone()
    return from_iso(row[0]) if row and row[0] else None


def _delete_unsent(conn: sqlite3.Connection, edition_id: str) -> bool:
    """Drop an edition that has not begun sending; False when it has (or is gone)."""
    row = conn.execute("SELECT status FROM editions WHERE id = ?", (edition_id,)).fetchone()
    if row is None or row["status"] != "built":
        return False
    # Children first: deliveries may hold rows planned by a send that died before sending.
    conn.execute("DELETE FROM edition_stories WHERE edition_id = ?", (edition_id,))
    conn.execute("DELETE FROM deliveries WHERE edition_id = ?", (edition_id,))
    conn.execute("DELETE FROM editions WHERE id = ?", (edition_id,))
    return True


def set_status(db: Database, edition_id: str, status: str) -> None:
    with db.transaction() as conn:
        conn.execute("UPDATE editions SET status = ? WHERE id = ?", (status, edition_id))


def carried_story_ids(
    db: Database, thread_id: str, day: dt.date, edition_id: str
) -> dict[str, str]:
    """Stories of a thread that editions up to `day` (other than `edition_id`) took to
    readers: story id -> the date of the first. An edition built to look at and never sent
    carried nothing to anyone."""
    rows = db.conn.execute(
        "SELECT es.story_id, MIN(e.date) AS first FROM edition_stories es"
        " JOIN editions e ON e.id = es.edition_id"
        " WHERE es.thread_id = ? AND e.date <= ? AND e.id != ?"
        " AND e.status IN ('sending', 'delivered')"
        " GROUP BY es.story_id",
        (thread_id, day.isoformat(), edition_id),
    ).fetchall()
    return {row["story_id"]: row["first"] for row in rows}


def _stored(row: dict[str, str]) -> StoredEdition:
    return StoredEdition(
        id=row["id"],
        date=dt.date.fromisoformat(row["date"]),
        built=from_iso(row["built"]),
        subject=row["subject"],
        preheader=row["preheader"],
        html=row["html"],
        text=row["text"],
        json=row["json"],
        status=row["status"],
    )
