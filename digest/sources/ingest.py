"""The ingest stage: every enabled feed fetched concurrently, parsed, normalized and stored.

Each feed runs in its own error boundary (rss2email's lesson): a failure is recorded in
the feed's health with its URL and reason, and the run goes on. Parsing runs in a
process pool, so both cores work and a parser that crashes or hangs costs only its feed.
No grouping happens here.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, TypeVar

from digest.config import Feed, Settings
from digest.errors import SourceError, StoreError
from digest.models import Story
from digest.sources import source_for_location
from digest.sources.addresses import Resolver, resolve_host
from digest.sources.fetch import FeedGoneError, Fetched, Fetcher
from digest.sources.fulltext import full_texts
from digest.sources.local import is_http, local_path, read_local_feed
from digest.sources.parse_pool import ParsePool
from digest.sources.progress import Reporter, reporter
from digest.sources.read import ReadFeed, read_feed
from digest.store.db import Database
from digest.store.feeds import FeedState, load_state, prune_feeds, record_failure, record_success
from digest.store.stories import save_stories, set_story_text

log = logging.getLogger("digest.sources.ingest")
_NAMED_FAILURES = 5
T = TypeVar("T")


@dataclass(frozen=True)
class FeedResult:
    """What happened to one feed in one ingest."""

    name: str
    url: str
    new: int = 0
    #: The readable reason it failed ("https://...: HTTP 404 Not Found"), None on success.
    error: str | None = None
    not_modified: bool = False


@dataclass(frozen=True)
class IngestReport:
    results: tuple[FeedResult, ...]

    @property
    def new(self) -> int:
        return sum(r.new for r in self.results)

    @property
    def failed(self) -> tuple[FeedResult, ...]:
        return tuple(r for r in self.results if r.error)

    def summary(self, *, every_failure: bool = False) -> str:
        """One line: "Ingested 12 feeds: 30 new stories, 4 unchanged, 1 failed (Name)."

        Past a few failed feeds it names the first ones and counts the rest, unless
        `every_failure` (`-v`); each failure was logged with its reason as it happened.
        """
        unchanged = sum(r.not_modified for r in self.results)
        line = f"Ingested {len(self.results)} feeds: {self.new} new stories, {unchanged} unchanged"
        if self.failed:
            names = [r.name for r in self.failed]
            shown = names if every_failure else names[:_NAMED_FAILURES]
            more = len(names) - len(shown)
            rest = f" and {more} more; -v names them all" if more else ""
            line += f", {len(names)} failed ({', '.join(shown)}{rest})"
        return line + "."


def ingest(
    settings: Settings,
    db: Database,
    now: dt.datetime,
    *,
    progress: bool = False,
    backoff: float = 1.0,
    max_retry_wait: float = 30.0,
    resolve: Resolver = resolve_host,
) -> IngestReport:
    """Fetch every enabled feed into the store; `backoff` and `max_retry_wait` in seconds,
    `resolve` the host resolution that the redirect rule (addresses.py) judges by."""
    prune_feeds(db, [f.name for f in settings.feeds])
    feeds = [f for f in settings.feeds if f.enabled]
    run = _IngestRun(settings, db, now)
    fetching = partial(Fetcher, settings.fetch, backoff=backoff, max_retry_wait=max_retry_wait)
    return asyncio.run(run.all(feeds, progress, partial(fetching, resolve=resolve)))


class _IngestRun:
    def __init__(self, settings: Settings, db: Database, now: dt.datetime) -> None:
        self.settings, self.db, self.now = settings, db, now
        self.pool = ParsePool(min(4, os.cpu_count() or 1), settings.fetch.parse_timeout)
        # Every store call runs on this one thread, in turn: SQLite works there while the
        # event loop goes on fetching (a feed's 50 inserts used to stop all fetching).
        self._store_thread = ThreadPoolExecutor(1, thread_name_prefix="digest-store")

    async def all(
        self, feeds: list[Feed], progress: bool, fetching: Callable[[], Fetcher]
    ) -> IngestReport:
        try:
            async with self.pool, fetching() as f:
                with reporter(len(feeds), progress) as report:
                    tasks = [self.one(f, feed, report) for feed in feeds]
                    results = await asyncio.gather(*tasks)
        finally:
            self._store_thread.shutdown(wait=True, cancel_futures=True)
        return IngestReport(tuple(results))

    async def _store(self, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`call(db, *args, **kwargs)` on the store's thread."""
        job = partial(call, self.db, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._store_thread, job)

    async def one(self, fetcher: Fetcher, feed: Feed, report: Reporter) -> FeedResult:
        report.started(feed.name)
        state = await self._store(load_state, feed.name, feed.url)
        result = await self._guarded(fetcher, feed, state)
        report.finished(result.name, result.error)
        return result

    async def _guarded(self, fetcher: Fetcher, feed: Feed, state: FeedState) -> FeedResult:
        if state.disabled:
            return FeedResult(feed.name, state.url, error=f"{state.url}: {state.disabled}")
        try:
            return await self._ingest(fetcher, feed, state)
        except sqlite3.Error as e:  # the store's trouble (a full disk), not the feed's: stop
            where = self.settings.resolve(self.settings.store.path)
            raise StoreError(f"the store {where} could not be written ({e})") from e
        except SourceError as e:
            gone = isinstance(e, FeedGoneError)
            await self._store(record_failure, feed.name, self.now, str(e), disable=gone)
            return FeedResult(feed.name, state.url, error=str(e))
        except Exception as e:  # one broken feed must never stop the others
            log.exception("unexpected error ingesting %s", feed.name)
            error = f"{state.url}: unexpected {type(e).__name__}: {e}"
            await self._store(record_failure, feed.name, self.now, error)
            return FeedResult(feed.name, state.url, error=error)

    async def _ingest(self, fetcher: Fetcher, feed: Feed, state: FeedState) -> FeedResult:
        fetched = Fetched(state.url, None)
        content: bytes | None
        if is_http(state.url):
            fetched = await fetcher.fetch(state.url, state.etag, state.last_modified)
            if fetched.content is None:  # 304: the validators we sent stay valid
                etag = fetched.etag or state.etag
                lm = fetched.last_modified or state.last_modified
                await self._success(feed, replace(fetched, etag=etag, last_modified=lm), None)
                return FeedResult(feed.name, state.url, not_modified=True)
            location, content = fetched.url, fetched.content
        else:
            location, content = self._local(feed, state.url)
        read = await self._parse(location, content, feed)
        read.relog()
        counts_as_new = self._first_contact(feed, state, read.undated)
        new = await self._store(save_stories, read.stories, counts_as_new=counts_as_new)
        if feed.full_text and new:
            for story_id, text in await full_texts(fetcher, new):
                await self._store(set_story_text, story_id, text)
        await self._success(feed, fetched, read)
        log.info("%s: %d new of %d items", feed.name, len(new), len(read.stories))
        return FeedResult(feed.name, fetched.moved_to or state.url, new=len(new))

    async def _success(self, feed: Feed, fetched: Fetched, read: ReadFeed | None) -> None:
        """Record a fetch that worked; `read` None for a 304 (counts stay as they were)."""
        await self._store(
            record_success,
            feed.name,
            self.now,
            etag=fetched.etag,
            last_modified=fetched.last_modified,
            item_count=len(read.stories) if read else None,
            undated=len(read.undated) if read else None,
            moved_to=fetched.moved_to,
            title=read.title if read else "",
        )

    def _local(self, feed: Feed, url: str) -> tuple[str, bytes | None]:
        """A folder (read by its source) or a local feed file (read here, size-capped)."""
        path = self.settings.resolve(str(local_path(url)))
        if source_for_location(str(path), feed.kind) is not None:
            return str(path), None
        return path.as_uri(), read_local_feed(path, self.settings.fetch.max_bytes, url)

    async def _parse(self, location: str, content: bytes | None, feed: Feed) -> ReadFeed:
        job = partial(read_feed, location, content, kind=feed.kind, feed=feed.name, now=self.now)
        return await self.pool.run(job, location)

    def _first_contact(self, feed: Feed, state: FeedState, undated: frozenset[str]) -> _CountsAsNew:
        days = feed.first_contact_days
        if days is None:
            days = self.settings.fetch.first_contact_days
        if not state.never_fetched or days == "all":
            return _CountsAsNew(None)
        return _CountsAsNew(self.now - dt.timedelta(days=days), undated)


@dataclass(frozen=True)
class _CountsAsNew:
    """On a feed's first fetch only items published after `cutoff` count as new: an item
    without a readable date is taken as back catalogue (its `published` is only the fetch
    time). Later, any item counts as new when first seen."""

    cutoff: dt.datetime | None
    undated: frozenset[str] = frozenset()

    def __call__(self, story: Story) -> bool:
        if self.cutoff is None:
            return True
        return story.id not in self.undated and story.published >= self.cutoff
