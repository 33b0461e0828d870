"""RSS 0.9x/1.0/2.0, RDF and Atom 0.3/1.0, parsed by feedparser from bytes.

Detection is from the content (a root element named rss, feed or RDF), never the URL.
Fetching is not done here: feedparser only ever sees bytes we already hold.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any, ClassVar

import feedparser

from digest.errors import SourceError
from digest.sources import Entry, ParsedFeed
from digest.sources.dates import parse_foreign_date

feedparser.registerDateHandler(parse_foreign_date)

_ROOT = re.compile(rb"<(?:[\w-]+:)?(rss|feed|rdf|channel)\b", re.IGNORECASE)
_DECLARED = re.compile(rb"""^(\s*<\?xml[^>]*encoding=["'])([\w.:-]+)(["'])""", re.IGNORECASE)
_SINGLE_BYTE = re.compile(rb"^(iso-8859-\d+|latin-?1|windows-125\d|cp125\d|us-ascii|ascii)$", re.I)


class RssSource:
    """The feedparser-backed reader of every XML feed format."""

    kind: ClassVar[str] = "rss"
    reads_location: ClassVar[bool] = False

    def sniff(self, location: str, content: bytes | None) -> bool:
        if content is None:
            return False
        head = _head_text(content)
        return bool(_ROOT.search(head)) and not head.lstrip().startswith(b"{")

    def parse(self, location: str, content: bytes | None) -> ParsedFeed:
        data = fix_declared_encoding(content or b"")
        # No base URL given: relative links stay relative and normalization resolves them
        # against the site's link, whether the feed came from a file or over HTTP. No
        # sanitizing either: we keep no HTML, and html_to_text drops active content itself.
        parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
        if not parsed.entries and parsed.get("bozo"):
            # Broken XML that yielded nothing (a title perhaps) is a failing feed, not an empty one.
            reason = parsed.get("bozo_exception") or "unreadable XML"
            raise SourceError(location, f"is not a readable feed: {reason}")
        entries = tuple(_entry(e) for e in parsed.entries)
        return ParsedFeed(entries, str(parsed.feed.get("title", "")), parsed.feed.get("link", ""))


def fix_declared_encoding(content: bytes) -> bytes:
    """Bytes that are valid, non-ASCII UTF-8 but declare a single-byte charset are UTF-8."""
    match = _DECLARED.match(content[:200])
    if not match or not _SINGLE_BYTE.match(match.group(2)) or content.isascii():
        return content
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return content
    return _DECLARED.sub(rb"\1utf-8\3", content, count=1)


# How the first character "<" (or a byte order mark) looks in each wide encoding: XML 1.0
# appendix F's autodetection, which feedparser does too.
_WIDE = (
    ((b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\x00<", b"<\x00\x00\x00"), "utf-32"),
    ((b"\xfe\xff", b"\xff\xfe"), "utf-16"),
    ((b"\x00<",), "utf-16-be"),
    ((b"<\x00",), "utf-16-le"),
)


def _head_text(content: bytes) -> bytes:
    head = content[:4096]
    for marks, encoding in _WIDE:
        if head.startswith(marks):
            if encoding == "utf-32" and head.startswith((b"\x00\x00\x00<", b"<\x00\x00\x00")):
                encoding += "-be" if head[0] == 0 else "-le"
            head = content[:16384].decode(encoding, errors="ignore").encode("utf-8")
            break
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")


def _entry(e: Any) -> Entry:
    content, is_html = _body(e)
    return Entry(
        guid=str(e.get("id", "") or ""),
        url=str(e.get("link", "") or ""),
        title=str(e.get("title", "") or ""),
        published=_date(e),
        author=str(e.get("author", "") or ""),
        content=content,
        html=is_html,
        summary=str(e.get("summary", "") or "") if content else "",
        image=_image(e),
    )


def _body(e: Any) -> tuple[str, bool]:
    """The richest body: content (HTML preferred) else the summary."""
    contents = e.get("content") or []
    ranked = sorted(contents, key=lambda c: "html" not in str(c.get("type", "")))
    for item in ranked:
        if str(item.get("value", "")).strip():
            return str(item["value"]), "plain" not in str(item.get("type", "html"))
    summary_type = str((e.get("summary_detail") or {}).get("type", "text/html"))
    return str(e.get("summary", "") or ""), "plain" not in summary_type


def _date(e: Any) -> dt.datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = dict.get(e, key)  # plain lookup: skips feedparser's deprecated key aliasing
        if value:
            try:
                return dt.datetime.fromtimestamp(calendar.timegm(value), dt.UTC)
            except (OverflowError, ValueError, OSError):
                continue
    return None


def _image(e: Any) -> str:
    for media in (*(e.get("media_thumbnail") or ()), *(e.get("media_content") or ())):
        if media.get("url") and str(media.get("medium", "image")) == "image":
            return str(media["url"])
    for link in e.get("links") or ():
        if link.get("rel") == "enclosure" and str(link.get("type", "")).startswith("image/"):
            return str(link.get("href", ""))
    return ""
