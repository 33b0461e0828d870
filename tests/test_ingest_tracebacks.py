"""Inputs and conditions that printed tracebacks now give one clear line, and lose nothing else:
a JSON Feed date with no UTC form, JSON nested 200k deep, a full disk, and many processes
opening a brand-new store at once."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import tomli_w

from digest.store import Database
from digest.store.stories import stories_published_between
from tests.clirun import run_cli
from tests.feedgen import rss_feed


def configure(tmp_path: Path, files: dict[str, str]) -> Path:
    feeds = []
    for name, text in files.items():
        (tmp_path / name).write_text(text)
        feeds.append({"name": name, "url": str(tmp_path / name), "first_contact_days": "all"})
    config = tmp_path / "digest.toml"
    config.write_text(tomli_w.dumps({"store": {"path": str(tmp_path / "d.db")}, "feeds": feeds}))
    return config


def json_feed(items: list[dict[str, str]]) -> str:
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": items})


def stored_titles(tmp_path: Path) -> list[str]:
    with Database(tmp_path / "d.db") as db:
        return sorted(s.title for s in stories_published_between(db, None, None))


def test_a_json_feed_date_with_no_utc_form_leaves_the_item_undated(tmp_path: Path) -> None:
    items = [
        {
            "id": "1",
            "title": "Year one",
            "content_text": "x",
            "date_published": "0001-01-01T00:00+05:00",
        },
        {
            "id": "2",
            "title": "Today",
            "content_text": "y",
            "date_published": "2025-06-10T08:00:00Z",
        },
    ]
    config = configure(tmp_path, {"feed.json": json_feed(items)})

    run = run_cli(config, "ingest")

    assert (run.code, "Traceback" in run.output) == (0, False), run.output
    assert "Ingested 1 feeds: 2 new stories" in run.stdout
    assert stored_titles(tmp_path) == ["Today", "Year one"]


def test_json_nested_200k_deep_is_one_line_naming_the_feed(tmp_path: Path) -> None:
    deep = (
        '{"version": "https://jsonfeed.org/version/1", "items": '
        + "[" * 200_000
        + "]" * 200_000
        + "}"
    )
    config = configure(tmp_path, {"deep.json": deep, "ok.xml": rss_feed("Ok", [])})

    run = run_cli(config, "ingest")

    assert run.code == 0 and "Traceback" not in run.output, run.output
    assert f"{(tmp_path / 'deep.json').as_uri()}: is JSON nested too deeply to read" in run.stderr
    assert "1 failed (deep.json)" in run.stderr


# Loaded by the command's Python at start-up: every SQLite connection it opens may hold at
# most DIGEST_TEST_MAX_PAGES pages, as a full disk would allow.
FULL_DISK = """
import os, sqlite3
_connect = sqlite3.connect
def connect(*args, **kwargs):
    conn = _connect(*args, **kwargs)
    conn.execute("PRAGMA max_page_count = " + os.environ["DIGEST_TEST_MAX_PAGES"])
    return conn
sqlite3.connect = connect
"""


def test_a_full_disk_during_ingest_is_one_clear_line(tmp_path: Path) -> None:
    config = configure(tmp_path, {"small.xml": rss_feed("Small", [])})
    assert run_cli(config, "ingest").code == 0
    with Database(tmp_path / "d.db") as db:
        pages = db.conn.execute("PRAGMA page_count").fetchone()[0]
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(textwrap.dedent(FULL_DISK))
    big = [(f"Story {n} " + "long " * 2000, f"https://e.example/{n}", _now()) for n in range(50)]
    configure(tmp_path, {"small.xml": rss_feed("Small", []), "big.xml": rss_feed("Big", big)})

    run = run_cli(config, "ingest", PYTHONPATH=str(site), DIGEST_TEST_MAX_PAGES=str(pages + 4))

    assert run.code == 1
    assert run.stderr.strip().splitlines() == [
        f"Error: the store {tmp_path / 'd.db'} could not be written (database or disk is full)"
    ]


def test_forty_processes_opening_a_new_store_at_once_all_succeed(tmp_path: Path) -> None:
    store = tmp_path / "new" / "d.db"
    start = time.time() + 3  # all wait for the same moment, then open the store together
    opener = (
        "import sys, time; from digest.store import Database;"
        f"time.sleep(max(0, {start} - time.time())); Database(sys.argv[1]).close()"
    )
    processes = [
        subprocess.Popen([sys.executable, "-c", opener, str(store)], stderr=subprocess.PIPE)
        for _ in range(40)
    ]
    errors = [p.communicate(timeout=120)[1].decode() for p in processes]

    assert [p.returncode for p in processes] == [0] * 40, next(e for e in errors if e)
    with Database(store) as db:
        assert db.conn.execute("SELECT count(*) FROM stories").fetchone()[0] == 0


def _now() -> dt.datetime:
    return dt.datetime(2025, 6, 10, 10, 0, tzinfo=dt.UTC)
