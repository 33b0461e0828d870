"""Bytes or a location -> normalized stories: the CPU-bound step, run in a worker pool.

A top-level function of plain arguments so it pickles into a process pool; no I/O
except what a location-reading source (a folder) does itself. What a source logs while
it parses comes back with the result, so the parent process logs it where the user sees it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from digest.errors import SourceError
from digest.models import Story
from digest.sources import source_for_content, source_for_location
from digest.sources.normalize import to_story, to_utc


@dataclass(frozen=True)
class ReadFeed:
    """A feed turned into stories, with the feed's own title."""

    title: str
    stories: tuple[Story, ...]
    #: Ids of the stories whose item had no readable date (their `published` is `now`).
    undated: frozenset[str] = frozenset()
    #: What the source logged while parsing: (logger name, level, message).
    logged: tuple[tuple[str, int, str], ...] = field(default=())

    def relog(self) -> None:
        """Log what the source logged, in this process."""
        for name, level, message in self.logged:
            logging.getLogger(name).log(level, "%s", message)


def read_feed(
    location: str, content: bytes | None, *, kind: str, feed: str, now: dt.datetime
) -> ReadFeed:
    """Parse with the source detected from the content (or `kind`), then normalize.

    `content` None means a location-reading source (a folder) reads `location` itself.
    Raises SourceError naming `location` when nothing can read it.
    """
    with _kept_logs() as logged:
        title, stories, undated = _read(location, content, kind=kind, feed=feed, now=now)
    return ReadFeed(title, stories, undated, tuple(logged))


def _read(
    location: str, content: bytes | None, *, kind: str, feed: str, now: dt.datetime
) -> tuple[str, tuple[Story, ...], frozenset[str]]:
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
    undated = frozenset(
        story.id
        for entry, story in zip(parsed.entries, stories, strict=True)
        if to_utc(entry.published) is None
    )
    return parsed.title, stories, undated


class _Keep(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.kept: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.kept.append((record.name, record.levelno, record.getMessage()))


@contextmanager
def _kept_logs() -> Iterator[list[tuple[str, int, str]]]:
    logger = logging.getLogger("digest.sources")
    keep, propagate = _Keep(), logger.propagate
    logger.addHandler(keep)
    logger.propagate = False
    try:
        yield keep.kept
    finally:
        logger.removeHandler(keep)
        logger.propagate = propagate
