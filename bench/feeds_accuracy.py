"""Parsing accuracy: our titles, links and dates vs the expected parses shipped with feed-rs
(`*.serde.json`) and rss-parser (`test/output/*.json`) under ../shared/data/feeds.

    .venv/bin/python bench/feeds_accuracy.py [-v]

A date the reference parser left empty that digest reads ("Seg, 24 Set 2018", a 12-hour
clock) counts as agreeing and is counted on its own line; `-v` shows each, to check by eye.

Entries are matched by position. Titles compare after whitespace collapsing and tag removal,
links after canonicalization of both sides, dates as instants (a missing date must stay missing).
"""

from __future__ import annotations

import argparse
import datetime as dt
import email.utils
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "data" / "feeds"

from digest.errors import SourceError  # noqa: E402
from digest.sources.normalize import canonical_url, plain_line  # noqa: E402
from digest.sources.read import read_feed  # noqa: E402

NOW = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # a "first seen" no real entry has


def expected_feed_rs(path: Path) -> list[tuple[str, str, dt.datetime | None]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for e in data.get("entries", []):
        title = (e.get("title") or {}).get("content") or ""
        link = (e.get("links") or [{}])[0].get("href") or ""
        when = e.get("published") or e.get("updated")
        out.append(
            (title, link, dt.datetime.fromisoformat(when.replace("Z", "+00:00")) if when else None)
        )
    return out


def expected_rss_parser(path: Path) -> list[tuple[str, str, dt.datetime | None]]:
    raw = path.read_bytes()
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:  # one expected file is stored in Latin-1
        data = json.loads(raw.decode("latin-1"))
    out = []
    for item in data.get("feed", {}).get("items", []):
        when = item.get("isoDate") or item.get("pubDate")
        out.append((item.get("title") or "", item.get("link") or "", _date(when)))
    return out


def _date(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            return email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None


def _same_second(a: dt.datetime, b: dt.datetime) -> bool:
    """feedparser keeps whole seconds; an expected .001 s is the same instant to a reader."""
    return a.replace(microsecond=0) == b.replace(microsecond=0)


def pairs() -> list[tuple[Path, Path, Any]]:
    found = []
    for twin in sorted(CORPUS.glob("feed-rs/**/*.serde.json")):
        stem = twin.name.removesuffix(".serde.json")
        inputs = [p for p in twin.parent.glob(stem + ".*") if not p.name.endswith(".serde.json")]
        if inputs:
            found.append((inputs[0], twin, expected_feed_rs))
    for twin in sorted(CORPUS.glob("rss-parser/**/test/output/*.json")):
        inputs = list((twin.parent.parent / "input").glob(twin.stem + ".*"))
        if inputs:
            found.append((inputs[0], twin, expected_rss_parser))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="name every disagreement")
    verbose = parser.parse_args().verbose
    if not CORPUS.is_dir():
        sys.exit(f"{CORPUS} is absent: nothing to measure")
    agree = {"title": 0, "link": 0, "date": 0}
    total = 0
    read_more = 0  # dates the reference left empty that we read (foreign month names, ...)
    for source, twin, expected_of in pairs():
        expected = expected_of(twin)
        try:
            stories = read_feed(
                source.as_uri(), source.read_bytes(), kind="", feed="f", now=NOW
            ).stories
        except SourceError:
            stories = ()
        for i, (title, link, when) in enumerate(expected):
            total += 1
            got = stories[i] if i < len(stories) else None
            checks = {
                "title": got is not None and got.title == plain_line(title),
                "link": got is not None and got.url == canonical_url(link, got.url),
                "date": got is not None
                and ((got.published == NOW) if when is None else _same_second(got.published, when)),
            }
            if when is None and got is not None and got.published != NOW:
                read_more += 1
                checks["date"] = True
                if verbose:
                    print(f"{source.relative_to(CORPUS)}[{i}] date: read {got.published}")
            for key, ok in checks.items():
                agree[key] += ok
                if verbose and not ok:
                    print(f"{source.relative_to(CORPUS)}[{i}] {key}: expected", title, link, when)
    print(f"entries: {total} from {len(pairs())} feeds")
    for key, n in agree.items():
        print(f"{key}: {n / total:.1%} agree")
    print(f"overall (titles, links and dates): {sum(agree.values()) / (3 * total):.1%}")
    print(
        f"dates the reference parser left empty and digest read (counted as agreeing): {read_more}"
    )


if __name__ == "__main__":
    main()
