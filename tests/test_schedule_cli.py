"""`digest schedule` for real: a subprocess delivers today's edition once, across a restart."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import tomli_w

from digest.store import Database

ZONE = ZoneInfo("America/New_York")
pytestmark = pytest.mark.slow


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def messages(outbox: Path) -> list[Path]:
    return [p for p in outbox.rglob("*.eml") if "alerts" not in p.parts]


def start(config: Path, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "digest.cli", "--config", str(config), "-v", "schedule"]
    return subprocess.Popen(command, stderr=log.open("ab"), stdout=subprocess.DEVNULL)


def stop(process: subprocess.Popen[bytes], signals: int = 1) -> int:
    for n in range(signals):
        time.sleep(0.3 * n)  # the second while the first one's shutdown is under way
        process.send_signal(signal.SIGTERM)
    return process.wait(timeout=60)


def test_schedule_delivers_todays_edition_once_across_a_restart(
    tmp_path: Path, seeds_dir: Path
) -> None:
    now = dt.datetime.now(ZONE)
    send_at = now + dt.timedelta(seconds=6)
    if send_at.date() != now.date():
        pytest.skip("too close to midnight in New York for a same-day send time")
    config = tmp_path / "digest.toml"
    config.write_text(
        tomli_w.dumps(
            {
                "newsletter": {"timezone": "America/New_York", "send_at": f"{send_at:%H:%M:%S}"},
                "store": {"path": "digest.db"},
                "delivery": {"outbox": "outbox", "recipients": ["a@example.com", "b@example.com"]},
                "feeds": [{"name": "Seeds", "url": str(seeds_dir)}],
            }
        ),
        encoding="utf-8",
    )
    log, outbox = tmp_path / "schedule.log", tmp_path / "outbox"

    first = start(config, log)
    try:
        wait_for(lambda: len(messages(outbox)) == 2, "the edition in the outbox")
        wait_for(lambda: "Running the edition" in log.read_text(), "the run's log line")
        wait_for(lambda: runs(tmp_path) == ["ok"], "the run recorded as ok")
    finally:
        assert stop(first) == 0, log.read_text()

    # Its own log: a phrase the first scheduler wrote must not stand for the second's.
    log = tmp_path / "second.log"
    second = start(config, log)
    try:
        wait_for(lambda: "at start-up: the edition of" in log.read_text(), "the start-up decision")
    finally:
        assert stop(second, signals=2) == 0, log.read_text()

    assert len(messages(outbox)) == 2
    assert f"at start-up: the edition of {now.date()} is already done" in log.read_text()
    assert "Traceback" not in log.read_text()
    with Database(tmp_path / "digest.db") as db:
        assert db.conn.execute("SELECT COUNT(*) FROM leases").fetchone()[0] == 0
        editions = db.conn.execute("SELECT id, status FROM editions").fetchall()
    assert [tuple(e) for e in editions] == [(now.date().isoformat(), "delivered")]


def runs(root: Path) -> list[str]:
    with Database(root / "digest.db") as db:
        return [r[0] for r in db.conn.execute("SELECT status FROM runs ORDER BY id")]


def test_two_sigterms_during_a_run_stop_the_scheduler_cleanly(tmp_path: Path) -> None:
    from tests.feedgen import simple_feed
    from tests.httpserver import Reply, serve

    with serve() as server:
        now = dt.datetime(2026, 6, 1, 11, 0, 30, tzinfo=dt.UTC)
        url = server.route("/slow.xml", Reply(body=simple_feed("Slow", now), delay=4))
        config = tmp_path / "digest.toml"
        config.write_text(
            tomli_w.dumps(
                {
                    "newsletter": {"timezone": "America/New_York", "send_at": "07:00"},
                    "store": {"path": "digest.db"},
                    "delivery": {"outbox": "outbox"},
                    "feeds": [{"name": "Slow", "url": url}],
                }
            ),
            encoding="utf-8",
        )
        log = tmp_path / "schedule.log"
        command = [sys.executable, "-m", "digest.cli", "--config", str(config), "-v", "schedule"]
        env = {**os.environ, "DIGEST_NOW": now.isoformat()}
        process = subprocess.Popen(command, stderr=log.open("ab"), env=env)
        wait_for(lambda: "Running the edition" in log.read_text(), "the run to start")
        process.send_signal(signal.SIGTERM)
        time.sleep(1)  # the first one's shutdown is under way, the run still going
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=60)

    assert code == 0, log.read_text()
    assert "Traceback" not in log.read_text()
