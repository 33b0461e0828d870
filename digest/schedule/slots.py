"""Scheduled slots and what a firing should do: run, skip or wait. Pure: the clock is passed in.

A slot is one scheduled time of a local date (most schedules have one a day). `decide` reads
the store's `History`; `simulate` walks a span of firings with an in-memory store, for tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Literal

from apscheduler.triggers.cron import CronTrigger

from digest.config import Newsletter, Settings
from digest.errors import ConfigError


@dataclass(frozen=True)
class Decision:
    """What a firing does. `slot` is the scheduled time; `index` its rank in the local day."""

    action: Literal["run", "skip", "wait"]
    reason: str
    date: dt.date | None = None
    slot: dt.datetime | None = None
    index: int = 0
    force: bool = False  # a second slot of a day builds a new edition beside the first


@dataclass(frozen=True)
class History:
    """What the store knows about recent local dates."""

    delivered: dict[dt.date, int] = field(default_factory=dict)  # delivered editions per date
    sending: frozenset[dt.date] = frozenset()  # an edition whose delivery began, unfinished
    built: frozenset[dt.date] = frozenset()  # an edition built, not yet being sent
    runs: dict[tuple[dt.date, int], str] = field(default_factory=dict)  # slot -> last run status


def build_trigger(newsletter: Newsletter) -> CronTrigger:
    """The newsletter's CronTrigger; a bad `cron` or `days` (loading refuses both) is a
    ConfigError naming the key."""
    try:
        return newsletter.trigger()
    except ValueError as e:
        key = "newsletter.cron" if newsletter.cron else "newsletter.days"
        raise ConfigError([f"Config value '{key}': {e}"]) from None


def _slots(settings: Settings, start: dt.datetime) -> Iterator[dt.datetime]:
    """Scheduled times from `start` on, once per local wall-clock time.

    On a fall-back day the CronTrigger fires twice for a time in the repeated hour; the
    second is the same slot and is dropped. A time skipped by spring-forward fires once,
    an hour later on the wall clock.
    """
    trigger, zone = build_trigger(settings.newsletter), settings.newsletter.zone
    previous: dt.datetime | None = None
    seen: set[dt.datetime] = set()
    moment = start.astimezone(zone)
    while (fire := trigger.get_next_fire_time(previous, moment)) is not None:
        wall = fire.replace(tzinfo=None, fold=0)
        if wall not in seen:
            seen = {w for w in seen if w.date() == wall.date()} | {wall}
            yield fire.astimezone(zone)
        previous = moment = fire


def next_fire_times(settings: Settings, after: dt.datetime, count: int) -> list[dt.datetime]:
    """The next `count` scheduled times after `after`, in the newsletter's zone."""
    times: list[dt.datetime] = []
    for fire in _slots(settings, after + dt.timedelta(microseconds=1)):
        if len(times) == count:
            break
        times.append(fire)
    return times


def latest_slot(settings: Settings, now: dt.datetime) -> tuple[dt.datetime, int] | None:
    """The last scheduled time at or before `now` (within grace + a day) and its rank that day."""
    # Aware datetimes sharing a tzinfo compare by wall clock, fold ignored: compare in UTC.
    zone, now = settings.newsletter.zone, now.astimezone(dt.UTC)
    lookback = dt.timedelta(hours=settings.newsletter.misfire_grace_hours + 26)
    last = None
    for fire in _slots(settings, now - lookback):
        if fire.astimezone(dt.UTC) > now:
            break
        last = fire
    if last is None:
        return None
    midnight = dt.datetime.combine(last.date(), dt.time(), tzinfo=zone)
    index = next(i for i, f in enumerate(_slots(settings, midnight), 1) if _utc(f) >= _utc(last))
    return last, index


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


def decide(
    settings: Settings, now: dt.datetime, history: History, *, retry: bool = True
) -> Decision:
    """Run, skip or wait, given the time and what the store holds. Pure.

    `retry`: run a slot again whose run failed or was interrupted (at start-up), rather
    than leave it (on the trigger's own firings and the periodic look).
    """
    now = now.astimezone(dt.UTC)
    found = latest_slot(settings, now)
    if found is None:
        return Decision("wait", "no scheduled time in the last day")
    slot, index = found
    day, grace = slot.date(), settings.newsletter.misfire_grace_hours * 3600
    base = Decision("wait", "", day, slot, index)
    name = f"the edition of {day}" + (f" ({slot:%H:%M} slot)" if index > 1 else "")
    status = history.runs.get((day, index))
    if history.delivered.get(day, 0) >= index or status in ("ok", "skipped"):
        return replace(base, reason=f"{name} is already done")
    if status in ("failed", "running") and not retry:
        return replace(base, reason=f"{name} failed; the next start tries it again")
    if day in history.sending:
        return replace(base, action="run", reason=f"resuming the delivery of {name}")
    late = (now - _utc(slot)).total_seconds()
    if late > grace and day != now.astimezone(settings.newsletter.zone).date():
        # An earlier day's slot: a fresh store or a long stop, not news worth a skip record.
        if _fresh(history):  # nothing was ever due from this store: nothing was missed
            return replace(base, reason="no edition due yet: waiting for the next scheduled time")
        return replace(base, reason=f"{name} was missed ({duration(late)} late)")
    if late > grace:
        why = f"skipping {name}: {duration(late)} late, past the {duration(grace)} grace"
        return replace(base, action="skip", reason=why)
    force = index > 1 and day not in history.built
    on_time = "on time" if late < 60 else f"{duration(late)} late, within the grace"
    return replace(base, action="run", reason=f"running {name} ({on_time})", force=force)


def _fresh(history: History) -> bool:
    """No run, no edition in the window: a new store (or one the scheduler never served)."""
    return not (history.runs or history.sending or history.built or any(history.delivered.values()))


def duration(seconds: float) -> str:
    """'5h', '3h 30m', '45m', '20s': how late, for a person."""
    minutes = round(seconds / 60)
    if minutes == 0:
        return f"{round(seconds)}s"
    hours, rest = divmod(minutes, 60)
    return " ".join(part for part in (f"{hours}h" * bool(hours), f"{rest}m" * bool(rest)) if part)


def simulate(
    settings: Settings, start: dt.datetime, end: dt.datetime, *, poll: dt.timedelta | None = None
) -> list[tuple[dt.datetime, Decision]]:
    """A scheduler started at `start`, left running to `end`, with an in-memory store.

    Firings are the CronTrigger's own (fall-back repeats included), plus one at start-up
    and one every `poll`; each "run" delivers an edition, each "skip" is recorded.
    """
    trigger = build_trigger(settings.newsletter)
    start, end = _utc(start), _utc(end)
    moments = [start]
    previous, moment = None, start
    while (fire := trigger.get_next_fire_time(previous, moment)) and _utc(fire) <= end:
        moments.append(_utc(fire))
        previous = moment = fire
    moment = start
    while poll and (moment := moment + poll) <= end:
        moments.append(moment)
    history, out = History(), []
    for now in sorted(moments):
        decision = decide(settings, now, history, retry=now == start)
        if decision.action != "wait" and decision.date is not None:
            history = _remember(history, decision)
        out.append((now, decision))
    return out


def _remember(history: History, decision: Decision) -> History:
    assert decision.date is not None
    runs = {**history.runs, (decision.date, decision.index): "ok"}
    if decision.action == "skip":
        return replace(history, runs={**runs, (decision.date, decision.index): "skipped"})
    delivered = {**history.delivered, decision.date: history.delivered.get(decision.date, 0) + 1}
    return replace(
        history, runs=runs, delivered=delivered, sending=history.sending - {decision.date}
    )
