"""`digest feeds add | list | remove | check | import | export`: the logic behind the commands.

Feed definitions live in `feeds/*.toml` beside the config; `add` and `import` write one
file per feed (`feeds/<slug>.toml`). Health comes from the store; nothing here parses feeds
beyond validating one by reading it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import tomllib
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin
from xml.sax.saxutils import quoteattr

import tomli_w
import tomlkit
from tomlkit.items import AoT, Comment, Whitespace

from digest.config import Feed, Settings
from digest.errors import DigestError, SourceError
from digest.sources import looks_like_html, source_for_location
from digest.sources.fetch import Fetcher
from digest.sources.local import is_http, local_path, read_local_feed
from digest.sources.read import read_feed
from digest.store import open_store
from digest.store.feeds import FeedState, feed_health
from digest.text.slug import slug

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")


def add_feed(settings: Settings, url: str, *, name: str | None = None, now: dt.datetime) -> Feed:
    """Find the feed (a feed URL, a page linking one, or a local file or folder), check it
    parses, write it to feeds/. A relative path is taken from the current folder."""
    if is_http(url):
        feed_url, title = asyncio.run(_discover(settings, url, now))
    elif "://" in url and not url.startswith("file://"):
        raise DigestError(f"{url}: not an http(s) URL, nor a local file or folder")
    else:
        feed_url, title = _local_feed(settings, url, now)
    feed = Feed.model_validate({"name": name or title or feed_url, "url": feed_url})
    same = next((f for f in settings.feeds if f.url in (feed_url, url)), None)
    if same is not None:
        raise DigestError(f"{feed_url} is already configured, as the feed {same.name!r}")
    if feed.name in {f.name for f in settings.feeds}:
        raise DigestError(
            f"{feed_url}: a feed named {feed.name!r} already exists (choose another with --name)"
        )
    _write(settings, [feed])
    return feed


async def _discover(settings: Settings, url: str, now: dt.datetime) -> tuple[str, str]:
    async with Fetcher(settings.fetch) as fetcher:
        fetched = await fetcher.fetch(url)
        content = fetched.content or b""
        if looks_like_html(content):
            links = feed_links(content.decode("utf-8", errors="replace"), fetched.url)
            if not links:
                raise SourceError(url, "is a web page that links no feed (no <link rel=alternate>)")
            url = links[0]
            content = (await fetcher.fetch(url)).content or b""
    read = read_feed(url, content, kind="", feed="", now=now)
    return url, read.title.strip()


def _local_feed(settings: Settings, url: str, now: dt.datetime) -> tuple[str, str]:
    """A local feed file or folder: its absolute path, and its title once read."""
    path = local_path(url).absolute()
    if source_for_location(str(path)) is not None:
        return str(path), read_feed(str(path), None, kind="", feed="", now=now).title.strip()
    content = read_local_feed(path, settings.fetch.max_bytes, str(path))
    return str(path), read_feed(str(path), content, kind="", feed="", now=now).title.strip()


class _LinkFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        alternate = tag == "link" and "alternate" in a.get("rel", "").lower().split()
        if alternate and a.get("type", "").lower() in _FEED_TYPES and a.get("href"):
            self.found.append(a["href"])


def feed_links(page: str, base: str) -> list[str]:
    """The feeds a page advertises with <link rel="alternate" type="...">, absolute."""
    finder = _LinkFinder()
    finder.feed(page)
    return [urljoin(base, href) for href in finder.found]


def list_feeds(settings: Settings) -> str:
    if not settings.feeds:
        return "No feeds configured. Add one with `digest feeds add URL`."
    width = max(len(f.name) for f in settings.feeds)
    lines = []
    for f in settings.feeds:
        flags = "" if f.enabled else "  (disabled)"
        lines.append(f"{f.name:<{width}}  {f.url}{flags}")
    return "\n".join(lines)


def remove_feed(settings: Settings, name: str) -> str:
    """Delete the feed's `[[feeds]]` block from whichever feeds/*.toml holds it.

    Only that block's lines go: the file's comments and other feeds stay as written. A file
    left with no feed is deleted, and the message says so.
    """
    for path in sorted(settings.feeds_dir.glob("*.toml")):
        text = path.read_bytes().decode("utf-8")  # as written: CRLF files stay CRLF
        rest = _without_feed(text, name)
        if rest is None:
            continue
        if tomllib.loads(rest).get("feeds") or set(tomllib.loads(rest)) - {"feeds"}:
            path.write_bytes(rest.encode("utf-8"))
            return f"Removed {name} from {path.name}."
        path.unlink()
        return f"Removed {name}: {path.name} held no other feed and was deleted."
    if name in {f.name for f in settings.feeds}:
        raise DigestError(f"feed {name!r} is defined in the config file; remove it there")
    raise DigestError(f"no feed named {name!r} (see `digest feeds list`)")


_TRIVIA = (Comment, Whitespace)


def _without_feed(text: str, name: str) -> str | None:
    """The file's text without the feed `name` (None when it has no such feed); tomlkit keeps
    every other line as written. Comments just above the next table belong to that table,
    though tomlkit files them at the end of the removed one: they are moved back."""
    doc = tomlkit.parse(text)
    feeds = doc.get("feeds")
    found = (i for i, feed in enumerate(feeds or []) if feed.get("name") == name)
    index = next(found, None)
    if feeds is None or index is None:
        return None
    if isinstance(feeds, AoT):
        body = feeds.body[index].value.body
        cut = len(body)
        while (
            cut and body[cut - 1][0] is None and isinstance(body[cut - 1][1], Comment | Whitespace)
        ):
            cut -= 1
        tail = body[cut:]
        del body[cut:]
        if index:
            feeds.body[index - 1].value.body.extend(tail)
        else:  # before the first table: into the document, just above the array
            at = next(i for i, (key, _) in enumerate(doc.body) if key and key.key == "feeds")
            doc.body[at:at] = tail
    del feeds[index]
    return tomlkit.dumps(doc)


def check_feeds(settings: Settings, now: dt.datetime) -> str:
    """A table of each configured feed's health from the store."""
    with open_store(settings) as db:
        health = {h.name: h for h in feed_health(db)}
    rows = [("FEED", "LAST SUCCESS", "FAILS", "ITEMS", "LAST ERROR")]
    for feed in settings.feeds:
        h = health.get(feed.name)
        if h is None:
            rows.append((feed.name, "never fetched", "0", "0", ""))
            continue
        fails, items = str(h.consecutive_failures), str(h.item_count)
        rows.append((feed.name, _ago(h.last_success, now), fails, items, _note(h)))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(r[:4], widths, strict=True)) + "  " + r[4]
        for r in rows
    ).rstrip()


def _note(h: FeedState) -> str:
    return h.disabled or h.last_error or h.dates_note


def _ago(stamp: str, now: dt.datetime) -> str:
    if not stamp:
        return "never"
    hours = (now - dt.datetime.fromisoformat(stamp)).total_seconds() / 3600
    return f"{hours:.0f} h ago" if hours < 48 else f"{hours / 24:.0f} days ago"


def import_opml(settings: Settings, path: Path) -> str:
    """Add every feed outline (xmlUrl) of an OPML file; names or URLs already used are skipped."""
    try:
        root = ET.fromstring(path.read_bytes())  # noqa: S314 - a local file the user chose
    except ET.ParseError as e:
        raise DigestError(f"{path} is not valid OPML: {e}") from e
    taken = {f.name for f in settings.feeds}
    known = {f.url for f in settings.feeds}
    added: list[Feed] = []
    for outline in root.iter("outline"):
        url = outline.get("xmlUrl", "").strip()
        name = (outline.get("title") or outline.get("text") or url).strip()
        if url and name not in taken and url not in known:
            added.append(Feed.model_validate({"name": name, "url": url}))
            taken.add(name)
            known.add(url)
    _write(settings, added)
    return f"Imported {len(added)} feed(s) from {path.name} into {settings.feeds_dir}."


def export_opml(settings: Settings) -> str:
    """The configured feeds as an OPML 2.0 document."""
    outlines = "\n".join(
        f'    <outline type="rss" text={quoteattr(f.name)} title={quoteattr(f.name)} '
        f"xmlUrl={quoteattr(f.url)}/>"
        for f in settings.feeds
    )
    title = quoteattr(settings.newsletter.name)[1:-1]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">\n'
        f"  <head><title>{title} feeds</title></head>\n  <body>\n{outlines}\n  </body>\n</opml>"
    )


def _write(settings: Settings, feeds: list[Feed]) -> None:
    settings.feeds_dir.mkdir(parents=True, exist_ok=True)
    for feed in feeds:
        path = _free_path(settings.feeds_dir, slug(feed.name, empty="feed"))
        entry = tomli_w.dumps({"name": feed.name, "url": feed.url})
        path.write_text(f"[[feeds]]\n{entry}", encoding="utf-8")  # the form people edit


def _free_path(folder: Path, slug: str) -> Path:
    path, n = folder / f"{slug}.toml", 2
    while path.exists():
        path, n = folder / f"{slug}-{n}.toml", n + 1
    return path
