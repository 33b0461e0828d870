"""Two `digest schedule` on one store: the one sending is killed mid-send, the standby finishes
the delivery within a minute, and no reader gets a second copy."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import tomli_w

from tests.smtpserver import Recorder, SmtpServer

pytestmark = pytest.mark.slow
READERS = [f"reader{i}@example.com" for i in range(8)]
NOW = "2026-06-01T07:00:30-04:00"  # just after send_at: the start-up firing runs the edition


def wait_for(condition: Callable[[], bool], seconds: float) -> float:
    began = time.monotonic()
    while not condition():
        assert time.monotonic() - began < seconds, f"not within {seconds}s"
        time.sleep(0.2)
    return time.monotonic() - began


def scheduler(config: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DIGEST_NOW": NOW}
    command = [sys.executable, "-m", "digest.cli", "--config", str(config), "-v", "schedule"]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log.open("ab"))


def edition_status(store: Path) -> str:
    try:
        with sqlite3.connect(store, timeout=30) as conn:
            row = conn.execute("SELECT status FROM editions").fetchone()
    except sqlite3.OperationalError:
        return ""
    return str(row[0]) if row else ""


def test_a_standby_finishes_a_killed_schedulers_delivery(tmp_path: Path, seeds_dir: Path) -> None:
    recorder = Recorder()
    smtp = SmtpServer(recorder)
    store = tmp_path / "digest.db"
    config = tmp_path / "digest.toml"
    smtp_settings = {"host": "127.0.0.1", "port": smtp.port, "security": "none"}
    config.write_text(
        tomli_w.dumps(
            {
                "newsletter": {"timezone": "America/New_York", "send_at": "07:00"},
                "store": {"path": str(store)},
                "delivery": {"transport": "smtp", "recipients": READERS, "smtp": smtp_settings},
                "feeds": [{"name": "Seeds", "url": str(seeds_dir), "first_contact_days": "all"}],
            }
        ),
        encoding="utf-8",
    )
    first_log, standby_log = tmp_path / "first.log", tmp_path / "standby.log"
    standing_by, running = threading.Event(), []

    def at_message(count: int) -> None:
        if count == 1:  # hold the first message until the standby stands by
            standing_by.wait(60)
        if count == 3:
            os.kill(running[0].pid, signal.SIGKILL)

    recorder.on_message = at_message
    first = scheduler(config, first_log)
    running.append(first)
    wait_for(lambda: "Running the edition" in first_log.read_text(), 60)
    standby = scheduler(config, standby_log)
    wait_for(lambda: "standing by" in standby_log.read_text(), 60)
    standing_by.set()
    logs = lambda: first_log.read_text() + "\n--- standby:\n" + standby_log.read_text()  # noqa: E731
    try:
        try:
            first.wait(timeout=60)
        except subprocess.TimeoutExpired:
            first.kill()
            raise AssertionError(logs()) from None
        assert first.returncode == -signal.SIGKILL
        assert edition_status(store) == "sending"

        took = wait_for(lambda: edition_status(store) == "delivered", 60)
    finally:
        standby.send_signal(signal.SIGTERM)
        standby.wait(timeout=60)
        smtp.stop()

    assert took < 60
    assert "Resuming the delivery of the edition of 2026-06-01" in standby_log.read_text()
    assert recorder.copies() == dict.fromkeys(READERS, 1)
