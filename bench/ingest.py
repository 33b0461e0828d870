"""Ingest benchmark: 500 feeds x 50 items from a local HTTP server that delays each answer 100 ms.

Prints the cold ingest (everything new) and the warm one (every feed answers 304), in seconds,
with peak memory. Targets on a 2-core machine: cold < 10 s, warm < 2 s.

    .venv/bin/python bench/ingest.py [--feeds 500] [--items 50] [--delay 0.1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digest.config import Settings  # noqa: E402
from digest.sources.ingest import ingest  # noqa: E402
from digest.store import Database  # noqa: E402
from tests.feedgen import rss_feed  # noqa: E402
from tests.httpserver import Reply, serve  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--delay", type=float, default=0.1)
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    now = dt.datetime(2025, 6, 10, 11, 0, tzinfo=dt.UTC)
    with serve() as server, tempfile.TemporaryDirectory() as tmp:
        feeds = []
        for n in range(args.feeds):
            items = [
                (f"Feed {n} story {i}", f"https://site{n}.example/{i}", now - dt.timedelta(hours=i))
                for i in range(args.items)
            ]
            body = rss_feed(f"Feed {n}", items).encode()
            url = server.route(f"/{n}.xml", Reply(body=body, delay=args.delay, etag=f'"{n}"'))
            feeds.append({"name": f"Feed {n}", "url": url})
        # Every feed is on 127.0.0.1 here, standing in for 500 hosts: lift the per-host bound.
        fetch = {"concurrency": args.concurrency, "per_host": args.concurrency}
        settings = Settings.model_validate(
            {"feeds": feeds, "fetch": fetch, "store": {"path": f"{tmp}/bench.db"}}
        )
        with Database(settings.store.path) as db:
            for label in ("cold", "warm"):
                started = time.perf_counter()
                report = ingest(settings, db, now)
                elapsed = time.perf_counter() - started
                print(f"{label}: {elapsed:.2f} s  ({report.summary()})")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"peak memory: {own:.0f} MB (this process and its server), parse worker {children:.0f} MB"
    )


if __name__ == "__main__":
    main()
