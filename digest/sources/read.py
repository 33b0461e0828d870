"""Bytes or a location -> normalized stories: the CPU-bound step, run in a worker pool.

A top-level function of plain arguments so it pickles into a process pool; no I/O
except what a location-reading source (a folder) does itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from digest.errors import SourceError
from digest.models import Story
from digest.sources import source_for_content, source_for_location
from digest.sources.normalize import to_story


@dataclass(frozen=True)
class ReadFeed:
    """A feed turned into stories, with the feed's own title."""

    title: str
    stories: tuple[Story, ...]


def read_feed(
    location: str, content: bytes | None, *, kind: str, feed: str, now: dt.datetime
) -> ReadFeed:
    """Parse with the source detected from the content (or `kind`), then normalize.

    `content` None means a location-reading source (a folder) reads `location` itself.
    Raises SourceError naming `location` when nothing can read it.
    """
    if content is None:
        source = source_for_location(location, kind)
        if source is None:
            raise SourceError(location, "no source kind reads this location")
    else:
        source = source_for_content(location, content, kind)
    parsed = source.parse(location, content)
    # Relative item links mean the publisher's site: its link, else the document's own URL.
    base = parsed.link if parsed.link.startswith(("http://", "https://")) else location
    stories = tuple(
        to_story(entry, feed=feed, source=feed, base_url=base, now=now) for entry in parsed.entries
    )
    return ReadFeed(parsed.title, stories)
