"""Threads in the store: which stories each thread holds, its open/closed state and times.

A near-duplicate copy folded into another story keeps its own `thread_stories` row with
`copy_of` naming that story; loading folds it back in, as one story with both sources.
Grouping itself is in digest/threads/group.py; this module only reads and writes rows.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence

from digest.models import Story, Thread
from digest.store.db import Database, from_iso, iso
from digest.store.stories import get_stories

_CHUNK = 500  # SQLite's bound-parameter limit is well above this


def save_threads(db: Database, threads: Sequence[Thread]) -> None:
    """Insert or update each thread and file its stories (and their folded copies) under it."""
    with db.transaction() as conn:
        for thread in threads:
            conn.execute(
                "INSERT INTO threads(id, opened, updated, closed) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET opened = excluded.opened, "
                "updated = excluded.updated, closed = excluded.closed",
                (thread.id, iso(thread.opened), iso(thread.updated), int(thread.closed)),
            )
            for story in thread.stories:
                _file(conn, story.id, thread.id, "")
                for copy_id in _copies(conn, story):
                    _file(conn, copy_id, thread.id, story.id)


def load_open_threads(db: Database, now: dt.datetime, horizon_days: float) -> list[Thread]:
    """Threads not closed and updated within the horizon, with all their stories."""
    since = iso(now - dt.timedelta(days=horizon_days))
    rows = db.conn.execute(
        "SELECT id FROM threads WHERE closed = 0 AND updated >= ? ORDER BY updated, id", (since,)
    ).fetchall()
    return _threads(db, [row["id"] for row in rows])


def close_stale_threads(db: Database, now: dt.datetime, horizon_days: float) -> int:
    """Mark closed every open thread quiet past the horizon; how many were closed."""
    since = iso(now - dt.timedelta(days=horizon_days))
    with db.transaction() as conn:
        cursor = conn.execute(
            "UPDATE threads SET closed = 1 WHERE closed = 0 AND updated < ?", (since,)
        )
    return cursor.rowcount


def threads_in_window(
    db: Database, since: dt.datetime | None, until: dt.datetime | None
) -> list[Thread]:
    """Threads with stories published in [since, until), each with only those stories."""
    low = iso(since) if since else ""
    high = iso(until) if until else "9999"
    rows = db.conn.execute(
        "SELECT DISTINCT ts.thread_id, COALESCE(NULLIF(ts.copy_of, ''), ts.story_id) AS story_id"
        " FROM thread_stories ts JOIN stories s ON s.id = ts.story_id"
        " WHERE s.published >= ? AND s.published < ?",
        (low, high),
    ).fetchall()
    wanted = {(row["thread_id"], row["story_id"]) for row in rows}
    threads = _threads(db, sorted({thread for thread, _ in wanted}))
    kept = [_only(t, {s for thread, s in wanted if thread == t.id}) for t in threads]
    return sorted(kept, key=lambda t: (-t.updated.timestamp(), t.id))


def threads_for_stories(db: Database, story_ids: Iterable[str]) -> list[Thread]:
    """The threads holding any of these stories (or their folded copies), with all their stories."""
    found: set[str] = set()
    ids = list(story_ids)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        rows = db.conn.execute(
            f"SELECT DISTINCT thread_id FROM thread_stories WHERE story_id IN ({marks})", chunk
        ).fetchall()
        found.update(row["thread_id"] for row in rows)
    return _threads(db, sorted(found))


def unthreaded_stories(db: Database) -> list[Story]:
    """Stored stories that no thread holds yet, oldest first: the next grouping's input."""
    rows = db.conn.execute(
        "SELECT id FROM stories WHERE id NOT IN (SELECT story_id FROM thread_stories)"
        " ORDER BY published, id"
    ).fetchall()
    return get_stories(db, [row["id"] for row in rows])  # oldest first, as selected


def _file(conn: sqlite3.Connection, story_id: str, thread_id: str, copy_of: str) -> None:
    conn.execute(
        "INSERT INTO thread_stories(story_id, thread_id, copy_of) VALUES (?, ?, ?) "
        "ON CONFLICT(story_id) DO UPDATE SET thread_id = excluded.thread_id, "
        "copy_of = excluded.copy_of",
        (story_id, thread_id, copy_of),
    )


def _copies(conn: sqlite3.Connection, story: Story) -> set[str]:
    """Ids of the stored stories whose URLs this (merged) story lists among its sources."""
    urls = [ref.url for ref in story.all_sources() if ref.url != story.url]
    found: set[str] = set()
    for url in urls:
        rows = conn.execute(
            "SELECT id FROM stories WHERE url = ?"
            " UNION SELECT story_id FROM story_sources WHERE url = ?",
            (url, url),
        ).fetchall()
        found.update(row[0] for row in rows)
    found.discard(story.id)
    return found


def _threads(db: Database, thread_ids: Sequence[str]) -> list[Thread]:
    conn = db.conn
    threads: list[Thread] = []
    for start in range(0, len(thread_ids), _CHUNK):
        chunk = list(thread_ids[start : start + _CHUNK])
        marks = ",".join("?" * len(chunk))
        heads = conn.execute(f"SELECT * FROM threads WHERE id IN ({marks})", chunk).fetchall()
        members = conn.execute(
            f"SELECT story_id, thread_id, copy_of FROM thread_stories WHERE thread_id IN ({marks})",
            chunk,
        ).fetchall()
        stories = {s.id: s for s in get_stories(db, [row["story_id"] for row in members])}
        by_thread: dict[str, list[sqlite3.Row]] = defaultdict(list)
        for row in members:
            by_thread[row["thread_id"]].append(row)
        threads.extend(_thread(head, by_thread[head["id"]], stories) for head in heads)
    return sorted(threads, key=lambda t: (t.updated, t.id))


def _thread(head: sqlite3.Row, members: list[sqlite3.Row], stories: dict[str, Story]) -> Thread:
    copies: dict[str, list[Story]] = defaultdict(list)
    for row in members:
        if row["copy_of"] and row["story_id"] in stories:
            copies[row["copy_of"]].append(stories[row["story_id"]])
    primaries = [
        stories[row["story_id"]].with_copies(copies[row["story_id"]])
        for row in members
        if not row["copy_of"] and row["story_id"] in stories
    ]
    return Thread(
        id=head["id"],
        stories=tuple(sorted(primaries, key=lambda s: (s.published, s.id))),
        opened=from_iso(head["opened"]),
        updated=from_iso(head["updated"]),
        closed=bool(head["closed"]),
    )


def _only(thread: Thread, story_ids: set[str]) -> Thread:
    return Thread(
        thread.id,
        tuple(s for s in thread.stories if s.id in story_ids),
        thread.opened,
        thread.updated,
        thread.closed,
    )
