"""Feed state and health: validators for conditional GET, moved URLs, failures in a row.

One row per configured feed, keyed by its name. Ingest reads and records; `digest feeds
check` and the edition footer read `feed_health` and `failing_feeds`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from digest.models import FailingSource
from digest.store.db import Database, iso

#: A permanent redirect (301, 308) becomes the feed's URL once seen on this many successful
#: fetches in a row: one misconfigured answer must not move a feed for good.
MOVE_AFTER = 3


@dataclass(frozen=True)
class FeedState:
    """What the store knows of one feed. Times are ISO 8601 UTC strings, "" when never."""

    name: str
    #: Where to fetch it now: the configured URL, or where a permanent redirect moved it.
    url: str
    config_url: str = ""
    title: str = ""
    etag: str = ""
    last_modified: str = ""
    first_fetch: str = ""
    last_attempt: str = ""
    last_success: str = ""
    failing_since: str = ""
    consecutive_failures: int = 0
    last_error: str = ""
    item_count: int = 0
    #: Why the feed is no longer fetched ("410 Gone ..."); "" while enabled.
    disabled: str = ""
    #: Items of the last fetch without a readable date (they count as new only when first seen).
    undated_items: int = 0
    #: Where permanent redirects have led on the last `moving_seen` fetches in a row.
    moving_to: str = ""
    moving_seen: int = 0

    @property
    def never_fetched(self) -> bool:
        return not self.first_fetch

    @property
    def dates_note(self) -> str:
        """What the health table says of the feed's dates; "" when its items are dated."""
        if not self.undated_items:
            return ""
        if self.undated_items >= self.item_count:
            return "no usable dates: items count as new when first seen"
        return f"{self.undated_items} of {self.item_count} items have no usable date"


def load_state(db: Database, name: str, config_url: str) -> FeedState:
    """The feed's state, created on first sight; reset when the user changed its URL."""
    row = db.conn.execute("SELECT * FROM feeds WHERE name = ?", (name,)).fetchone()
    if row is not None and row["config_url"] == config_url:
        return FeedState(**{k: row[k] for k in row.keys()})  # noqa: SIM118 - sqlite3.Row
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO feeds (name, url, config_url) VALUES (?, ?, ?) ON CONFLICT(name) DO "
            "UPDATE SET url = excluded.url, config_url = excluded.config_url, etag = '', "
            "last_modified = '', disabled = ''",
            (name, config_url, config_url),
        )
    return load_state(db, name, config_url)


def record_success(
    db: Database,
    name: str,
    now: dt.datetime,
    *,
    etag: str,
    last_modified: str,
    item_count: int | None,
    undated: int | None = None,
    moved_to: str = "",
    title: str = "",
) -> None:
    """A fetch worked (200, or 304 when `item_count` is None): the failure streak ends."""
    stamp = iso(now)
    with db.transaction() as conn:
        conn.execute(
            "UPDATE feeds SET etag = :etag, last_modified = :lm, last_attempt = :now, "
            "last_success = :now, first_fetch = CASE first_fetch WHEN '' THEN :now "
            "ELSE first_fetch END, consecutive_failures = 0, failing_since = '', "
            "last_error = '', item_count = COALESCE(:count, item_count), "
            "undated_items = COALESCE(:undated, undated_items), "
            # A permanent redirect re-pins the URL once seen on MOVE_AFTER fetches in a row
            # (SET expressions all read the row as it was before this UPDATE).
            "url = CASE WHEN :moved != '' AND :moved = moving_to AND moving_seen + 1 >= :after"
            " THEN :moved ELSE url END, "
            "moving_seen = CASE WHEN :moved = '' THEN 0 WHEN :moved = moving_to"
            " THEN moving_seen + 1 ELSE 1 END, moving_to = :moved, "
            "title = CASE :title WHEN '' THEN title ELSE :title END WHERE name = :name",
            {"etag": etag, "lm": last_modified, "now": stamp, "count": item_count}
            | {"undated": undated, "after": MOVE_AFTER}
            | {"moved": moved_to, "title": title, "name": name},
        )


def record_failure(
    db: Database, name: str, now: dt.datetime, error: str, *, disable: bool = False
) -> None:
    """A fetch or parse failed; `disable` stops fetching it (410 Gone)."""
    stamp = iso(now)
    with db.transaction() as conn:
        conn.execute(
            "UPDATE feeds SET last_attempt = ?, last_error = ?, "
            "consecutive_failures = consecutive_failures + 1, "
            "failing_since = CASE failing_since WHEN '' THEN ? ELSE failing_since END, "
            "disabled = CASE ? WHEN 1 THEN ? ELSE disabled END WHERE name = ?",
            (stamp, error, stamp, int(disable), error, name),
        )


def prune_feeds(db: Database, names: Iterable[str]) -> None:
    """Forget the state of feeds no longer configured (their stories stay)."""
    keep = list(names)
    marks = ", ".join("?" * len(keep)) or "''"
    with db.transaction() as conn:
        conn.execute(f"DELETE FROM feeds WHERE name NOT IN ({marks})", keep)


def feed_health(db: Database) -> list[FeedState]:
    """Every known feed's state, by name."""
    rows = db.conn.execute("SELECT * FROM feeds ORDER BY name").fetchall()
    return [FeedState(**{k: row[k] for k in row.keys()}) for row in rows]  # noqa: SIM118


def failing_feeds(db: Database, threshold: int) -> list[FailingSource]:
    """Feeds failed `threshold` times in a row, or disabled: what the footer names."""
    rows = db.conn.execute(
        "SELECT name, url, last_error, consecutive_failures FROM feeds "
        "WHERE consecutive_failures >= ? OR disabled != '' ORDER BY name",
        (threshold,),
    ).fetchall()
    return [FailingSource(r["name"], r["url"], r["last_error"], r[3]) for r in rows]
