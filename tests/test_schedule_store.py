"""The scheduler's firings against a real store: late starts, a second scheduler, a crashing job.

The job is injected (it stands in for `digest.pipeline.run` and marks the date's edition
delivered in the store); the clock is injected too.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from digest.config import Settings
from digest.schedule.runner import LEASE_SECONDS, Runner, tick
from digest.store import Database, iso
from digest.store.db import acquire_lease

ConfigFactory = Callable[..., Settings]
NEW_YORK = ZoneInfo("America/New_York")


@dataclass(frozen=True)
class Report:
    delivered: bool
    text: str

    def summary(self) -> str:
        return self.text


@dataclass
class DeliveringJob:
    """Delivers an edition of the date by recording it in the store, as the pipeline would."""

    fail_with: str = ""
    calls: list[tuple[dt.date | None, bool]] = field(default_factory=list)

    def __call__(
        self,
        settings: Settings,
        now: dt.datetime,
        *,
        date: dt.date | None = None,
        force: bool = False,
    ) -> Report:
        assert date is not None
        self.calls.append((date, force))
        if self.fail_with:
            raise RuntimeError(self.fail_with)
        with Database(settings.resolve(settings.store.path)) as db, db.transaction() as conn:
            count = conn.execute(
                "SELECT COUNT(*) FROM editions WHERE date = ?", (date.isoformat(),)
            ).fetchone()[0]
            conn.execute(
                "INSERT INTO editions(id, date, built, subject, html, text, json, status)"
                " VALUES (?, ?, ?, 'Trade talks', '', '', '{}', 'delivered')",
                (date.isoformat() + (f".{count + 1}" if count else ""), date.isoformat(), iso(now)),
            )
        return Report(True, f"Delivered the edition of {date}.")


@pytest.fixture
def settings(make_config: ConfigFactory) -> Settings:
    return make_config(
        newsletter={"send_at": "07:00", "timezone": "America/New_York", "misfire_grace_hours": 4}
    )


@pytest.fixture
def store(settings: Settings) -> Iterator[Database]:
    with Database(settings.resolve(settings.store.path)) as db:
        yield db


def at(hour: int, minute: int = 0, day: int = 9) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=NEW_YORK)


def runs(db: Database) -> list[tuple[str, int, str, str]]:
    rows = db.conn.execute("SELECT date, slot, status, detail FROM runs ORDER BY id").fetchall()
    return [(row[0], row[1], row[2], row[3]) for row in rows]


def fire(
    settings: Settings,
    db: Database,
    job: DeliveringJob,
    now: dt.datetime,
    *,
    owner: str = "a",
    retry: bool = False,
) -> str:
    return tick(settings, db, owner=owner, job=job, clock=lambda: now, retry=retry).action


def test_started_three_hours_late_within_the_grace_it_runs_once(
    settings: Settings, store: Database
) -> None:
    job = DeliveringJob()

    assert fire(settings, store, job, at(10, 0), retry=True) == "run"
    assert fire(settings, store, job, at(10, 0, day=9), retry=True) == "wait"
    assert fire(settings, store, job, at(10, 30)) == "wait"

    assert job.calls == [(dt.date(2026, 3, 9), False)]
    assert runs(store) == [("2026-03-09", 1, "ok", "Delivered the edition of 2026-03-09.")]


def test_started_five_hours_late_it_skips_says_so_and_records_it_once(
    settings: Settings, store: Database, caplog: pytest.LogCaptureFixture
) -> None:
    job = DeliveringJob()
    skipped = "skipping the edition of 2026-03-09: 5h late, past the 4h grace"

    with caplog.at_level(logging.INFO, logger="digest"):
        assert fire(settings, store, job, at(12, 0), retry=True) == "skip"
        assert fire(settings, store, job, at(12, 30), retry=True) == "wait"

    assert job.calls == []
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING] == [skipped]
    assert runs(store) == [("2026-03-09", 1, "skipped", skipped)]


def test_a_second_scheduler_on_the_same_store_does_not_run_the_job(
    settings: Settings, store: Database, tmp_path: Path
) -> None:
    job = DeliveringJob()
    first = Runner(settings, job, "first", clock=lambda: at(6, 59) + dt.timedelta(seconds=30))
    first.watch()  # holds the store's lease from now on

    with Database(tmp_path / "digest.db") as other:
        assert fire(settings, other, job, at(7, 0), owner="second", retry=True) == "wait"
    assert job.calls == []

    assert fire(settings, store, job, at(7, 0), owner="first") == "run"
    assert job.calls == [(dt.date(2026, 3, 9), False)]


def test_a_dead_schedulers_lease_expires_and_the_standby_takes_over(
    settings: Settings, store: Database
) -> None:
    job = DeliveringJob()
    last_seen = at(6, 59) + dt.timedelta(seconds=30)
    Runner(settings, job, "dead", clock=lambda: last_seen).watch()  # then it dies
    expired = last_seen + dt.timedelta(seconds=LEASE_SECONDS + 1)

    standby = Runner(settings, job, "standby", clock=lambda: at(7, 0))
    standby.watch()
    assert job.calls == []
    standby.clock = lambda: expired
    standby.watch()

    assert job.calls == [(dt.date(2026, 3, 9), False)]


def test_a_crashing_job_is_recorded_alerted_once_and_run_again_at_the_next_start(
    make_config: ConfigFactory,
    tmp_path: Path,
) -> None:
    settings = make_config(newsletter={"send_at": "07:00", "alerts_to": ["ops@example.com"]})
    job = DeliveringJob(fail_with="the SMTP relay refused the login")
    with Database(tmp_path / "digest.db") as db:
        assert fire(settings, db, job, at(7, 0)) == "run"  # raises nothing
        assert fire(settings, db, job, at(7, 30)) == "wait"  # no retry storm
        assert fire(settings, db, job, at(8, 0), retry=True) == "run"  # a restart retries
        job.fail_with = ""
        assert fire(settings, db, job, at(8, 5), retry=True) == "run"
        assert [r[2] for r in runs(db)] == ["failed", "failed", "ok"]
        assert runs(db)[0][3] == "RuntimeError: the SMTP relay refused the login"

    (alert,) = (tmp_path / "outbox" / "alerts").glob("*.eml")
    message = message_from_bytes(alert.read_bytes())
    assert message["To"] == "ops@example.com"
    assert message["Subject"] == "[The Digest] the run of the edition of 2026-03-09 failed"
    assert "RuntimeError: the SMTP relay refused the login" in message.get_payload()


def test_a_run_interrupted_by_a_dead_scheduler_is_closed_and_resumed_at_the_next_start(
    settings: Settings, store: Database
) -> None:
    store.conn.execute(
        "INSERT INTO runs(date, slot, started, status) VALUES ('2026-03-09', 1, ?, 'running')",
        (iso(at(7, 0)),),
    )
    job = DeliveringJob()

    assert fire(settings, store, job, at(7, 10), retry=True) == "run"

    assert [r[2:] for r in runs(store)] == [
        ("interrupted", "interrupted: the scheduler stopped during the run"),
        ("ok", "Delivered the edition of 2026-03-09."),
    ]


def dead_owner() -> str:
    """The lease owner a SIGKILLed scheduler of this machine leaves behind."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    child.send_signal(signal.SIGKILL)
    child.wait()
    return f"{socket.gethostname()}:{child.pid}:dead"


def test_a_killed_schedulers_lease_and_run_are_taken_over_at_once_at_every_firing(
    settings: Settings, store: Database
) -> None:
    """Killed mid-send: its lease is not waited out, and its delivery resumes at a later
    firing (not only at a start-up), by whichever scheduler takes the lease."""
    store.conn.execute(
        "INSERT INTO runs(date, slot, started, status) VALUES ('2026-03-09', 1, ?, 'running')",
        (iso(at(7, 0)),),
    )
    store.conn.execute(
        "INSERT INTO editions(id, date, built, subject, html, text, json, status)"
        " VALUES ('2026-03-09', '2026-03-09', ?, 'S', '', '', '{}', 'sending')",
        (iso(at(7, 0)),),
    )
    assert acquire_lease(store, "schedule", dead_owner(), at(7, 1), LEASE_SECONDS)
    job = DeliveringJob()

    assert fire(settings, store, job, at(7, 2), owner="standby") == "run"  # not a start-up

    assert job.calls == [(dt.date(2026, 3, 9), False)]
    assert [r[2] for r in runs(store)] == ["interrupted", "ok"]


def test_a_live_schedulers_lease_is_still_respected(settings: Settings, store: Database) -> None:
    alive = f"{socket.gethostname()}:{os.getpid()}:alive"
    assert acquire_lease(store, "schedule", alive, at(7, 1), LEASE_SECONDS)

    assert fire(settings, store, DeliveringJob(), at(7, 1), owner="standby") == "wait"
