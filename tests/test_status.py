"""`digest status`: what an operator reads to learn whether this morning's email went out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from click.testing import CliRunner

from digest.cli import main
from digest.commands.status import status_report
from digest.config import Settings
from digest.schedule.runner import LEASE
from digest.store import Database, iso
from digest.store.db import acquire_lease
from digest.store.deliveries import mark_failed, mark_sent, plan_deliveries

ConfigFactory = Callable[..., Settings]
NEW_YORK = ZoneInfo("America/New_York")
NOW = dt.datetime(2026, 3, 9, 11, 0, tzinfo=NEW_YORK)  # Monday, after the 07:00 edition
PEOPLE = ["ann@example.com", "bo@example.com", "cy@example.com", "di@example.com"]


def delivered_edition(db: Database, edition_id: str, built: dt.datetime) -> None:
    db.conn.execute(
        "INSERT INTO editions(id, date, built, subject, html, text, json, status)"
        " VALUES (?, ?, ?, '🟠 Trade talks resume in London', '', '', '{}', 'sending')",
        (edition_id, edition_id[:10], iso(built)),
    )
    plan_deliveries(db, edition_id, [(p, f"<{p}>") for p in PEOPLE], built)
    mark_sent(db, edition_id, PEOPLE[0], built)
    mark_sent(db, edition_id, PEOPLE[1], built)
    mark_failed(db, edition_id, PEOPLE[2], built, "550 no such user")


def test_status_shows_the_next_run_in_the_newsletter_zone_and_the_last_editions_counts(
    db: Database,
) -> None:
    settings = Settings.model_validate(
        {"newsletter": {"name": "Forward Digest", "days": "mon-fri"}}
    )
    delivered_edition(db, "2026-03-09", NOW.replace(hour=7))

    report = status_report(settings, db, NOW)

    assert "Forward Digest: status at 2026-03-09 11:00 EDT" in report
    assert "Schedule:   07:00 on mon-fri, America/New_York (misfire grace 4h)" in report
    assert "Next run:   2026-03-10 07:00 EDT (in 20h)" in report
    assert "Scheduler:  not running" in report
    assert (
        "  2026-03-09   sending    sent 2  failed 1  pending 1  🟠 Trade talks resume in London"
        in report.splitlines()
    )
    assert "Last runs:\n  none yet" in report
    assert report.endswith("Failing feeds: none")


def test_status_names_a_running_scheduler_its_runs_and_the_failing_feeds(db: Database) -> None:
    feeds = [
        {"name": "Wire", "url": "https://wire.example.com/rss"},
        {"name": "Old", "url": "https://old.example.com/rss"},
    ]
    settings = Settings.model_validate({"newsletter": {"cron": "0 7,17 * * *"}, "feeds": feeds})
    acquire_lease(db, LEASE, "box:4242", NOW, 90)
    db.conn.execute(
        "INSERT INTO runs(date, slot, started, finished, status, detail)"
        " VALUES ('2026-03-09', 1, ?, ?, 'ok', 'Delivered the edition of 2026-03-09 to 3.')",
        (iso(NOW.replace(hour=7)), iso(NOW.replace(hour=7, minute=1))),
    )
    db.conn.execute(
        "INSERT INTO feeds(name, url, consecutive_failures, failing_since, last_error)"
        " VALUES ('Wire', 'https://wire.example.com/rss', 4, ?, 'HTTP 503 Service Unavailable')",
        (iso(NOW - dt.timedelta(hours=30)),),
    )

    db.conn.execute(
        "INSERT INTO feeds(name, url, disabled) VALUES ('Old', 'https://old.example.com/rss', ?)",
        ("410 Gone: the feed was removed",),
    )

    report = status_report(settings, db, NOW)

    assert "  Old: disabled (https://old.example.com/rss): 410 Gone: the feed was removed" in report
    assert "Schedule:   cron '0 7,17 * * *', America/New_York" in report
    assert "Next run:   2026-03-09 17:00 EDT (in 6h)" in report
    assert "Scheduler:  running as box:4242 (lease renewed until 2026-03-09 11:01 EDT)" in report
    assert (
        "  2026-03-09  ok       2026-03-09 07:00 EDT  Delivered the edition of 2026-03-09 to 3."
        in report
    )
    assert (
        "  Wire: 4 failure(s) in a row for 30h (https://wire.example.com/rss):"
        " HTTP 503 Service Unavailable" in report
    )


def test_status_says_when_the_scheduler_is_gone(db: Database) -> None:
    acquire_lease(db, LEASE, "box:4242", NOW - dt.timedelta(hours=2), 90)

    report = status_report(Settings.model_validate({}), db, NOW)

    assert (
        "Scheduler:  not running (last seen as box:4242, lease ended 2026-03-09 09:01 EDT)"
        in report
    )


def test_digest_status_prints_the_next_run_and_the_last_editions_counts(
    make_config: ConfigFactory,
    tmp_path: Path,
) -> None:
    settings = make_config(newsletter={"send_at": "07:00", "timezone": "Asia/Tokyo"})
    with Database(settings.resolve(settings.store.path)) as db:
        delivered_edition(db, "2026-03-09", NOW.replace(hour=7))

    result = CliRunner().invoke(
        main, ["--config", str(tmp_path / "digest.toml"), "status"], env={"DIGEST_NOW": iso(NOW)}
    )

    assert result.exit_code == 0, result.output
    assert "Next run:   2026-03-10 07:00 JST (in 7h)" in result.output
    assert "sent 2  failed 1  pending 1" in result.output


def test_a_feed_no_longer_configured_is_not_reported_failing(db: Database) -> None:
    db.conn.execute(
        "INSERT INTO feeds(name, url, consecutive_failures, last_error)"
        " VALUES ('Gone', 'https://gone.example.com/rss', 9, 'HTTP 500')"
    )
    report = status_report(Settings.model_validate({}), db, NOW)
    assert report.endswith("Failing feeds: none")
