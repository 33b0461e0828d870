"""One long item must not stall the edition: `digest ingest` then `digest build` on a feed
with one item of N sentences (plus ordinary items from two other outlets on the same event).

Then one event told by N outlets, each in a 200-sentence story (one thread of N long stories).
Prints seconds per stage for each size, so growth with the item's length is visible:
it should be about flat (each story contributes a bounded amount of text to grouping and
summarizing), never quadratic. The 9.8 MB item is just under `fetch.max_bytes`.

    .venv/bin/python bench/long_item.py [--sentences 2500,5000,10000] [--megabytes 9.8]
        [--thread 10,20,40]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

import tomli_w

ROOT = Path(__file__).resolve().parent.parent
NOW = dt.datetime(2025, 6, 10, 11, 0, tzinfo=dt.UTC)
NAMES = ["Jerome Powell", "Christine Lagarde", "Acme Corp", "Globex", "the Treasury", "Initech"]
VERBS = ["said", "reported", "estimated", "warned", "expected", "noted"]


def sentence(rng: random.Random, i: int) -> str:
    who, verb = rng.choice(NAMES), rng.choice(VERBS)
    pct, bn = rng.randint(1, 99) / 10, rng.randint(2, 900)
    return (
        f"{who} {verb} on Tuesday that revenue in unit {i} rose {pct}% to ${bn} billion, "
        f"while Mr. {who.split()[-1]} of {rng.choice(NAMES)} saw costs fall {pct / 2:.1f}%."
    )


def long_text(sentences: int, target_bytes: int = 0) -> str:
    rng = random.Random(sentences)
    paragraphs, size, i = [], 0, 0
    while i < sentences or (target_bytes and size < target_bytes):
        paragraph = " ".join(sentence(rng, i + k) for k in range(5))
        paragraphs.append(f"<p>{escape(paragraph)}</p>")
        size, i = size + len(paragraph) + 7, i + 5
    return "".join(paragraphs)


def item(title: str, link: str, body: str, when: dt.datetime) -> str:
    stamp = when.strftime("%a, %d %b %Y %H:%M:%S +0000")
    return (
        f"<item><title>{escape(title)}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>{stamp}</pubDate><description>{escape(body)}</description></item>"
    )


def feed(name: str, items: list[str]) -> str:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{name}</title>'
        f"<link>https://{name.lower()}.example/</link>{''.join(items)}</channel></rss>"
    )


def project(folder: Path, body: str, others: list[str] | None = None) -> Path:
    """Feed "Long" with `body` and one feed per text of `others` (default: two short ones),
    every item about the same event; the config is written to `folder`/digest.toml."""
    when = NOW - dt.timedelta(hours=1)
    title = "Acme Corp revenue rises as Powell signals rate cut"
    short = "<p>Acme Corp said revenue rose 4.5% to $120 billion. Jerome Powell spoke.</p>"
    texts = [short, short] if others is None else others
    feeds = []
    for name, text in (("Long", body), *((f"Outlet{n}", t) for n, t in enumerate(texts))):
        path = folder / f"{name}.xml"
        path.write_text(feed(name, [item(title, f"https://{name}.example/a", text, when)]))
        feeds.append({"name": name, "url": str(path), "first_contact_days": "all"})
    config = {
        "store": {"path": str(folder / "digest.db")},
        "delivery": {"outbox": str(folder / "outbox"), "recipients": ["reader@example.com"]},
        "feeds": feeds,
    }
    (folder / "digest.toml").write_text(tomli_w.dumps(config))
    return folder / "digest.toml"


def timed(config: Path, *args: str) -> float:
    env = {**os.environ, "DIGEST_NOW": NOW.isoformat()}
    command = [sys.executable, "-m", "digest.cli", "--config", str(config), "-q", *args]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600)
    if done.returncode:
        print(f"  {' '.join(args)} failed: {done.stderr.strip()[-300:]}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", default="2500,5000,10000")
    parser.add_argument("--megabytes", type=float, default=9.8)
    parser.add_argument("--thread", default="10,20,40", help="threads of N long stories")
    args = parser.parse_args()
    cases: list[tuple[str, str, list[str] | None]] = [
        (f"{n:,} sentences", long_text(n), None) for n in map(int, args.sentences.split(","))
    ]
    if args.megabytes:
        cases.append((f"{args.megabytes} MB", long_text(0, int(args.megabytes * 1e6)), None))
    for count in map(int, args.thread.split(",") if args.thread else []):
        others = [long_text(200 + n) for n in range(count - 1)]
        cases.append((f"{count} x 200 sentences", long_text(200), others))
    print(f"{'item':>20} {'bytes':>11} {'ingest s':>9} {'build s':>8}")
    for label, body, others in cases:
        with tempfile.TemporaryDirectory() as tmp:
            config = project(Path(tmp), body, others)
            ingest, build = timed(config, "ingest"), timed(config, "build", "--out", tmp)
            size = len(body.encode()) + sum(len(t.encode()) for t in others or [])
            print(f"{label:>20} {size:>11,} {ingest:>9.1f} {build:>8.1f}")


if __name__ == "__main__":
    main()
