"""`digest send` killed with SIGKILL partway, then run again: one copy per recipient."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from digest.store import Database
from digest.store.deliveries import delivery_counts
from tests.conftest import ConfigFactory
from tests.smtpserver import Recorder, SmtpServer, store_test_edition

READERS = [f"reader{i:03d}@example.com" for i in range(200)]


def digest_send(config: Path, now: dt.datetime) -> subprocess.Popen[str]:
    env = {**os.environ, "DIGEST_NOW": now.isoformat()}
    return subprocess.Popen(
        [sys.executable, "-m", "digest.cli", "--config", str(config), "send"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("moment", ["awaiting the server's answer", "anywhere"])
def test_a_killed_send_resumes_without_duplicates(
    make_config: ConfigFactory, tmp_path: Path, now: dt.datetime, moment: str
) -> None:
    running: list[subprocess.Popen[str]] = []
    recorder = Recorder()
    if moment == "awaiting the server's answer":
        # The 50th message is complete at the server; the sender dies before hearing "250".
        def kill_at_50(count: int) -> None:
            if count == 50:
                os.kill(running[0].pid, signal.SIGKILL)

        recorder.on_message = kill_at_50
    server = SmtpServer(recorder)
    smtp = {"host": "127.0.0.1", "port": server.port, "security": "none", "retry_delay": 0.01}
    settings = make_config(delivery={"transport": "smtp", "recipients": READERS, "smtp": smtp})
    with Database(settings.resolve(settings.store.path)) as db:
        store_test_edition(db, now)

    running.append(digest_send(tmp_path / "digest.toml", now))
    if moment == "anywhere":
        threading.Thread(target=kill_after, args=(recorder, running[0], 50)).start()
    running[0].communicate(timeout=60)
    assert running[0].returncode == -signal.SIGKILL
    assert 50 <= len(recorder.received) < 200

    again = digest_send(tmp_path / "digest.toml", now)
    out, err = again.communicate(timeout=60)
    server.stop()

    assert again.returncode == 0, err
    assert out.startswith("Resumed: Delivered edition 2025-06-10 to ")
    assert recorder.copies() == dict.fromkeys(READERS, 1)
    with Database(settings.resolve(settings.store.path)) as db:
        assert delivery_counts(db, "2025-06-10")["sent"] == 200


def kill_after(recorder: Recorder, process: subprocess.Popen[str], count: int) -> None:
    while len(recorder.received) < count and process.poll() is None:
        time.sleep(0.001)
    process.kill()
