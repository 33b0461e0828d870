"""Fetching feeds from a real HTTP server on 127.0.0.1: statuses, redirects, limits, encodings."""

from __future__ import annotations

import datetime as dt
import gzip
import time
from typing import Any

import pytest

from digest.config import Settings
from digest.sources.ingest import IngestReport, ingest
from digest.store import Database
from digest.store.feeds import failing_feeds, feed_health
from digest.store.stories import stories_published_between
from tests import httpserver
from tests.conftest import ConfigFactory
from tests.feedgen import rss_feed, simple_feed
from tests.httpserver import HttpServer, Reply

FAST = {"timeout": 2.0, "read_timeout": 1.0, "connect_timeout": 1.0, "retries": 2}

http_server = httpserver.http_server  # the fixture, for this module's tests


@pytest.fixture
def feeds(make_config: ConfigFactory, http_server: HttpServer) -> Any:
    """`feeds({"Name": "/path"}, **fetch)` -> settings with those feeds on the test server."""

    def factory(paths: dict[str, str], **fetch: Any) -> Settings:
        entries = [{"name": n, "url": http_server.url(p)} for n, p in paths.items()]
        return make_config(feeds=entries, fetch={**FAST, **fetch})

    return factory


def run(settings: Settings, now: dt.datetime) -> IngestReport:
    with Database(settings.resolve(settings.store.path)) as db:
        return ingest(settings, db, now, backoff=0.01, max_retry_wait=0.3)


def stored(settings: Settings) -> list[str]:
    with Database(settings.resolve(settings.store.path)) as db:
        return sorted(s.title for s in stories_published_between(db, None, None))


def state(settings: Settings, name: str) -> Any:
    with Database(settings.resolve(settings.store.path)) as db:
        return next(f for f in feed_health(db) if f.name == name)


def test_200_stores_the_items_and_says_who_we_are(
    feeds: Any, http_server: HttpServer, now: Any
) -> None:
    http_server.route("/a.xml", Reply(body=simple_feed("a", now)))
    settings = feeds({"A": "/a.xml"})
    report = run(settings, now)
    assert report.summary() == "Ingested 1 feeds: 2 new stories, 0 unchanged."
    assert stored(settings) == ["a story 0", "a story 1"]
    assert http_server.requests[0].headers["User-Agent"].startswith("digest/")


@pytest.mark.parametrize("status", [301, 308])
def test_permanent_redirect_updates_the_stored_url(
    status: int, feeds: Any, http_server: HttpServer, now: Any
) -> None:
    new_url = http_server.route("/new.xml", Reply(body=simple_feed("a", now)))
    http_server.route("/old.xml", Reply(status=status, headers={"Location": "/new.xml"}))
    settings = feeds({"A": "/old.xml"})
    assert run(settings, now).new == 2
    old_url = state(settings, "A").url
    run(settings, now)
    assert state(settings, "A").url == old_url  # seen twice: not yet
    run(settings, now)
    assert state(settings, "A").url == new_url  # seen on 3 fetches in a row: re-pinned
    run(settings, now)
    assert http_server.hits("/old.xml") == 3  # the fourth run went straight to the new URL


def test_a_permanent_redirect_seen_once_does_not_move_the_feed(
    feeds: Any, http_server: HttpServer, now: Any
) -> None:
    http_server.route("/new.xml", Reply(body=simple_feed("a", now)))
    moved = Reply(status=301, headers={"Location": "/new.xml"})
    http_server.route("/old.xml", [moved, moved, Reply(body=simple_feed("a", now)), moved])
    settings = feeds({"A": "/old.xml"})
    for _ in range(4):
        run(settings, now)
    assert state(settings, "A").url == http_server.url("/old.xml")
    assert (state(settings, "A").moving_seen, http_server.hits("/old.xml")) == (1, 4)


@pytest.mark.parametrize("status", [302, 307])
def test_temporary_redirect_keeps_the_url(
    status: int, feeds: Any, http_server: HttpServer, now: Any
) -> None:
    http_server.route("/elsewhere.xml", Reply(body=simple_feed("a", now)))
    old = http_server.route(
        "/feed.xml", Reply(status=status, headers={"Location": "/elsewhere.xml"})
    )
    settings = feeds({"A": "/feed.xml"})
    assert run(settings, now).new == 2
    assert state(settings, "A").url == old


def test_unchanged_feed_costs_one_304(feeds: Any, http_server: HttpServer, now: Any) -> None:
    http_server.route("/a.xml", Reply(body=simple_feed("a", now), etag='"v1"'))
    settings = feeds({"A": "/a.xml"})
    run(settings, now)
    second = run(settings, now)
    assert second.results[0].not_modified
    assert second.summary() == "Ingested 1 feeds: 0 new stories, 1 unchanged."
    assert http_server.requests[-1].headers["If-None-Match"] == '"v1"'
    assert state(settings, "A").etag == '"v1"'


def test_404_is_a_readable_error_naming_the_feed(
    feeds: Any, http_server: HttpServer, now: Any
) -> None:
    settings = feeds({"Gone": "/missing.xml"})
    report = run(settings, now)
    assert report.failed[0].error == f"{http_server.url('/missing.xml')}: HTTP 404 Not Found"
    assert "1 failed (Gone)" in report.summary()


def test_410_disables_the_feed(feeds: Any, http_server: HttpServer, now: Any) -> None:
    http_server.route("/gone.xml", Reply(status=410))
    settings = feeds({"Gone": "/gone.xml"})
    first = run(settings, now)
    assert "410 Gone" in str(first.failed[0].error)
    run(settings, now)
    assert http_server.hits("/gone.xml") == 1
    assert state(settings, "Gone").disabled


def test_429_waits_as_told_then_succeeds(feeds: Any, http_server: HttpServer, now: Any) -> None:
    busy = Reply(status=429, headers={"Retry-After": "1"})
    http_server.route("/busy.xml", [busy, Reply(body=simple_feed("a", now))])
    settings = feeds({"Busy": "/busy.xml"})
    started = time.monotonic()
    assert run(settings, now).new == 2
    assert time.monotonic() - started >= 0.3  # Retry-After 1 s, capped at max_retry_wait
    assert http_server.hits("/busy.xml") == 2


def test_500_then_success(feeds: Any, http_server: HttpServer, now: Any) -> None:
    http_server.route(
        "/flaky.xml", [Reply(status=500), Reply(status=503), Reply(body=simple_feed("a", now))]
    )
    settings = feeds({"Flaky": "/flaky.xml"})
    assert run(settings, now).new == 2
    assert state(settings, "Flaky").consecutive_failures == 0


def test_a_hanging_server_times_out_and_the_others_go_on(
    feeds: Any, http_server: HttpServer, now: Any
) -> None:
    http_server.route("/hang.xml", Reply(hang=True))
    http_server.route("/ok.xml", Reply(body=simple_feed("ok", now)))
    settings = feeds(
        {"Hang": "/hang.xml", "Ok": "/ok.xml"}, timeout=0.5, read_timeout=0.3, retries=0
    )
    started = time.monotonic()
    report = run(settings, now)
    assert time.monotonic() - started < 3
    assert report.new == 2
    assert "timed out" in str(report.failed[0].error)


def test_oversized_body_is_refused(feeds: Any, http_server: HttpServer, now: Any) -> None:
    http_server.route("/big.xml", Reply(body=simple_feed("big", now, count=40)))
    # Small on the wire, large once decompressed: the cap counts decoded bytes.
    bomb = gzip.compress(b"<rss>" + b" " * 100_000 + b"</rss>")
    http_server.route("/bomb.xml", Reply(body=bomb, headers={"Content-Encoding": "gzip"}))
    settings = feeds({"Big": "/big.xml", "Bomb": "/bomb.xml"}, max_bytes=2048)
    big, bomb_result = run(settings, now).results
    assert str(big.error).endswith("big.xml: response of 9,494 bytes exceeds the 2,048 byte cap")
    assert str(bomb_result.error).endswith(
        "bomb.xml: response exceeds the 2,048 byte cap once decompressed"
    )


def test_gzip_body(feeds: Any, http_server: HttpServer, now: Any) -> None:
    body = gzip.compress(simple_feed("z", now))
    http_server.route("/z.xml", Reply(body=body, headers={"Content-Encoding": "gzip"}))
    assert run(feeds({"Z": "/z.xml"}), now).new == 2


def test_wrong_declared_encoding(feeds: Any, http_server: HttpServer, now: Any) -> None:
    doc = rss_feed(
        "Café", [("Café crème déjà vu", "https://example.com/c", now)], encoding="iso-8859-1"
    )
    http_server.route(
        "/c.xml", Reply(body=doc.encode("utf-8"), content_type="text/xml; charset=iso-8859-1")
    )
    settings = feeds({"C": "/c.xml"})
    run(settings, now)
    assert stored(settings) == ["Café crème déjà vu"]


def test_a_feed_served_as_html_still_parses(feeds: Any, http_server: HttpServer, now: Any) -> None:
    http_server.route("/feed", Reply(body=simple_feed("h", now), content_type="text/html"))
    assert run(feeds({"H": "/feed"}), now).new == 2


def test_a_web_page_is_not_a_feed(feeds: Any, http_server: HttpServer, now: Any) -> None:
    page = b"<!DOCTYPE html><html><head><title>Home</title></head><body>Hi</body></html>"
    http_server.route("/", Reply(body=page, content_type="text/html"))
    report = run(feeds({"Page": "/"}), now)
    assert report.failed[0].error == (
        f"{http_server.url('/')}: is a web page, not a feed "
        "(try `digest feeds add` to discover its feed)"
    )


def test_repeated_failures_are_named_once_past_the_threshold(
    feeds: Any, http_server: HttpServer, now: Any
) -> None:
    settings = feeds({"Down": "/down.xml"}, failure_threshold=2, retries=0)
    http_server.route("/down.xml", Reply(status=500))
    with Database(settings.resolve(settings.store.path)) as db:
        ingest(settings, db, now, backoff=0.01)
        assert failing_feeds(db, 2) == []
        ingest(settings, db, now, backoff=0.01)
        [failing] = failing_feeds(db, 2)
        assert (failing.name, failing.failures) == ("Down", 2)
        assert "HTTP 500" in failing.error
        http_server.route("/down.xml", Reply(body=simple_feed("up", now)))
        ingest(settings, db, now)
        assert failing_feeds(db, 2) == []
