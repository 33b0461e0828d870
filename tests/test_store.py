"""The SQLite store: created and migrated on first use, leases, editions."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from digest.errors import StoreError
from digest.models import Edition, RenderedEdition
from digest.store import Database
from digest.store.db import MIGRATIONS, acquire_lease, release_lease
from digest.store.editions import (
    editions_for_date,
    get_edition,
    previous_edition_time,
    save_edition,
    set_status,
)


def test_the_schema_is_created_on_first_use_and_reopening_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "digest.db"
    with Database(path) as db:
        version = db.conn.execute("PRAGMA user_version").fetchone()[0]
        db.conn.execute(
            "INSERT INTO leases(name, owner, expires) VALUES ('x', 'me', '2030-01-01T00:00:00')"
        )
    assert version == len(MIGRATIONS)
    with Database(path) as db:
        assert db.conn.execute("SELECT owner FROM leases").fetchone()[0] == "me"


def test_a_store_from_a_newer_digest_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "digest.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    conn.close()
    with pytest.raises(StoreError, match="newer digest"):
        Database(path)


def test_a_lease_is_held_by_one_owner_until_it_expires(db: Database, now: dt.datetime) -> None:
    assert acquire_lease(db, "send", "a", now, 60)
    assert not acquire_lease(db, "send", "b", now + dt.timedelta(seconds=30), 60)
    assert acquire_lease(db, "send", "a", now + dt.timedelta(seconds=30), 60)
    assert acquire_lease(db, "send", "b", now + dt.timedelta(seconds=200), 60)
    release_lease(db, "send", "b")
    assert acquire_lease(db, "send", "c", now + dt.timedelta(seconds=201), 60)


def test_editions_round_trip_and_mark_the_news_window(db: Database, now: dt.datetime) -> None:
    edition = Edition(id="2025-06-10", date=dt.date(2025, 6, 10), built=now, segments=())
    rendered = RenderedEdition(subject="S", preheader="P", html="<p>h</p>", text="t")
    save_edition(db, edition, rendered, "{}")
    set_status(db, edition.id, "delivered")

    stored = get_edition(db, "2025-06-10")
    assert stored is not None and stored.status == "delivered" and stored.html == "<p>h</p>"
    assert [e.id for e in editions_for_date(db, dt.date(2025, 6, 10))] == ["2025-06-10"]
    assert previous_edition_time(db, now + dt.timedelta(hours=1)) == now
    assert previous_edition_time(db, now - dt.timedelta(hours=1)) is None
