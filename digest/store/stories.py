"""Stories and the feeds that carried them: save with deduplication, and the reads stages need.

Dedupe: same id (the guid, else canonical URL, else content hash), then same canonical URL.
A guid is trusted across feeds only when the URLs agree too: two feeds that both number
their items "1" are not the same story, so a colliding guid is re-keyed by its feed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from digest.models import Image, SourceRef, Story, content_hash, cut_text
from digest.store.db import Database, from_iso, iso

_COLUMNS = "id, url, title, source, feed, published, first_seen, text, dek, author, image"
#: What one story contributes to grouping and summarizing: stories are read back with at most
#: this much text (cut at a paragraph or sentence end) and short titles and deks, so every later
#: stage stays linear whatever one item holds. The stored text stays whole.
ANALYSIS_CHARS = 20_000
_LINE_CHARS = 1_000
_READ_COLUMNS = (
    f"id, url, substr(title, 1, {_LINE_CHARS + 1}) AS title, source, feed, published, first_seen, "
    f"substr(text, 1, {ANALYSIS_CHARS + 1}) AS text, substr(dek, 1, {_LINE_CHARS + 1}) AS dek, "
    "author, image"
)

_CHUNK = 500  # ids per query: well under SQLite's bound-parameter limit


def save_stories(
    db: Database, stories: Iterable[Story], *, counts_as_new: Callable[[Story], bool] | None = None
) -> list[Story]:
    """Store each story (or add its feed as a source of the one it repeats); return the new."""
    added: list[Story] = []
    with db.transaction() as conn:
        for story in stories:
            saved = _save(conn, story, counts_as_new(story) if counts_as_new else True)
            if saved is not None:
                added.append(saved)
    return added


def _save(conn: sqlite3.Connection, story: Story, new: bool) -> Story | None:
    row = conn.execute("SELECT url FROM stories WHERE id = ?", (story.id,)).fetchone()
    if row is not None:
        rekeyed = _rekey_if_colliding(conn, story, row["url"])
        if rekeyed is not story:
            story = rekeyed
            row = conn.execute("SELECT url FROM stories WHERE id = ?", (story.id,)).fetchone()
    existing = story.id if row is not None else _same_url(conn, story)
    if existing is not None:
        _add_source(conn, existing, story)
        if existing == story.id:
            _refresh(conn, story)
        return None
    _insert(conn, story, new)
    _add_source(conn, story.id, story)
    return story


def _rekey_if_colliding(conn: sqlite3.Connection, story: Story, stored_url: str) -> Story:
    """Another feed's different article under the same guid gets an id namespaced by feed."""
    if not story.url or stored_url in ("", story.url):
        return story
    if _carried_by(conn, story.id, story.feed):
        return story  # this feed's own item, whose link changed
    rekeyed = hashlib.sha256(f"{story.feed}\0{story.id}".encode()).hexdigest()[:16]
    return replace(story, id=rekeyed)


def _same_url(conn: sqlite3.Connection, story: Story) -> str | None:
    """The stored story with this one's canonical URL (another id), if any."""
    if story.url:
        row = conn.execute(
            "SELECT id FROM stories WHERE url = ? UNION "
            "SELECT story_id FROM story_sources WHERE url = ? LIMIT 1",
            (story.url, story.url),
        ).fetchone()
        if row is not None:
            return str(row[0])
    return None


def _carried_by(conn: sqlite3.Connection, story_id: str, feed: str) -> bool:
    sql = "SELECT 1 FROM story_sources WHERE story_id = ? AND feed = ?"
    return conn.execute(sql, (story_id, feed)).fetchone() is not None


def _insert(conn: sqlite3.Connection, story: Story, new: bool) -> None:
    first_seen = story.first_seen or story.published
    conn.execute(
        f"INSERT INTO stories ({_COLUMNS}, content_hash, counts_as_new) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            *_values(story, first_seen),
            content_hash(story.title, story.text),
            int(new),
        ),
    )


def _values(story: Story, first_seen: dt.datetime) -> tuple[Any, ...]:
    image = json.dumps(story.image.__dict__) if story.image else ""
    return (
        story.id,
        story.url,
        story.title,
        story.source,
        story.feed,
        iso(story.published),
        iso(first_seen),
        story.text,
        story.dek,
        story.author,
        image,
    )


def _refresh(conn: sqlite3.Connection, story: Story) -> None:
    """A feed edited its own item: keep the newer title and text, never the first-seen time."""
    conn.execute(
        "UPDATE stories SET title = :title, text = :text, dek = :dek WHERE id = :id"
        " AND feed = :feed AND (title != :title OR text != :text OR dek != :dek)",
        {"title": story.title, "text": story.text, "dek": story.dek}
        | {"id": story.id, "feed": story.feed},
    )


def _add_source(conn: sqlite3.Connection, story_id: str, story: Story) -> None:
    seen = iso(story.first_seen or story.published)
    conn.execute(
        "INSERT OR IGNORE INTO story_sources (story_id, name, url, feed, first_seen) "
        "VALUES (?, ?, ?, ?, ?)",
        (story_id, story.source, story.url, story.feed, seen),
    )


def new_stories(db: Database, since: dt.datetime | None, until: dt.datetime) -> list[Story]:
    """Stories first seen in (since, until] that count as new, oldest publication first."""
    where = "counts_as_new = 1 AND first_seen <= ?"
    params: list[str] = [iso(until)]
    if since is not None:
        where += " AND first_seen > ?"
        params.append(iso(since))
    return _select(db, where, params)


def stories_published_between(
    db: Database, since: dt.datetime | None, until: dt.datetime | None
) -> list[Story]:
    """Every stored story with since <= published < until (either bound optional)."""
    clauses, params = ["1 = 1"], []
    if since is not None:
        clauses.append("published >= ?")
        params.append(iso(since))
    if until is not None:
        clauses.append("published < ?")
        params.append(iso(until))
    return _select(db, " AND ".join(clauses), params)


def get_stories(db: Database, ids: Iterable[str]) -> list[Story]:
    """The stories with these ids, in the order given; unknown ids are skipped."""
    wanted = list(dict.fromkeys(ids))
    found: dict[str, Story] = {}
    for start in range(0, len(wanted), _CHUNK):  # SQLite bounds the parameters of one query
        chunk = wanted[start : start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        found.update((s.id, s) for s in _select(db, f"id IN ({marks})", chunk))
    return [found[i] for i in wanted if i in found]


def _select(db: Database, where: str, params: list[str]) -> list[Story]:
    rows = db.conn.execute(
        f"SELECT {_READ_COLUMNS} FROM stories WHERE {where} ORDER BY published, id", params
    ).fetchall()
    sources = _sources(db, [row["id"] for row in rows])
    return [_story(row, sources.get(row["id"], ())) for row in rows]


def _sources(db: Database, ids: list[str]) -> dict[str, tuple[SourceRef, ...]]:
    result: dict[str, list[SourceRef]] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        rows = db.conn.execute(
            "SELECT story_id, name, url, feed FROM story_sources "
            f"WHERE story_id IN ({', '.join('?' * len(chunk))}) ORDER BY first_seen, rowid",
            chunk,
        )
        for row in rows:
            ref = SourceRef(row["name"], row["url"], row["feed"])
            result.setdefault(row["story_id"], []).append(ref)
    return {key: tuple(value) for key, value in result.items()}


def _story(row: sqlite3.Row, sources: tuple[SourceRef, ...]) -> Story:
    image = Image(**json.loads(row["image"])) if row["image"] else None
    return Story(
        id=row["id"],
        title=cut_text(row["title"], _LINE_CHARS),
        url=row["url"],
        source=row["source"],
        published=from_iso(row["published"]),
        text=cut_text(row["text"], ANALYSIS_CHARS),
        dek=cut_text(row["dek"], _LINE_CHARS),
        author=row["author"],
        feed=row["feed"],
        first_seen=from_iso(row["first_seen"]),
        image=image,
        sources=sources,
    )


def set_story_text(db: Database, story_id: str, text: str) -> None:
    """Replace a story's text (full-text extraction of its page)."""
    with db.transaction() as conn:
        conn.execute("UPDATE stories SET text = ? WHERE id = ?", (text, story_id))
