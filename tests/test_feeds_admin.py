"""`digest feeds add|list|remove|check|import|export` against a real HTTP server."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from digest.commands.feeds import (
    add_feed,
    check_feeds,
    export_opml,
    import_opml,
    list_feeds,
    remove_feed,
)
from digest.config import load_settings
from digest.errors import DigestError
from digest.sources.ingest import ingest
from digest.store import Database
from tests import httpserver
from tests.feedgen import simple_feed
from tests.httpserver import HttpServer, Reply

http_server = httpserver.http_server  # the fixture, for this module's tests


def test_add_discovers_the_feed_of_a_web_page(
    make_config: Any, http_server: HttpServer, now: Any, tmp_path: Path
) -> None:
    feed_url = http_server.route("/feed.xml", Reply(body=simple_feed("Wire", now)))
    link = b'<link rel="alternate" type="application/rss+xml" href="/feed.xml">'
    page = b"<html><head>" + link + b"</head></html>"
    http_server.route("/", Reply(body=page, content_type="text/html"))
    settings = make_config()
    feed = add_feed(settings, http_server.url("/"), now=now)
    assert (feed.name, feed.url) == ("Wire", feed_url)
    reloaded = load_settings(tmp_path / "digest.toml")
    assert [(f.name, f.url) for f in reloaded.feeds] == [("Wire", feed_url)]
    assert list_feeds(reloaded) == f"Wire  {feed_url}"
    with pytest.raises(DigestError, match="already configured, as the feed 'Wire'"):
        add_feed(reloaded, feed_url, now=now)
    with pytest.raises(DigestError, match="already configured"):  # under another name too
        add_feed(reloaded, http_server.url("/"), name="Dup", now=now)
    assert remove_feed(reloaded, "Wire") == (
        "Removed Wire: wire.toml held no other feed and was deleted."
    )
    assert load_settings(tmp_path / "digest.toml").feeds == []


def test_add_refuses_a_page_without_feed(
    make_config: Any, http_server: HttpServer, now: Any
) -> None:
    http_server.route("/", Reply(body=b"<html><body>hi</body></html>", content_type="text/html"))
    with pytest.raises(DigestError, match="links no feed"):
        add_feed(make_config(), http_server.url("/"), now=now)


def test_opml_round_trip(make_config: Any, tmp_path: Path) -> None:
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<opml version="2.0"><body><outline text="Tech">'
        '<outline text="A &amp; B" type="rss" xmlUrl="https://a.test/rss"/>'
        '<outline title="C" xmlUrl="https://c.test/atom"/></outline></body></opml>'
    )
    settings = make_config()
    assert import_opml(settings, opml).startswith("Imported 2 feed(s)")
    exported = export_opml(load_settings(tmp_path / "digest.toml"))
    assert (
        '<outline type="rss" text="A &amp; B" title="A &amp; B" xmlUrl="https://a.test/rss"/>'
        in exported
    )
    assert 'xmlUrl="https://c.test/atom"' in exported and exported.startswith("<?xml")


def test_check_shows_health(make_config: Any, http_server: HttpServer, now: dt.datetime) -> None:
    http_server.route("/ok.xml", Reply(body=simple_feed("ok", now)))
    feeds = [
        {"name": "Ok", "url": http_server.url("/ok.xml")},
        {"name": "Down", "url": http_server.url("/down.xml")},
    ]
    settings = make_config(feeds=feeds, fetch={"retries": 0})
    with Database(settings.resolve(settings.store.path)) as db:
        ingest(settings, db, now)
    table = check_feeds(settings, now + dt.timedelta(hours=2)).splitlines()
    assert table[0].split() == ["FEED", "LAST", "SUCCESS", "FAILS", "ITEMS", "LAST", "ERROR"]
    assert table[1].split()[:5] == ["Ok", "2", "h", "ago", "0"]
    assert table[2].startswith("Down") and table[2].endswith("HTTP 404 Not Found")


def test_remove_keeps_the_files_comments_and_other_feeds(make_config: Any, tmp_path: Path) -> None:
    (tmp_path / "feeds").mkdir()
    listing = tmp_path / "feeds" / "markets.toml"
    listing.write_text(
        "# Markets desk: checked every morning.\n"
        '[[feeds]]\nname = "Wire"\nurl = "https://wire.example.com/rss"\n\n'
        "# Slow but thorough.\n"
        '[[feeds]]\nname = "Weekly"\nurl = "https://weekly.example.com/rss"\n'
    )
    settings = make_config()

    assert remove_feed(settings, "Wire") == "Removed Wire from markets.toml."

    left = listing.read_text()
    assert left.startswith("# Markets desk: checked every morning.\n")
    assert "# Slow but thorough." in left and "Wire" not in left
    assert [f.name for f in load_settings(tmp_path / "digest.toml").feeds] == ["Weekly"]


def test_remove_copes_with_crlf_spaced_headers_and_detached_comments(
    make_config: Any, tmp_path: Path
) -> None:
    (tmp_path / "feeds").mkdir()
    listing = tmp_path / "feeds" / "desk.toml"
    listing.write_bytes(
        b"[[ feeds ]]  # the wire\r\n"
        b'name = "Wire"\r\nurl = "https://wire.example.com/rss"\r\n\r\n'
        b"# Slow but thorough.\r\n\r\n"
        b'[[feeds]]\r\nname = "Weekly"\r\nurl = "https://weekly.example.com/rss"\r\n'
    )

    assert remove_feed(make_config(), "Wire") == "Removed Wire from desk.toml."

    left = listing.read_bytes()
    assert left.lstrip(b"\r\n").startswith(b"# Slow but thorough.\r\n") and b"Wire" not in left
    assert b"\n" not in left.replace(b"\r\n", b"")


def test_remove_keeps_the_next_feeds_comment_and_edits_inline_arrays(
    make_config: Any, tmp_path: Path
) -> None:
    (tmp_path / "feeds").mkdir()
    tables = tmp_path / "feeds" / "desk.toml"
    tables.write_text(
        '[[feeds]]\nname = "A"\nurl = "https://a.example.com/rss"\n\n'
        '[[feeds]]\nname = "Wire"  # the wire\nurl = "https://wire.example.com/rss"\n'
        '# C: checked weekly.\n[[feeds]]\nname = "C"\nurl = "https://c.example.com/rss"\n'
    )
    inline = tmp_path / "feeds" / "more.toml"
    inline.write_text(
        '# Two more.\nfeeds = [{name = "D", url = "https://d.example.com/rss"},'
        ' {name = "E", url = "https://e.example.com/rss"}]  # kept short\n'
    )
    settings = make_config()

    assert remove_feed(settings, "Wire") == "Removed Wire from desk.toml."
    assert remove_feed(settings, "D") == "Removed D from more.toml."

    assert tables.read_text() == (
        '[[feeds]]\nname = "A"\nurl = "https://a.example.com/rss"\n\n'
        '# C: checked weekly.\n[[feeds]]\nname = "C"\nurl = "https://c.example.com/rss"\n'
    )
    assert inline.read_text().startswith("# Two more.\nfeeds = [")
    assert "# kept short" in inline.read_text() and '"D"' not in inline.read_text()
    names = [f.name for f in load_settings(tmp_path / "digest.toml").feeds]
    assert sorted(names) == ["A", "C", "E"]
