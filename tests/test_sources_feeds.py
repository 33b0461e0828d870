"""Each feed under tests/data/feeds/ parses to its expected twin, read from a file and over HTTP.

Regenerate the twins after a deliberate change with
`DIGEST_REGEN=1 pytest tests/test_sources_feeds.py` and review the diff.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

from digest.sources.ingest import ingest
from digest.store import Database
from digest.store.stories import stories_published_between
from tests import httpserver
from tests.httpserver import HttpServer, Reply

DATA = Path(__file__).parent / "data" / "feeds"
INPUTS = sorted(
    p for p in DATA.iterdir() if p.suffix in (".xml", ".json") and ".expected" not in p.name
)

http_server = httpserver.http_server  # the fixture, for this module's tests


def _served(how: str, path: Path, server: HttpServer) -> str:
    if how == "file":
        return str(path)
    return server.route(f"/{path.name}", Reply(body=path.read_bytes(), content_type="text/xml"))


def _as_expected(stories: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "title": s.title,
            "url": s.url,
            "published": s.published.isoformat(),
            "author": s.author,
            "dek": s.dek,
            "text": s.text,
            "image": s.image.url if s.image else "",
        }
        for s in sorted(stories, key=lambda s: (s.published, s.title))
    ]


@pytest.mark.parametrize("how", ["file", "http"])
@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_parse(
    path: Path, how: str, make_config: Any, http_server: HttpServer, now: dt.datetime
) -> None:
    url = _served(how, path, http_server)
    settings = make_config(feeds=[{"name": "Fixture", "url": url, "first_contact_days": "all"}])
    with Database(settings.resolve(settings.store.path)) as db:
        report = ingest(settings, db, now)
        stories = stories_published_between(db, None, None)
    assert report.failed == ()
    got = _as_expected(stories)
    twin = path.with_name(path.stem + ".expected.json")
    if os.environ.get("DIGEST_REGEN") and how == "file":
        twin.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert got == json.loads(twin.read_text(encoding="utf-8"))


def test_hostile_feed_yields_only_inert_text(make_config: Any, now: dt.datetime) -> None:
    settings = make_config(feeds=[{"name": "Hostile", "url": str(DATA / "hostile.xml")}])
    with Database(settings.resolve(settings.store.path)) as db:
        ingest(settings, db, now)
        stories = stories_published_between(db, None, None)
    assert len(stories) == 5
    texts = "\n".join(f"{s.title}\n{s.dek}\n{s.text}" for s in stories).lower()
    for active in ("<", "alert(", "document.cookie", "onerror", "onclick", "display:none"):
        assert active not in texts
    urls = [s.url for s in stories] + [s.image.url for s in stories if s.image]
    assert all(u.startswith("https://") for u in urls if u) and "" in urls  # javascript: dropped
    # Jinja syntax is kept as literal text: templates escape data and never evaluate it.
    assert any("{{ config.items() }}" in s.title for s in stories)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le"])
def test_wide_encodings_are_recognized_as_feeds(encoding: str, now: dt.datetime) -> None:
    from digest.sources.read import read_feed
    from tests.feedgen import rss_feed

    text = rss_feed("Wide", [("Zürich wins", "https://e.example/1", now)], encoding=encoding)
    read = read_feed("wide.xml", text.encode(encoding), kind="", feed="W", now=now)
    assert [s.title for s in read.stories] == ["Zürich wins"]
