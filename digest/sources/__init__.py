"""Source kinds: the `Source` protocol, the raw `Entry` a source yields, and the registry.

Built-ins (rss, jsonfeed, folder) register through the `digest.sources` entry-point group
exactly like third-party kinds. Sources only parse; fetching, normalizing into `Story`
and storing happen in `digest.sources.ingest`. See docs/sources.md for writing one.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from functools import cache
from typing import ClassVar, Protocol, runtime_checkable

from digest.errors import SourceError
from digest.plugins import load_plugins

log = logging.getLogger("digest.sources")
GROUP = "digest.sources"


@dataclass(frozen=True)
class Entry:
    """One item as a source read it, before normalization (ids, URLs, text) into a Story."""

    #: The source's own identifier (RSS guid, Atom id, JSON Feed id); "" when none.
    guid: str = ""
    #: The article's link, absolute or relative to the feed's URL.
    url: str = ""
    title: str = ""
    #: Publication time (tz-aware); None when the source gave none.
    published: dt.datetime | None = None
    author: str = ""
    #: The body: HTML when `html` is True, else plain text.
    content: str = ""
    html: bool = True
    #: A teaser used when there is no body.
    summary: str = ""
    #: The standfirst / subtitle, plain text.
    dek: str = ""
    #: An illustrating image URL.
    image: str = ""
    #: The outlet's display name when the entry names one (else the feed's name is used).
    source: str = ""


@dataclass(frozen=True)
class ParsedFeed:
    """What a source returns: the feed's title and site link (may be empty) and its entries."""

    entries: tuple[Entry, ...]
    title: str = ""
    link: str = ""


@runtime_checkable
class Source(Protocol):
    """A kind of source.

    When `reads_location` is False, digest fetches the feed's URL (HTTP or a local file)
    and calls `parse(url, content)` with the bytes; `sniff` says from the content whether
    this kind can read it. When True, the source reads the location itself (a folder, an
    API) and is called with `content=None`; `sniff(location, None)` says whether it claims it.
    """

    kind: ClassVar[str]
    reads_location: ClassVar[bool]

    def sniff(self, location: str, content: bytes | None) -> bool: ...

    def parse(self, location: str, content: bytes | None) -> ParsedFeed: ...


@cache
def registry() -> dict[str, Source]:
    """Every installed source kind by name, built-ins first; a broken plug-in is logged."""
    return load_plugins(GROUP, {cls.kind: cls for cls in _builtins()}, Source)


def _builtins() -> list[type[Source]]:
    # Also registered as entry points; listed here so an uninstalled checkout still works.
    from digest.sources.folder import FolderSource
    from digest.sources.jsonfeed import JsonFeedSource
    from digest.sources.rss import RssSource

    return [FolderSource, JsonFeedSource, RssSource]


def source_for_location(location: str, kind: str = "") -> Source | None:
    """The source that reads `location` itself (a folder...), or None when it must be fetched."""
    if kind:
        source = get_source(location, kind)
        return source if source.reads_location else None
    for source in registry().values():
        if source.reads_location and source.sniff(location, None):
            return source
    return None


def source_for_content(location: str, content: bytes, kind: str = "") -> Source:
    """The source that reads these bytes, detected from the content, never from the URL."""
    if kind:
        return get_source(location, kind)
    for source in registry().values():
        if not source.reads_location and source.sniff(location, content):
            return source
    if looks_like_html(content):
        raise SourceError(
            location, "is a web page, not a feed (try `digest feeds add` to discover its feed)"
        )
    raise SourceError(location, "is not a feed digest can read (RSS, Atom, RDF or JSON Feed)")


def get_source(location: str, kind: str) -> Source:
    try:
        return registry()[kind]
    except KeyError:
        known = ", ".join(sorted(registry()))
        raise SourceError(location, f"unknown source kind {kind!r} (installed: {known})") from None


def looks_like_html(content: bytes) -> bool:
    head = content[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html")) or (
        b"<html" in head and b"<rss" not in head and b"<feed" not in head
    )
