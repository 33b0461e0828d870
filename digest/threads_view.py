"""`digest threads`: the threads over a window of publication dates, as text or JSON.

Shows what grouping decided, so users can see which stories were put together.
"""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

from digest.config import Settings
from digest.edition import segment_json, summarize_threads
from digest.models import Segment


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
    if as_json:
        return json.dumps([segment_json(s) for s in segments], indent=2, ensure_ascii=False)
    return "\n\n".join(_describe(s, zone) for s in segments) or "No stories in that window."


def _describe(segment: Segment, zone: ZoneInfo) -> str:
    stories = segment.thread.stories
    outlets = sorted({ref.name for story in stories for ref in story.all_sources()})
    head = f"{segment.summary.headline}  [{segment.thread.id}]"
    meta = f"  {len(stories)} stories from {len(outlets)} source(s): {', '.join(outlets)}"
    lines = [head, meta]
    for story in stories:
        when = story.published.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
        lines.append(f"  - {when}  {story.source}: {story.title}")
        lines.append(f"    {story.url}")
    return "\n".join(lines)
