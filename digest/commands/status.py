"""`digest status`: the next run, whether a scheduler holds the store, recent runs and editions
with their delivery counts, and the feeds failing. Reads the store; changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json

from digest.commands.recipients import count_line
from digest.config import Settings
from digest.delivery.alerts import feeds_in_trouble
from digest.schedule.runner import LEASE
from digest.schedule.slots import duration, next_fire_times
from digest.store.db import Database, from_iso
from digest.store.deliveries import delivery_counts, uncertain_deliveries
from digest.store.editions import latest_editions
from digest.store.lease import lease_holder
from digest.store.recipient_states import status_counts
from digest.store.runs import latest_runs


def status_report(settings: Settings, db: Database, now: dt.datetime, limit: int = 5) -> str:
    """The report, one section after another, times in the newsletter's zone."""
    sections = [
        [f"{settings.newsletter.name}: status at {_local(settings, now)}"],
        _schedule(settings, db, now),
        ["Last runs:", *_runs(settings, db, limit)],
        ["Last editions:", *_editions(db, limit)],
        [f"Recipients: {count_line(status_counts(db))}"],
        _feeds(settings, db, now),
    ]
    return "\n\n".join("\n".join(lines) for lines in sections)


def _schedule(settings: Settings, db: Database, now: dt.datetime) -> list[str]:
    newsletter = settings.newsletter
    if newsletter.cron:
        when = f"cron '{newsletter.cron}'"
    else:
        days = "every day" if newsletter.days.strip() == "*" else f"on {newsletter.days}"
        when = f"{newsletter.send_at} {days}"
    grace = duration(newsletter.misfire_grace_hours * 3600)
    upcoming = next_fire_times(settings, now, 1)
    next_run = "none scheduled"
    if upcoming:
        wait = duration((upcoming[0] - now).total_seconds())
        next_run = f"{_local(settings, upcoming[0])} (in {wait})"
    return [
        f"Schedule:   {when}, {newsletter.timezone} (misfire grace {grace})",
        f"Next run:   {next_run}",
        f"Scheduler:  {_scheduler(settings, db, now)}",
    ]


def _scheduler(settings: Settings, db: Database, now: dt.datetime) -> str:
    holder = lease_holder(db, LEASE)
    if holder is None:
        return "not running"
    owner, expires = holder[0], from_iso(holder[1])
    if expires <= now:
        return f"not running (last seen as {owner}, lease ended {_local(settings, expires)})"
    return f"running as {owner} (lease renewed until {_local(settings, expires)})"


def _runs(settings: Settings, db: Database, limit: int) -> list[str]:
    rows = latest_runs(db, limit)
    if not rows:
        return ["  none yet"]
    return [
        f"  {r.date}  {r.status:<8} {_local(settings, from_iso(r.started))}"
        f"  {_one_line(r.detail)}".rstrip()
        for r in rows
    ]


def _editions(db: Database, limit: int) -> list[str]:
    lines = []
    for edition in latest_editions(db, limit):
        counts = delivery_counts(db, edition.id)
        pending = counts.get("pending", 0) + counts.get("sending", 0)
        uncertain = len(uncertain_deliveries(db, edition.id))
        doubt = f"  uncertain {uncertain}" if uncertain else ""
        lines.append(
            f"  {edition.id:<12} {edition.status:<9}  sent {counts.get('sent', 0)}"
            f"  failed {counts.get('failed', 0)}  pending {pending}{doubt}"
            f"  {_one_line(edition.subject)}"
        )
        lines.extend(_model_use(edition.json))
    return lines or ["  none yet"]


def _model_use(edition_json: str) -> list[str]:
    """'model: 2 of 3 threads by llm, 1 sentence dropped, 5120 tokens' when a model wrote any."""
    threads = [*json.loads(edition_json or "{}").get("threads", [])]
    by_model = [t for t in threads if t.get("summarizer") == "llm"]
    tokens = sum(t.get("tokens", 0) for t in threads)
    if not by_model and not tokens:
        return []
    dropped = sum(t.get("dropped", 0) for t in threads)
    return [
        f"               model: {len(by_model)} of {len(threads)} threads by llm,"
        f" {dropped} sentence{'' if dropped == 1 else 's'} dropped, {tokens} tokens"
    ]


def _feeds(settings: Settings, db: Database, now: dt.datetime) -> list[str]:
    configured = {feed.name for feed in settings.feeds}  # a removed feed is no concern
    troubles = [feed for feed in feeds_in_trouble(db) if feed.name in configured]
    if not troubles:
        return ["Failing feeds: none"]
    lines = ["Failing feeds:"]
    for feed in troubles:
        error = _one_line(feed.last_error) or "no error recorded"
        if feed.disabled:
            lines.append(f"  {feed.name}: disabled ({feed.url}): {_one_line(feed.disabled)}")
            continue
        since = from_iso(feed.failing_since) if feed.failing_since else None
        lasting = f" for {duration((now - since).total_seconds())}" if since else ""
        where = "" if feed.url in error else f" ({feed.url})"  # errors usually name the URL
        count = f"{feed.consecutive_failures} failure(s) in a row"
        lines.append(f"  {feed.name}: {count}{lasting}{where}: {error}")
    return lines


def _local(settings: Settings, moment: dt.datetime) -> str:
    return f"{moment.astimezone(settings.newsletter.zone):%Y-%m-%d %H:%M %Z}"


def _one_line(text: str, width: int = 80) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"
