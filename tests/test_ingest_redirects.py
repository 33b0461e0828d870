"""A public feed cannot redirect us to an internal address.

No public address is reachable here, so the host resolution is injected: 127.0.0.2 and
127.0.0.3 are taken for public hosts, 127.0.0.4 and .5 for private and link-local ones,
while 127.0.0.1 stays what it is, loopback.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest.config import Settings
from digest.sources.addresses import resolve_host
from digest.sources.ingest import IngestReport, ingest
from digest.store import Database
from digest.store.feeds import feed_health
from tests.conftest import ConfigFactory
from tests.feedgen import simple_feed
from tests.httpserver import HttpServer, Reply, serve

NOW = dt.datetime(2025, 6, 10, 11, 0, tzinfo=dt.UTC)
# What the injected resolution says of these loopback hosts (nothing else is ever contacted).
PRETEND = {
    "127.0.0.2": "93.184.216.34",
    "127.0.0.3": "93.184.216.35",
    "127.0.0.4": "10.0.0.7",  # a private address
    "127.0.0.5": "fe80::1",  # a link-local one
}


async def resolve(host: str) -> list[str]:
    if host in PRETEND:
        return [PRETEND[host]]
    return await resolve_host(host)


@pytest.fixture
def servers() -> Iterator[tuple[HttpServer, HttpServer, HttpServer]]:
    with serve("127.0.0.2") as public, serve("127.0.0.3") as other, serve() as internal:
        yield public, other, internal


def run(settings: Settings) -> IngestReport:
    with Database(settings.resolve(settings.store.path)) as db:
        return ingest(settings, db, NOW, backoff=0.01, resolve=resolve)


def test_a_redirect_from_a_public_host_to_loopback_is_refused(
    make_config: ConfigFactory, servers: tuple[HttpServer, HttpServer, HttpServer], tmp_path: Path
) -> None:
    public, _, internal = servers
    secret = internal.route("/admin/feed.xml", Reply(body=simple_feed("secret", NOW)))
    url = public.route("/feed.xml", Reply(status=301, headers={"Location": secret}))
    settings = make_config(feeds=[{"name": "Pub", "url": url}])

    (result,) = run(settings).results

    assert result.error == (
        f"{url}: refused a redirect from a public address to {secret} (internal: 127.0.0.1)"
    )
    assert internal.hits("/admin/feed.xml") == 0
    with Database(tmp_path / "digest.db") as db:
        assert [f.url for f in feed_health(db)] == [url]


@pytest.mark.parametrize("target", ["http://127.0.0.4/feed.xml", "http://127.0.0.5/feed.xml"])
def test_private_and_link_local_targets_are_refused_without_contacting_them(
    make_config: ConfigFactory, servers: tuple[HttpServer, HttpServer, HttpServer], target: str
) -> None:
    public = servers[0]
    url = public.route("/feed.xml", Reply(status=302, headers={"Location": target}))
    settings = make_config(feeds=[{"name": "Pub", "url": url}])

    (result,) = run(settings).results

    internal = PRETEND[target[7:16]]
    assert result.error == (
        f"{url}: refused a redirect from a public address to {target} (internal: {internal})"
    )


def test_public_to_public_and_internal_to_internal_redirects_are_followed(
    make_config: ConfigFactory, servers: tuple[HttpServer, HttpServer, HttpServer]
) -> None:
    public, other, internal = servers
    moved = other.route("/feed.xml", Reply(body=simple_feed("moved", NOW)))
    pub = public.route("/feed.xml", Reply(status=302, headers={"Location": moved}))
    mine = internal.route("/new.xml", Reply(body=simple_feed("mine", NOW)))
    local = internal.route("/old.xml", Reply(status=302, headers={"Location": mine}))
    settings = make_config(feeds=[{"name": "Pub", "url": pub}, {"name": "Mine", "url": local}])

    report = run(settings)

    assert [r.error for r in report.results] == [None, None] and report.new == 4
