"""`digest threads`: the threads of the next edition's window, or of a window of publication
dates, largest first, as text or JSON.

Shows what grouping decided, so users can see which stories were put together: the words
they share, and for a thread continued across days its earlier stories and its day.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from digest.config import Settings
from digest.edition.assemble import segment_json, story_json
from digest.models import Segment, Story, Thread
from digest.store.db import Database
from digest.summary.summarize import Summarizer, load_summarizer
from digest.text.terms import STOP_WORDS
from digest.threads.growing import by_time


def format_threads(
    settings: Settings,
    since: dt.date | None,
    until: dt.date | None,
    *,
    as_json: bool,
    now: dt.datetime | None = None,
) -> str:
    """The threads of a window of publication dates; with no dates, of the next edition's
    window (stories first seen since the last edition). Largest threads first."""
    from digest.clock import now as clock_now
    from digest.store import open_store
    from digest.store.llm_cache import LlmCache
    from digest.store.threads import threads_for_stories, threads_in_window

    moment = now or clock_now()
    zone = settings.newsletter.zone
    start = dt.datetime.combine(since, dt.time(), zone) if since else None
    end = None
    if until and until < dt.date.max:
        end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), zone)
    with open_store(settings) as db:
        if since or until:
            windowed = threads_in_window(db, start, end)
        else:
            windowed, start = _next_edition(settings, db, moment)
        whole = threads_for_stories(db, [s.id for t in windowed for s in t.stories])
        full = {t.id: t for t in whole}
        # A language model's answers are kept, as for editions: asking again costs nothing.
        cache = LlmCache(db, moment)
        summarizer = load_summarizer(settings.summary.summarizer, settings.summary, cache)
        windowed.sort(key=lambda t: (-len(t.stories), -t.updated.timestamp(), t.id))
        views = [_view(settings, summarizer, t, full.get(t.id, t), start) for t in windowed]
    why = shared_words([view.whole for view in views])
    if as_json:
        shown = [
            {
                **segment_json(view.segment),
                "why": why[view.whole.id],
                "earlier_stories": [story_json(s) for s in view.earlier],
            }
            for view in views
        ]
        return json.dumps(shown, indent=2, ensure_ascii=False)
    text = "\n\n".join(_describe(view, zone, why[view.whole.id]) for view in views)
    return text or "No stories in that window."


def _next_edition(
    settings: Settings, db: Database, now: dt.datetime
) -> tuple[list[Thread], dt.datetime | None]:
    """The threads of the stories the next edition would carry, each with only those
    stories, and when the earliest of them was published (what came before is earlier)."""
    from digest.edition.assemble import local_date, window_start
    from digest.store.stories import new_stories
    from digest.store.threads import threads_for_stories

    fresh = new_stories(db, window_start(db, local_date(settings, now), now), now)
    ids = {s.id for s in fresh}
    urls = {s.url for s in fresh}
    threads = []
    for thread in threads_for_stories(db, ids):
        kept = tuple(
            s
            for s in thread.stories
            if s.id in ids or any(ref.url in urls for ref in s.all_sources())
        )
        if kept:
            threads.append(replace(thread, stories=kept))
    start = min((s.published for t in threads for s in t.stories), default=None)
    return threads, start


@dataclass(frozen=True)
class _ThreadView:
    #: The window's stories, summarized leading with what is new since `earlier`.
    segment: Segment
    #: The thread's stories published before the window (a thread continued across days).
    earlier: tuple[Story, ...]
    #: Every story of the thread up to the window's end: what the reasons are drawn from.
    whole: Thread


def _view(
    settings: Settings,
    summarizer: Summarizer,
    windowed: Thread,
    full: Thread,
    start: dt.datetime | None,
) -> _ThreadView:
    """One thread of the window with its earlier days: the summary leads with the window's
    news, and `day` is the calendar day of the thread the window's news falls on."""
    shown = {s.id for s in windowed.stories}
    earlier = tuple(s for s in full.stories if start and s.published < start and s.id not in shown)
    upto = replace(full, stories=tuple(sorted((*earlier, *windowed.stories), key=by_time)))
    summary = summarizer.summarize(
        upto,
        known_story_ids=frozenset(s.id for s in earlier),
        budget_words=settings.summary.budget_words,
    )
    zone = settings.newsletter.zone
    dates = [s.published.astimezone(zone).date() for s in upto.stories]
    # As editions count: calendar days in the newsletter's zone since the thread began.
    day = (max(dates) - min(dates)).days + 1 if earlier else 1
    return _ThreadView(Segment(windowed, summary, day), earlier, upto)


def shared_words(threads: list[Thread], most: int = 6) -> dict[str, list[str]]:
    """Per thread, the words its stories share, most distinctive first: why they were grouped.

    A word counts when two or more of the thread's stories use it in their title or lead;
    words that many threads use ("said", "market") rank below the thread's own.
    """
    seen = {t.id: [_lead_words(story) for story in t.stories] for t in threads}
    threads_using: Counter[str] = Counter(w for sets in seen.values() for w in set().union(*sets))
    result = {}
    for thread_id, sets in seen.items():
        counts = Counter(w for words in sets for w in words)
        shared = [w for w, n in counts.items() if n >= 2]
        shared.sort(key=lambda w: (-counts[w] / threads_using[w], w))
        result[thread_id] = shared[:most]
    return result


def _lead_words(story: Story) -> set[str]:
    lead = " ".join([story.title, story.dek, story.text[:400]])
    found = (w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]{3,}", lead))
    return {w for w in found if w not in STOP_WORDS}


def _describe(view: _ThreadView, zone: ZoneInfo, why: list[str]) -> str:
    segment = view.segment
    stories = segment.thread.stories
    outlets = sorted({ref.name for story in stories for ref in story.all_sources()})
    marker = f"Developing · day {segment.day}: " if segment.developing else ""
    head = f"{marker}{segment.summary.headline}  [{segment.thread.id}]"
    count = f"{len(stories)} stor{'y' if len(stories) == 1 else 'ies'}"
    meta = f"  {count} from {len(outlets)} source(s): {', '.join(outlets)}"
    lines = [head, meta]
    if why:
        lines.append(f"  shared: {', '.join(why)}")
    for label, group in (("earlier", view.earlier), ("", stories)):
        for story in group:
            when = story.published.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
            tag = f"({label}) " if label else ""
            lines.append(f"  - {tag}{when}  {story.source}: {story.title}")
            lines.append(f"    {story.url}")
    return "\n".join(lines)
