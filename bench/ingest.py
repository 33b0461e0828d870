"""Ingest benchmark: 500 feeds on 20 loopback hosts, `digest ingest` vs a bare script.

The feeds (50 items each, answers delayed 100 ms) are served by a separate process from
127.0.0.2-21, 25 feeds per host. `digest ingest` runs with the default fetch settings, cold
(everything new) then warm (every feed answers 304). Beside it, a bare httpx + feedparser
script fetches and parses the same feeds with the same overall concurrency (the default
`fetch.concurrency`). Each runs in a fresh process and times its own work, after imports.
Targets: cold <= 1.2x the bare script, warm <= 0.3x. The whole `digest ingest` command,
which also groups the new stories into threads, is timed too.

    .venv/bin/python bench/ingest.py [--feeds 500] [--items 50] [--delay 0.1] [--rounds 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digest.config import Fetch  # noqa: E402
from tests.feedgen import rss_feed  # noqa: E402
from tests.httpserver import Reply, serve  # noqa: E402

NOW = dt.datetime(2025, 6, 10, 11, 0, tzinfo=dt.UTC)
HOSTS = [f"127.0.0.{n}" for n in range(2, 22)]

BARE = """
import asyncio, json, sys, time
import feedparser, httpx

async def main(urls, concurrency):
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=concurrency)) as client:
        async def one(url):
            async with gate:
                response = await client.get(url)
            return len(feedparser.parse(response.content).entries)
        counts = await asyncio.gather(*(one(u) for u in urls))
    print(sum(counts), "entries")

urls = json.load(open(sys.argv[1]))
started = time.perf_counter()
asyncio.run(main(urls, int(sys.argv[2])))
print(f"{time.perf_counter() - started:.3f}")
"""

# The ingest stage alone (fetch, parse, store), timed inside its process like the bare script.
STAGE = """
import datetime as dt, sys, time
from digest.config import load_settings
from digest.sources.ingest import ingest
from digest.store import Database

settings = load_settings(sys.argv[1])
with Database(settings.resolve(settings.store.path)) as db:
    started = time.perf_counter()
    report = ingest(settings, db, dt.datetime.fromisoformat(sys.argv[2]))
    print(report.summary())
    print(f"{time.perf_counter() - started:.3f}")
"""


def serve_feeds(feeds: int, items: int, delay: float, ready: multiprocessing.Queue) -> None:
    """In its own process: every host's server, until killed; puts the feed URLs on `ready`."""
    from contextlib import ExitStack

    with ExitStack() as stack:
        servers = [stack.enter_context(serve(host)) for host in HOSTS]
        urls = []
        for n in range(feeds):
            entries = [
                (f"Feed {n} story {i}", f"https://site{n}.example/{i}", NOW - dt.timedelta(hours=i))
                for i in range(items)
            ]
            body = rss_feed(f"Feed {n}", entries).encode()
            server = servers[n % len(servers)]
            urls.append(server.route(f"/{n}.xml", Reply(body=body, delay=delay, etag=f'"{n}"')))
        ready.put(urls)
        time.sleep(3600)


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """(seconds the process took, seconds it printed last, the line before that)."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    elapsed = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"{command[2:4]} failed: {done.stderr[-500:]}")
    lines = done.stdout.strip().splitlines()
    return elapsed, float(lines[-1]), lines[-2] if len(lines) > 1 else ""


def digest_runs(urls: list[str], folder: Path) -> tuple[float, float, float, str]:
    """On a fresh store, the ingest stage cold then warm, then `digest ingest` (with its
    grouping) cold on another fresh store: (cold s, warm s, command s, cold summary)."""
    import tomli_w

    feeds = [{"name": f"Feed {n}", "url": url} for n, url in enumerate(urls)]
    config = folder / "digest.toml"
    config.write_text(tomli_w.dumps({"store": {"path": str(folder / "bench.db")}, "feeds": feeds}))
    stage = [sys.executable, "-c", STAGE, str(config), NOW.isoformat()]
    for old in folder.glob("bench.db*"):
        old.unlink()
    _, cold, summary = timed(stage)
    _, warm, _ = timed(stage)
    for old in folder.glob("bench.db*"):
        old.unlink()
    command = [sys.executable, "-m", "digest.cli", "--config", str(config), "-q", "ingest"]
    started = time.perf_counter()
    subprocess.run(command, env={**os.environ, "DIGEST_NOW": NOW.isoformat()}, check=True)
    return cold, warm, time.perf_counter() - started, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--delay", type=float, default=0.1)
    parser.add_argument("--rounds", type=int, default=3, help="runs of each; medians printed")
    args = parser.parse_args()
    ready: multiprocessing.Queue[list[str]] = multiprocessing.Queue()
    server = multiprocessing.Process(
        target=serve_feeds, args=(args.feeds, args.items, args.delay, ready), daemon=True
    )
    server.start()
    try:
        urls = ready.get(timeout=120)
        concurrency = Fetch().concurrency
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            (folder / "urls.json").write_text(json.dumps(urls))
            bare_command = [sys.executable, "-c", BARE, str(folder / "urls.json"), str(concurrency)]
            rounds: dict[str, list[float]] = {"bare": [], "cold": [], "warm": [], "cli": []}
            for _ in range(args.rounds):
                rounds["bare"].append(timed(bare_command)[1])
                cold, warm, cli, summary = digest_runs(urls, folder)
                for key, value in (("cold", cold), ("warm", warm), ("cli", cli)):
                    rounds[key].append(value)
    finally:
        server.kill()
    b, c, w, whole = (statistics.median(rounds[k]) for k in ("bare", "cold", "warm", "cli"))
    print(f"{args.feeds} feeds on {len(HOSTS)} hosts, {args.items} items, {args.delay:g} s delay")
    print(f"bare httpx + feedparser (concurrency {concurrency}): {b:.2f} s")
    print(f"ingest stage cold: {c:.2f} s = {c / b:.2f}x bare   ({summary})")
    print(f"ingest stage warm: {w:.2f} s = {w / b:.2f}x bare")
    print(f"`digest ingest` cold, whole command with grouping 25,000 stories: {whole:.2f} s")
    for key, values in rounds.items():
        print(f"  {key}: " + ", ".join(f"{v:.2f}" for v in values))


if __name__ == "__main__":
    main()
