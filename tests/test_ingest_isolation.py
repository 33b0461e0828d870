"""`digest ingest` as a user runs it: many feeds, good and bad mixed, in the parse pool.

A bad feed among good ones costs only itself, whatever way it is bad: unreadable, a parser
process that dies, or a parse that never ends. The crashing and hanging parsers are a real
source plug-in, installed through an entry point the way a third-party kind would be.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import tomli_w

from tests.distributions import install_distribution
from tests.feedgen import rss_feed

NOW = dt.datetime(2025, 6, 10, 11, 0, tzinfo=dt.UTC)
PLUGIN = """
import os, signal, time
from digest.sources import ParsedFeed

class Crash:
    kind, reads_location = "crash", False
    def sniff(self, location, content):
        return False
    def parse(self, location, content):
        os.kill(os.getpid(), signal.SIGKILL)

class Hang:
    kind, reads_location = "hang", False
    def sniff(self, location, content):
        return False
    def parse(self, location, content):
        time.sleep(600)
        return ParsedFeed(())
"""


def install_plugin(site: Path) -> None:
    (site / "badkinds.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    install_distribution(
        site, "badkinds", "[digest.sources]\ncrash = badkinds:Crash\nhang = badkinds:Hang\n"
    )


def test_one_bad_feed_of_each_kind_costs_only_itself(tmp_path: Path) -> None:
    good = []
    for i in range(12):
        path = tmp_path / f"good{i}.xml"
        item = (f"Story {i} of the day", f"https://example.com/{i}", NOW - dt.timedelta(hours=1))
        path.write_text(rss_feed(f"Feed {i}", [item]))
        good.append({"name": f"Good {i}", "url": str(path), "first_contact_days": "all"})
    (tmp_path / "notes.txt").write_text("just some text, not a feed")
    bad = [
        {"name": "Notes", "url": str(tmp_path / "notes.txt")},
        {"name": "Crasher", "url": str(tmp_path / "good0.xml"), "kind": "crash"},
        {"name": "Hanger", "url": str(tmp_path / "good1.xml"), "kind": "hang"},
    ]
    config = {
        "store": {"path": str(tmp_path / "digest.db")},
        "fetch": {"parse_timeout": 3},
        "feeds": good[:6] + bad + good[6:],
    }
    (tmp_path / "digest.toml").write_text(tomli_w.dumps(config))
    site = tmp_path / "site-packages"
    site.mkdir()
    install_plugin(site)
    env = {**os.environ, "PYTHONPATH": str(site), "DIGEST_NOW": "2025-06-10T11:00:00Z"}

    run = subprocess.run(
        [sys.executable, "-m", "digest.cli", "--config", str(tmp_path / "digest.toml"), "ingest"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip

    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert "12 new stories, 0 unchanged, 3 failed (Notes, Crasher, Hanger)." in run.stderr
    assert "notes.txt: is not a feed digest can read" in run.stderr
    assert "good0.xml: the parser process died reading it" in run.stderr
    assert "good1.xml: parsing took longer than 3 s and was stopped" in run.stderr
    titles = subprocess.run(
        [sys.executable, "-m", "digest.cli", "--config", str(tmp_path / "digest.toml"),
         "threads", "--json", "--since", "2025-06-01"],
        capture_output=True, text=True, env=env, timeout=120, check=True,
    ).stdout  # fmt: skip
    for i in range(12):
        assert f"Story {i} of the day" in titles


def test_every_error_survives_a_process_boundary() -> None:

    from digest import errors
    from digest.sources.fetch import FeedGoneError

    samples = [
        errors.SourceError("https://example.com/feed", "HTTP 500"),
        FeedGoneError("https://example.com/feed", "HTTP 410 Gone"),
        errors.ConfigError(["Config value 'a': bad", "Config value 'b': bad"], "digest.toml"),
        errors.RenderError("edition.mjml.j2", "unexpected end", line=3),
        errors.DeliveryError("reader@example.com", "550 no such user", permanent=True),
        errors.TransportError("smtp.example.com", "connection refused"),
    ]
    for error in samples:
        copy = pickle.loads(pickle.dumps(error))
        assert (type(copy), str(copy), copy.__dict__) == (type(error), str(error), error.__dict__)
