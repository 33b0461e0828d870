"""What `digest ingest` prints: one summary line under cron, a bar naming slow feeds in a
terminal, and a failure line that names a few feeds and counts the rest (all with -v)."""

from __future__ import annotations

import datetime as dt
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import tomli_w

from tests import httpserver
from tests.clirun import run_cli
from tests.feedgen import simple_feed
from tests.httpserver import HttpServer, Reply

http_server = httpserver.http_server
NOW = dt.datetime(2025, 6, 10, 11, 0, tzinfo=dt.UTC)


def configure(tmp_path: Path, feeds: list[dict[str, str]]) -> Path:
    config = tmp_path / "digest.toml"
    config.write_text(tomli_w.dumps({"store": {"path": str(tmp_path / "d.db")}, "feeds": feeds}))
    return config


def files(tmp_path: Path, good: int, bad: int) -> list[dict[str, str]]:
    feeds = []
    for n in range(good):
        (tmp_path / f"good{n}.xml").write_bytes(simple_feed(f"good{n}", NOW))
        feeds.append({"name": f"Good {n}", "url": str(tmp_path / f"good{n}.xml")})
    for n in range(bad):
        feeds.append({"name": f"Missing {n}", "url": str(tmp_path / f"missing{n}.xml")})
    return feeds


def test_under_cron_the_summary_line_is_printed_and_q_silences_it_when_all_went_well(
    tmp_path: Path,
) -> None:
    config = configure(tmp_path, files(tmp_path, good=2, bad=0))

    run = run_cli(config, "ingest")

    assert (run.code, run.stdout) == (0, "Ingested 2 feeds: 4 new stories, 0 unchanged.\n")
    assert run_cli(config, "-q", "ingest").output == ""


def test_many_failures_name_a_few_and_count_the_rest(tmp_path: Path) -> None:
    config = configure(tmp_path, files(tmp_path, good=1, bad=8))

    run = run_cli(config, "ingest")

    assert run.code == 0
    summary = run.stderr.splitlines()[-1]
    assert summary == (
        "Ingested 9 feeds: 2 new stories, 0 unchanged, 8 failed (Missing 0, Missing 1, "
        "Missing 2, Missing 3, Missing 4 and 3 more; -v names them all)."
    )
    assert f"Missing 7 failed: {tmp_path / 'missing7.xml'}: cannot read" in run.stderr
    verbose = run_cli(config, "-v", "ingest").stderr.splitlines()[-1]
    assert verbose.endswith(
        "8 failed (Missing 0, Missing 1, Missing 2, Missing 3, Missing 4, "
        "Missing 5, Missing 6, Missing 7)."
    )
    quiet = run_cli(config, "-q", "ingest")
    assert (quiet.stdout, quiet.stderr.splitlines()) == ("", [summary.replace(" 2 new", " 0 new")])


def test_in_a_terminal_the_bar_names_the_feed_it_is_waiting_on(
    tmp_path: Path, http_server: HttpServer
) -> None:
    fast = [
        {
            "name": f"Fast {n}",
            "url": http_server.route(f"/{n}.xml", Reply(body=simple_feed(str(n), NOW))),
        }
        for n in range(3)
    ]
    slow = http_server.route("/slow.xml", Reply(body=simple_feed("slow", NOW), delay=6))
    config = configure(tmp_path, [*fast, {"name": "Sluggish Wire", "url": slow}])

    screen = run_in_terminal(config, "ingest")

    assert "waiting on Sluggish Wire (" in screen
    assert "Ingested 4 feeds: 8 new stories, 0 unchanged." in screen


def run_in_terminal(config: Path, *args: str) -> str:
    """Run the command on a pseudo-terminal (stdout and stderr) and return all it wrote."""
    leader, follower = pty.openpty()
    env = {**os.environ, "DIGEST_NOW": NOW.isoformat(), "COLUMNS": "160", "TERM": "xterm"}
    command = [sys.executable, "-m", "digest.cli", "--config", str(config), *args]
    process = subprocess.Popen(command, stdout=follower, stderr=follower, env=env)
    os.close(follower)
    chunks, deadline = [], time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                data = os.read(leader, 65536)
            except OSError:  # the other side closed: the command is done
                break
            if not data:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    process.wait(timeout=10)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")
