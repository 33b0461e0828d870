"""Operator alerts: a run that failed or a feed failing for a day, mailed once each."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from digest.config import Settings
from digest.delivery.alerts import alert_failing_feeds, alert_run_failed
from digest.store import Database, iso
from tests.smtpserver import Recorder, SmtpServer, free_port

ConfigFactory = Callable[..., Settings]
NOW = dt.datetime(2026, 3, 9, 16, 0, tzinfo=dt.UTC)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer(Recorder())
    yield server
    server.stop()


def failing_feed(db: Database, name: str, hours: float, error: str = "HTTP 404 Not Found") -> None:
    db.conn.execute(
        "INSERT INTO feeds(name, url, consecutive_failures, failing_since, last_error)"
        " VALUES (?, ?, 6, ?, ?)"
        " ON CONFLICT(name) DO UPDATE SET failing_since = excluded.failing_since",
        (
            name,
            f"https://{name.lower()}.example.com/rss",
            iso(NOW - dt.timedelta(hours=hours)),
            error,
        ),
    )


def test_a_feed_failing_for_a_day_is_mailed_to_the_operator_once_over_smtp(
    make_config: ConfigFactory,
    smtp: SmtpServer,
) -> None:
    settings = make_config(
        newsletter={"name": "Forward Digest", "alerts_to": ["ops@example.com"]},
        delivery={
            "transport": "smtp",
            "smtp": {"host": "127.0.0.1", "port": smtp.port, "security": "none"},
        },
    )
    with Database(settings.resolve(settings.store.path)) as db:
        failing_feed(db, "Wire", hours=25)
        failing_feed(db, "Blog", hours=3)

        assert alert_failing_feeds(settings, db, NOW) == 1
        assert alert_failing_feeds(settings, db, NOW + dt.timedelta(hours=1)) == 0

        failing_feed(db, "Wire", hours=24.5)  # it recovered, then failed again: a new failure
        assert alert_failing_feeds(settings, db, NOW) == 1

    received = smtp.handler.received
    assert [r.recipients for r in received] == [["ops@example.com"], ["ops@example.com"]]
    first = received[0].message
    assert first["From"] == "Forward Digest alerts <digest@example.com>"
    assert first["Subject"] == "[Forward Digest] the feed Wire has been failing for 25h"
    assert first["Auto-Submitted"] == "auto-generated"
    body = first.get_content()
    assert "The feed Wire (https://wire.example.com/rss) has failed 6 fetch(es) in a row" in body
    assert "since 2026-03-08 11:00 EDT" in body
    assert "Last error: HTTP 404 Not Found" in body


def test_without_alerts_to_nothing_is_sent(make_config: ConfigFactory, tmp_path: Path) -> None:
    settings = make_config()
    with Database(settings.resolve(settings.store.path)) as db:
        failing_feed(db, "Wire", hours=48)
        assert alert_failing_feeds(settings, db, NOW) == 0
        assert not alert_run_failed(settings, db, NOW, dt.date(2026, 3, 9), 1, "boom")
    assert not (tmp_path / "outbox").exists()


def test_an_alert_that_cannot_be_sent_is_logged_and_tried_again_later(
    make_config: ConfigFactory, smtp: SmtpServer, caplog: pytest.LogCaptureFixture
) -> None:
    def relay_on(port: int) -> Settings:
        return make_config(
            newsletter={"alerts_to": ["ops@example.com"]},
            delivery={
                "transport": "smtp",
                "smtp": {"host": "127.0.0.1", "port": port, "security": "none", "retries": 0},
            },
        )

    day, error = dt.date(2026, 3, 9), "RuntimeError: boom"
    settings = relay_on(smtp.port)
    with Database(settings.resolve(settings.store.path)) as db:
        with caplog.at_level(logging.WARNING, logger="digest"):
            assert not alert_run_failed(relay_on(free_port()), db, NOW, day, 1, error)
        assert (
            "could not send the alert '[The Digest] the run of the edition of 2026-03-09 failed'"
            in caplog.text
        )

        assert alert_run_failed(relay_on(smtp.port), db, NOW, day, 1, error)
        assert not alert_run_failed(settings, db, NOW, day, 1, error)
    assert len(smtp.handler.received) == 1
