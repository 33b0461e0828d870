"""Assemble an edition: which threads carry news, in what order, summarized how.

Pure given the store's contents and `now`; it reads the store but writes nothing.
Rendering and delivery come after; see render.py and deliver.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from digest.config import Settings
from digest.edition.safe_text import safe_url
from digest.models import Edition, Segment, Story, Thread
from digest.store import Database
from digest.store.editions import carried_story_ids, editions_for_date, previous_edition_time
from digest.store.feeds import failing_feeds
from digest.store.llm_cache import LlmCache
from digest.store.stories import new_stories
from digest.store.threads import threads_for_stories
from digest.summary.headline import HEADLINE_CHARS, clean_title, shorten
from digest.summary.summarize import Summarizer, load_summarizer
from digest.threads.group import rank_threads


def local_date(settings: Settings, now: dt.datetime) -> dt.date:
    """The newsletter's date at `now`, in its own time zone."""
    return now.astimezone(settings.newsletter.zone).date()


def window_start(
    db: Database, day: dt.date, now: dt.datetime, *, again: bool = False
) -> dt.datetime | None:
    """Stories first seen after this are new for the edition of `day`: the build time of the
    last edition that went out, so a second edition of a day (a later slot, `--force`)
    carries what came since the first.

    `again` re-renders the news of a date's edition that already went out: it looks back
    past that date's own editions.
    """
    same_day = editions_for_date(db, day) if again else []
    before = same_day[0].built - dt.timedelta(seconds=1) if same_day else now
    return previous_edition_time(db, before)


def assemble_edition(
    settings: Settings,
    db: Database,
    now: dt.datetime,
    day: dt.date,
    edition_id: str,
    *,
    again: bool = False,
) -> Edition:
    """Build the edition of `day` from stories that are new since the last edition."""
    fresh = new_stories(db, window_start(db, day, now, again=again), now)
    threads = threads_for_stories(db, (s.id for s in fresh))
    weights = {feed.name: feed.weight for feed in settings.feeds}
    ranked = rank_threads(threads, weights=weights, now=now)
    summary = settings.summary
    summarizer = load_summarizer(summary.summarizer, summary, LlmCache(db, now))
    carried = {t.id: carried_story_ids(db, t.id, day, edition_id) for t in ranked}
    summarizer.prepare([(t, frozenset(carried[t.id])) for t in ranked], summary.budget_words)
    segments = [_segment(settings, summarizer, t, day, carried[t.id]) for t in ranked]
    top = settings.threads.segments
    configured = {feed.name for feed in settings.feeds}
    return Edition(
        id=edition_id,
        date=day,
        built=now,
        segments=tuple(segments[:top]),
        quick_hits=tuple(quick_hit(s) for s in segments[top : top + settings.threads.quick_hits]),
        failing_sources=tuple(
            f for f in failing_feeds(db, settings.fetch.failure_threshold) if f.name in configured
        ),
        quiet=len(fresh) < settings.summary.quiet_threshold,
    )


def _segment(
    settings: Settings,
    summarizer: Summarizer,
    thread: Thread,
    day: dt.date,
    carried: dict[str, str],
) -> Segment:
    first_day = min((dt.date.fromisoformat(d) for d in carried.values()), default=day)
    summary = summarizer.summarize(
        thread.for_summary(),  # bounded work per thread, however many long stories it has
        known_story_ids=frozenset(carried),
        budget_words=settings.summary.budget_words,
    )
    return Segment(thread, summary, day=(day - first_day).days + 1)


def quick_hit(segment: Segment) -> Segment:
    """A quick hit's headline, outlet and link come from one story: the one whose title made
    the headline, put first (the line links the first story with a link); when no title
    made it, the first linkable story's own title becomes the headline."""
    stories = segment.thread.stories
    linkable = [s for s in stories if safe_url(s.url)] or list(stories)
    if not linkable:
        return segment
    outlets = [s.source for s in stories]
    headline = segment.summary.headline
    titled = [s for s in linkable if _headline_of(s, outlets) == headline]
    lead = titled[0] if titled else linkable[0]
    if not titled:
        headline = _headline_of(lead, outlets) or headline
    ordered = (lead, *(s for s in stories if s is not lead))
    return replace(
        segment,
        thread=replace(segment.thread, stories=ordered),
        summary=replace(segment.summary, headline=headline),
    )


def _headline_of(story: Story, outlets: list[str]) -> str:
    return shorten(clean_title(story.title, outlets), HEADLINE_CHARS)


def segment_json(segment: Segment) -> dict[str, Any]:
    """The per-thread shape shared by `digest threads --json` and edition.json."""
    summary = segment.summary
    return {
        "id": segment.thread.id,
        "headline": summary.headline,
        "dek": summary.dek,
        "summary": " ".join(sentence.text for sentence in summary.sentences),
        "developing": segment.developing,
        "day": segment.day,
        "sentences": [
            {"text": s.text, "sources": [{"source": c.source, "url": c.url} for c in s.citations]}
            for s in summary.sentences
        ],
        "disagreements": [d.describe() for d in summary.disagreements],
        "summarizer": summary.written_by,
        "dropped": summary.dropped,
        "tokens": summary.tokens,
        "stories": [story_json(story) for story in segment.thread.stories],
    }


def edition_json(edition: Edition, subject: str) -> dict[str, Any]:
    return {
        "id": edition.id,
        "date": edition.date.isoformat(),
        "built": edition.built.isoformat(),
        "subject": subject,
        "quiet": edition.quiet,
        "threads": [segment_json(s) for s in edition.segments],
        "quick_hits": [segment_json(s) for s in edition.quick_hits],
        "failing_sources": [
            {"name": f.name, "url": f.url, "error": f.error} for f in edition.failing_sources
        ],
    }


def story_json(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "title": story.title,
        "url": story.url,
        "source": story.source,
        "published": story.published.isoformat(),
        "sources": [{"name": s.name, "url": s.url} for s in story.all_sources()],
    }
