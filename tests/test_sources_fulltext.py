"""`full_text = true`: a teaser-only feed's new items get their page's article."""

from __future__ import annotations

import datetime as dt
from typing import Any

from digest.sources.ingest import ingest
from digest.store import Database
from digest.store.stories import new_stories
from tests import httpserver
from tests.feedgen import rss_feed
from tests.httpserver import HttpServer, Reply

BODY = " ".join(
    ["The harbour strike ended after nine days of talks between the union and the port."] * 4
)
PAGE = f"""<html><head><title>Strike ends</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Strike ends</h1><p>{BODY}</p><p>Shipping lines expect the backlog to clear within a
week, and retailers who had warned of thin shelves before the holidays said they were relieved.</p>
</article>
<aside>Subscribe to our newsletter!</aside><footer>© Example</footer></body></html>"""

http_server = httpserver.http_server  # the fixture, for this module's tests


def test_full_text_replaces_the_teaser(
    make_config: Any, http_server: HttpServer, now: dt.datetime
) -> None:
    page_url = http_server.route("/strike", Reply(body=PAGE.encode(), content_type="text/html"))
    feed = rss_feed("Teasers", [("Strike ends", page_url, now)])
    url = http_server.route("/feed.xml", Reply(body=feed.encode()))
    settings = make_config(feeds=[{"name": "T", "url": url, "full_text": True}])
    with Database(settings.resolve(settings.store.path)) as db:
        ingest(settings, db, now)
        [story] = new_stories(db, None, now)
    assert story.text.startswith("The harbour strike ended")
    assert "Subscribe" not in story.text and "Home" not in story.text
    assert story.text.endswith("said they were relieved.")
