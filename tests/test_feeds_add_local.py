"""`digest feeds add` of a local feed file or folder, and errors that name what was given."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import tomli_w

from tests.clirun import run_cli
from tests.feedgen import simple_feed

NOW = dt.datetime(2025, 6, 10, 11, 0, tzinfo=dt.UTC)


def project(tmp_path: Path) -> Path:
    config = tmp_path / "digest.toml"
    config.write_text(tomli_w.dumps({"store": {"path": str(tmp_path / "d.db")}}))
    return config


def test_a_local_feed_file_is_added_and_then_ingested(tmp_path: Path) -> None:
    config = project(tmp_path)
    feed = tmp_path / "elsewhere" / "wire.xml"
    feed.parent.mkdir()
    feed.write_bytes(simple_feed("Wire", NOW))

    added = run_cli(config, "feeds", "add", str(feed))

    assert (added.code, added.stdout) == (0, f"Added Wire: {feed}\n"), added.output
    assert run_cli(config, "feeds", "list").stdout == f"Wire  {feed}\n"
    assert run_cli(config, "ingest").stdout == "Ingested 1 feeds: 2 new stories, 0 unchanged.\n"
    again = run_cli(config, "feeds", "add", str(feed), "--name", "Other")
    assert again.stderr == f"Error: {feed} is already configured, as the feed 'Wire'\n"


def test_errors_name_the_file_or_url(tmp_path: Path) -> None:
    config = project(tmp_path)
    (tmp_path / "notes.txt").write_text("just notes")
    missing, notes = tmp_path / "missing.xml", tmp_path / "notes.txt"

    assert run_cli(config, "feeds", "add", str(missing)).stderr == (
        f"Error: {missing}: cannot read: No such file or directory\n"
    )
    assert run_cli(config, "feeds", "add", str(notes)).stderr == (
        f"Error: {notes}: is not a feed digest can read (RSS, Atom, RDF or JSON Feed)\n"
    )
    assert run_cli(config, "feeds", "add", "ftp://example.com/feed").stderr == (
        "Error: ftp://example.com/feed: not an http(s) URL, nor a local file or folder\n"
    )
    assert run_cli(config, "feeds", "add", "http://").stderr.startswith(
        "Error: http://: is not a URL digest can fetch: "
    )
