"""Compressed responses that inflate past `fetch.max_bytes` fail their feed, in bounded memory.

A real server on 127.0.0.1 sends a brotli and a gzip "bomb" (a few KB that inflate to a
gigabyte of zeros); `digest ingest` and `digest feeds add` must stop at the cap.
"""

from __future__ import annotations

import datetime as dt
import zlib
from functools import cache
from pathlib import Path

import brotli
import pytest
import tomli_w

from digest.store import Database
from digest.store.stories import stories_published_between
from tests import httpserver
from tests.clirun import run_cli
from tests.feedgen import simple_feed
from tests.httpserver import HttpServer, Reply

http_server = httpserver.http_server
_MB = 1 << 20
# Far below the gigabyte an inflate-then-count reader holds; far above the 10 MB cap.
PEAK_LIMIT_MB = 400


@cache
def bomb(encoding: str, size: int = 1024 * _MB) -> bytes:
    zeros = b"\0" * _MB
    if encoding == "br":
        compressor = brotli.Compressor(quality=4)
        return b"".join(
            [*(compressor.process(zeros) for _ in range(size // _MB)), compressor.finish()]
        )
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 31 if encoding == "gzip" else 15)
    return b"".join([*(squeeze.compress(zeros) for _ in range(size // _MB)), squeeze.flush()])


def serve_bombs(server: HttpServer) -> dict[str, str]:
    sizes = {"br": 1024 * _MB, "gzip": 256 * _MB, "deflate": 256 * _MB}
    return {
        encoding: server.route(
            f"/{encoding}.xml",
            Reply(body=bomb(encoding, size), headers={"Content-Encoding": encoding}),
        )
        for encoding, size in sizes.items()
    }


@pytest.mark.slow
def test_ingest_fails_each_bombed_feed_and_keeps_the_good_one(
    tmp_path: Path, http_server: HttpServer
) -> None:
    now = dt.datetime(2025, 6, 10, 11, 0, tzinfo=dt.UTC)
    bombs = serve_bombs(http_server)
    good = http_server.route("/good.xml", Reply(body=simple_feed("Good", now)))
    feeds = [{"name": f"Bomb {e}", "url": url} for e, url in bombs.items()]
    config = tmp_path / "digest.toml"
    store = {"path": str(tmp_path / "digest.db")}
    config.write_text(
        tomli_w.dumps({"store": store, "feeds": [*feeds, {"name": "Good", "url": good}]})
    )

    run = run_cli(config, "ingest")

    assert run.code == 0, run.output
    for url in bombs.values():
        assert f"{url}: response exceeds the 10,000,000 byte cap once decompressed" in run.output
    with Database(tmp_path / "digest.db") as db:
        assert len(stories_published_between(db, None, None)) == 2  # the good feed's
    assert run.peak_mb < PEAK_LIMIT_MB, f"peak {run.peak_mb:.0f} MB"


def test_feeds_add_refuses_a_brotli_bomb_in_bounded_memory(
    tmp_path: Path, http_server: HttpServer
) -> None:
    url = serve_bombs(http_server)["br"]
    config = tmp_path / "digest.toml"
    config.write_text(tomli_w.dumps({"store": {"path": str(tmp_path / "digest.db")}}))

    run = run_cli(config, "feeds", "add", url)

    assert run.code == 1
    assert f"Error: {url}: response exceeds the 10,000,000 byte cap once decompressed" in run.stderr
    assert run.peak_mb < PEAK_LIMIT_MB, f"peak {run.peak_mb:.0f} MB"
