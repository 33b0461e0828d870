"""Recipient states in the store: every change kept with time and cause; signed link tokens."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from digest.delivery.links import CONFIRM, UNSUBSCRIBE, LinkSigner
from digest.models import Recipient
from digest.store import Database
from digest.store.db import MIGRATIONS
from digest.store.recipient_states import (
    by_token,
    history,
    move,
    request_subscription,
    status_counts,
    token_was_used,
)
from digest.store.recipients import add_recipient, unsubscribe

HOUR = dt.timedelta(hours=1)


def test_a_readers_whole_history_is_kept_and_nothing_is_deleted(
    db: Database, now: dt.datetime
) -> None:
    add_recipient(db, Recipient("ann@example.com", "Ann"), now)
    first_token = by_token_of(db, "ann@example.com")
    unsubscribe(db, "ann@example.com", now + HOUR, "one-click")
    asked = request_subscription(db, "ann@example.com", "", now + 2 * HOUR, "subscribe form")
    assert asked is not None and asked.status == "unconfirmed"
    move(db, "ann@example.com", "active", "confirmed", now + 3 * HOUR)
    move(db, "ann@example.com", "bounced", "550 5.1.1", now + 4 * HOUR)

    assert [(c.status, c.cause, c.at - now) for c in history(db, "ann@example.com")] == [
        ("active", "digest recipients add", 0 * HOUR),
        ("unsubscribed", "one-click", HOUR),
        ("unconfirmed", "subscribe form", 2 * HOUR),
        ("active", "confirmed", 3 * HOUR),
        ("bounced", "550 5.1.1", 4 * HOUR),
    ]
    assert token_was_used(db, first_token) and by_token(db, first_token) is None
    assert status_counts(db) == {"active": 0, "unconfirmed": 0, "unsubscribed": 0, "bounced": 1}


def test_a_second_request_within_the_hour_sends_no_second_confirmation(
    db: Database, now: dt.datetime
) -> None:
    first = request_subscription(db, "bo@example.com", "Bo", now, "form")
    again = request_subscription(db, "bo@example.com", "Bo", now + HOUR / 2, "form")
    later = request_subscription(db, "bo@example.com", "Bo", now + 2 * HOUR, "form")

    assert first is not None and again is None and later is not None
    assert later.token == first.token  # the first link still works
    assert [c.status for c in history(db, "bo@example.com")] == ["unconfirmed"]


def test_an_older_store_gets_its_recipients_history_started(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for script in MIGRATIONS[:5]:
        conn.executescript(script)
    conn.execute("PRAGMA user_version = 5")
    conn.execute(
        "INSERT INTO recipients(email, status, token, added)"
        " VALUES ('old@example.com', 'unsubscribed', 'tok', '2025-01-02T03:04:05+00:00')"
    )
    conn.commit()
    conn.close()

    with Database(path) as db:
        [change] = history(db, "old@example.com")

    assert change.status == "unsubscribed" and change.cause == "state before history was kept"
    assert change.at == dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


def test_link_tokens_are_signed_per_kind_and_secret() -> None:
    signer = LinkSigner("secret-one")
    link = signer.sign(UNSUBSCRIBE, "abc")

    assert signer.verify(UNSUBSCRIBE, link) == "abc"
    assert signer.verify(CONFIRM, link) is None
    assert LinkSigner("secret-two").verify(UNSUBSCRIBE, link) is None
    assert signer.verify(UNSUBSCRIBE, link.replace(".abc.", ".abd.")) is None


def test_the_secret_comes_from_the_environment_else_from_the_store(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = LinkSigner.for_store(db).sign(UNSUBSCRIBE, "abc")
    assert LinkSigner.for_store(db).verify(UNSUBSCRIBE, kept) == "abc"  # the same next time

    monkeypatch.setenv("DIGEST_WEB_SECRET", "from-the-environment")

    assert LinkSigner.for_store(db).verify(UNSUBSCRIBE, kept) is None
    assert LinkSigner.for_store(db).sign(UNSUBSCRIBE, "abc") == LinkSigner(
        "from-the-environment"
    ).sign(UNSUBSCRIBE, "abc")


def by_token_of(db: Database, email: str) -> str:
    row = db.conn.execute("SELECT token FROM recipients WHERE email = ?", (email,)).fetchone()
    return str(row[0])
