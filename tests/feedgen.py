"""Small RSS documents for tests and benchmarks: `rss_feed(title, items)`."""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime
from xml.sax.saxutils import escape


def rss_feed(
    title: str, items: list[tuple[str, str, dt.datetime]], *, encoding: str = "utf-8"
) -> str:
    """An RSS 2.0 document; each item is (title, link, published)."""
    body = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link><guid>{escape(link)}</guid>"
        f"<pubDate>{format_datetime(when)}</pubDate>"
        f"<description>{escape(t)}: the story in one sentence.</description></item>"
        for t, link, when in items
    )
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>https://example.com/</link>{body}</channel></rss>"
    )


def simple_feed(name: str, now: dt.datetime, count: int = 2) -> bytes:
    """`count` items of feed `name`, published in the hour before `now`."""
    items = [
        (f"{name} story {i}", f"https://example.com/{name}/{i}", now - dt.timedelta(minutes=i))
        for i in range(count)
    ]
    return rss_feed(name, items).encode("utf-8")
