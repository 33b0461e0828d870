"""The SQLite file: opening, the schema and its migrations, transactions, leases.

The other modules of this package each keep one table family (stories, feeds,
threads, editions, deliveries, recipients) as plain functions over `Database`.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from digest.errors import StoreError

# Each entry migrates the schema from version i to i + 1. Append; never edit a released one.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        url TEXT NOT NULL,               -- canonical URL
        title TEXT NOT NULL,
        source TEXT NOT NULL,            -- outlet display name
        feed TEXT NOT NULL DEFAULT '',   -- feed it first arrived through
        published TEXT NOT NULL,         -- ISO 8601 UTC
        first_seen TEXT NOT NULL,        -- ISO 8601 UTC; "new" is judged on this
        text TEXT NOT NULL DEFAULT '',
        dek TEXT NOT NULL DEFAULT '',
        author TEXT NOT NULL DEFAULT '',
        image TEXT NOT NULL DEFAULT '',  -- JSON {url, alt, credit} or ''
        content_hash TEXT NOT NULL DEFAULT '',
        counts_as_new INTEGER NOT NULL DEFAULT 1  -- 0: back catalogue met on a feed's first fetch
    );
    CREATE INDEX stories_url ON stories(url);
    CREATE INDEX stories_published ON stories(published);
    CREATE INDEX stories_first_seen ON stories(first_seen);
    CREATE INDEX stories_hash ON stories(content_hash);

    CREATE TABLE story_sources (
        story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        url TEXT NOT NULL,
        feed TEXT NOT NULL DEFAULT '',
        first_seen TEXT NOT NULL,
        PRIMARY KEY (story_id, url)
    );

    CREATE TABLE feeds (
        name TEXT PRIMARY KEY,
        url TEXT NOT NULL,               -- current URL (a permanent redirect updates it)
        etag TEXT NOT NULL DEFAULT '',
        last_modified TEXT NOT NULL DEFAULT '',
        first_fetch TEXT NOT NULL DEFAULT '',
        last_attempt TEXT NOT NULL DEFAULT '',
        last_success TEXT NOT NULL DEFAULT '',
        failing_since TEXT NOT NULL DEFAULT '',
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT '',
        item_count INTEGER NOT NULL DEFAULT 0,
        disabled TEXT NOT NULL DEFAULT ''  -- reason, e.g. '410 Gone'; '' when enabled
    );

    CREATE TABLE threads (
        id TEXT PRIMARY KEY,
        opened TEXT NOT NULL,
        updated TEXT NOT NULL,
        closed INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX threads_updated ON threads(updated);
    CREATE TABLE thread_stories (
        story_id TEXT PRIMARY KEY REFERENCES stories(id) ON DELETE CASCADE,
        thread_id TEXT NOT NULL REFERENCES threads(id) ON DELETE CASCADE
    );
    CREATE INDEX thread_stories_thread ON thread_stories(thread_id);

    CREATE TABLE editions (
        id TEXT PRIMARY KEY,             -- '2025-06-10', '2025-06-10.2' when forced
        date TEXT NOT NULL,              -- local date of the newsletter
        built TEXT NOT NULL,             -- ISO 8601 UTC
        subject TEXT NOT NULL,
        preheader TEXT NOT NULL DEFAULT '',
        html TEXT NOT NULL,
        text TEXT NOT NULL,
        json TEXT NOT NULL,              -- edition.json
        status TEXT NOT NULL DEFAULT 'built'  -- built | sending | delivered | skipped
    );
    CREATE INDEX editions_date ON editions(date);
    CREATE TABLE edition_stories (
        edition_id TEXT NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
        thread_id TEXT NOT NULL,
        story_id TEXT NOT NULL,
        PRIMARY KEY (edition_id, story_id)
    );
    CREATE INDEX edition_stories_thread ON edition_stories(thread_id);

    CREATE TABLE recipients (
        email TEXT PRIMARY KEY,          -- lower-cased
        name TEXT NOT NULL DEFAULT '',
        fields TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL DEFAULT 'active',  -- active | unsubscribed
        token TEXT NOT NULL,
        added TEXT NOT NULL
    );

    CREATE TABLE deliveries (
        edition_id TEXT NOT NULL REFERENCES editions(id),
        recipient TEXT NOT NULL,
        state TEXT NOT NULL,             -- pending | sending | sent | failed
        attempts INTEGER NOT NULL DEFAULT 0,
        message_id TEXT NOT NULL DEFAULT '',
        error TEXT NOT NULL DEFAULT '',
        updated TEXT NOT NULL,
        PRIMARY KEY (edition_id, recipient)
    );
    CREATE INDEX deliveries_state ON deliveries(edition_id, state);

    CREATE TABLE leases (
        name TEXT PRIMARY KEY,           -- 'send', 'schedule'
        owner TEXT NOT NULL,
        expires TEXT NOT NULL
    );

    CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        date TEXT NOT NULL,
        started TEXT NOT NULL,
        finished TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'running',  -- running | ok | failed | skipped
        detail TEXT NOT NULL DEFAULT ''
    );
    """,
    # Recipients remember where they came from: 'config' (the config list or recipients_file,
    # mailed only while listed there) or 'store' (`digest recipients add|import`).
    """
    ALTER TABLE recipients ADD COLUMN origin TEXT NOT NULL DEFAULT 'config';
    """,
    """
    -- the scheduler's slot of the date a run served (1 = first); 0: not a scheduled run
    ALTER TABLE runs ADD COLUMN slot INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX runs_date ON runs(date, slot);
    CREATE TABLE alerts (
        key TEXT PRIMARY KEY,            -- 'run:2026-03-08#1', 'feed:<name>:<failing_since>'
        sent TEXT NOT NULL               -- ISO 8601 UTC
    );
    """,
    # Ingest: one story_sources row per feed that carried a story (the same URL may arrive
    # through two feeds), and the configured URL beside the current one, so a permanent
    # redirect is followed until the user edits the feed's URL.
    """
    CREATE TABLE story_sources_by_feed (
        story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        url TEXT NOT NULL,
        feed TEXT NOT NULL DEFAULT '',
        first_seen TEXT NOT NULL,
        PRIMARY KEY (story_id, feed, url)
    );
    INSERT INTO story_sources_by_feed SELECT story_id, name, url, feed, first_seen
        FROM story_sources;
    DROP TABLE story_sources;
    ALTER TABLE story_sources_by_feed RENAME TO story_sources;
    CREATE INDEX story_sources_url ON story_sources(url);
    ALTER TABLE feeds ADD COLUMN config_url TEXT NOT NULL DEFAULT '';
    ALTER TABLE feeds ADD COLUMN title TEXT NOT NULL DEFAULT '';
    """,
    # Threads: a near-duplicate copy (another outlet's syndicated or lightly edited copy) is
    # filed under the story it was folded into, so loading rebuilds one story with both sources.
    """
    ALTER TABLE thread_stories ADD COLUMN copy_of TEXT NOT NULL DEFAULT '';
    """,
    # Recipients: states active | unconfirmed | unsubscribed | bounced, each change kept with
    # its time and cause; temporary refusals counted by day; the secret that signs web links.
    """
    CREATE TABLE recipient_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        email TEXT NOT NULL,
        at TEXT NOT NULL,                -- ISO 8601 UTC
        status TEXT NOT NULL,            -- the state entered
        cause TEXT NOT NULL,
        token TEXT NOT NULL DEFAULT ''   -- the token in force before (a used link is known)
    );
    CREATE INDEX recipient_events_email ON recipient_events(email, id);
    CREATE INDEX recipient_events_token ON recipient_events(token);
    INSERT INTO recipient_events(email, at, status, cause)
        SELECT email, added, status, 'state before history was kept' FROM recipients;
    ALTER TABLE recipients ADD COLUMN soft_fail_days INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE recipients ADD COLUMN soft_fail_last TEXT NOT NULL DEFAULT '';  -- UTC date
    ALTER TABLE recipients ADD COLUMN confirm_sent TEXT NOT NULL DEFAULT '';
    CREATE TABLE secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE edition_pages (
        edition_id TEXT PRIMARY KEY REFERENCES editions(id) ON DELETE CASCADE,
        html TEXT NOT NULL               -- the web variant: no personal placeholders
    );
    -- the archive's list without reading each edition's bodies (status is stored after them)
    CREATE INDEX editions_published ON editions(status, date, built, id, subject, preheader);
    """,
    # Language-model answers, so a rebuild, a preview or a resumed send asks nothing again.
    """
    CREATE TABLE llm_responses (
        key TEXT PRIMARY KEY,            -- hash of model, prompt version and the thread's lines
        model TEXT NOT NULL,
        content TEXT NOT NULL,           -- the answer's message content, as the model wrote it
        tokens INTEGER NOT NULL DEFAULT 0,
        created TEXT NOT NULL            -- ISO 8601 UTC
    );
    """,
    # Feed health: how many items of the last fetch had no readable date; and a permanent
    # redirect's target, re-pinned as the feed's URL only once seen on several fetches in a row.
    """
    ALTER TABLE feeds ADD COLUMN undated_items INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE feeds ADD COLUMN moving_to TEXT NOT NULL DEFAULT '';
    ALTER TABLE feeds ADD COLUMN moving_seen INTEGER NOT NULL DEFAULT 0;
    """,
    # Deliveries: how many times a message was handed to the server with no answer after
    # it (the connection dropped, or the reply never came); such a one is resent at most once.
    """
    ALTER TABLE deliveries ADD COLUMN uncertain INTEGER NOT NULL DEFAULT 0;
    """,
    # The subscribe form's requests per client, so its hourly limit holds across a restart of
    # `digest serve` and between its processes; rows older than the window are deleted.
    """
    CREATE TABLE form_requests (
        client TEXT NOT NULL,            -- the address the request came from
        at TEXT NOT NULL                 -- ISO 8601 UTC
    );
    CREATE INDEX form_requests_by_client ON form_requests (client, at);
    """,
]


class Database:
    """One SQLite connection with the schema at the latest version."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            if str(path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            # Autocommit mode: `transaction()` opens explicit BEGIN IMMEDIATE blocks.
            self.conn = sqlite3.connect(
                str(path), timeout=30, isolation_level=None, check_same_thread=False
            )
            self.conn.row_factory = sqlite3.Row
            _use_wal(self.conn)
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("PRAGMA busy_timeout=30000")
            migrate(self.conn)
        except sqlite3.Error as e:
            raise StoreError(f"cannot open the store {path}: {e}") from e

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: committed on success, rolled back on any exception."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException:
            # SQLite has already rolled back after some errors (a full disk): then there
            # is nothing to roll back, and the first error is the one to report.
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _use_wal(conn: sqlite3.Connection, patience: float = 30.0) -> None:
    """Switch to WAL; SQLite answers "locked" at once, without waiting out the busy
    timeout, while another process switches a brand-new file: so wait here."""
    deadline = time.monotonic() + patience
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.05 + random.random() * 0.05)


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the schema to the latest version, one migration per transaction."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > len(MIGRATIONS):
        raise StoreError(f"the store is from a newer digest (schema {version})")
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        try:
            conn.executescript(
                f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;"
            )
        except sqlite3.OperationalError:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            # Another process opening the same new store migrated it while we waited for the lock.
            if conn.execute("PRAGMA user_version").fetchone()[0] < number:
                raise


def iso(moment: dt.datetime) -> str:
    """The stored form of a time: ISO 8601 in UTC."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime reached the store")
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def from_iso(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC)


def acquire_lease(db: Database, name: str, owner: str, now: dt.datetime, seconds: float) -> bool:
    """Take or renew the named lease; False when another live owner holds it."""
    expires = iso(now + dt.timedelta(seconds=seconds))
    with db.transaction() as conn:
        row = conn.execute("SELECT owner, expires FROM leases WHERE name = ?", (name,)).fetchone()
        if row and row["owner"] != owner and from_iso(row["expires"]) > now:
            return False
        conn.execute(
            "INSERT INTO leases(name, owner, expires) VALUES (?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, expires = excluded.expires",
            (name, owner, expires),
        )
    return True


def release_lease(db: Database, name: str, owner: str) -> None:
    with db.transaction() as conn:
        conn.execute("DELETE FROM leases WHERE name = ? AND owner = ?", (name, owner))
