"""`digest threads`: the threads over a window of publication dates, as text or JSON.

Shows what grouping decided, so users can see which stories were put together.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from zoneinfo import ZoneInfo

from digest.config import Settings
from digest.edition import segment_json, summarize_threads
from digest.models import Segment, Story, Thread
from digest.terms import STOP_WORDS


def format_threads(
    settings: Settings, since: dt.date | None, until: dt.date | None, *, as_json: bool
) -> str:
    from digest.pipeline import open_store
    from digest.store.threads import threads_in_window

    zone = settings.newsletter.zone
    start = dt.datetime.combine(since, dt.time(), zone) if since else None
    end = None
    if until and until < dt.date.max:
        end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), zone)
    with open_store(settings) as db:
        threads = threads_in_window(db, start, end)
    segments = summarize_threads(settings, threads)
    why = shared_words([s.thread for s in segments])
    if as_json:
        shown = [{**segment_json(s), "why": why[s.thread.id]} for s in segments]
        return json.dumps(shown, indent=2, ensure_ascii=False)
    text = "\n\n".join(_describe(s, zone, why[s.thread.id]) for s in segments)
    return text or "No stories in that window."


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


def _describe(segment: Segment, zone: ZoneInfo, why: list[str]) -> str:
    stories = segment.thread.stories
    outlets = sorted({ref.name for story in stories for ref in story.all_sources()})
    head = f"{segment.summary.headline}  [{segment.thread.id}]"
    count = f"{len(stories)} stor{'y' if len(stories) == 1 else 'ies'}"
    meta = f"  {count} from {len(outlets)} source(s): {', '.join(outlets)}"
    lines = [head, meta]
    if why:
        lines.append(f"  shared: {', '.join(why)}")
    for story in stories:
        when = story.published.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
        lines.append(f"  - {when}  {story.source}: {story.title}")
        lines.append(f"    {story.url}")
    return "\n".join(lines)
