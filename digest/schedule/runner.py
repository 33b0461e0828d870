"""APScheduler wiring: the edition job fires on the cron trigger, the store decides, one runs.

A lease in the store keeps a second scheduler on the same store from running the job; the
decision itself is `digest.schedule.slots.decide`. The job is `digest.pipeline.run`.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import threading
from collections.abc import Callable
from typing import Protocol

from digest.clock import wall
from digest.config import Settings
from digest.schedule.slots import Decision, History, build_trigger, decide, next_fire_times
from digest.store import open_store
from digest.store.db import Database, release_lease
from digest.store.editions import editions_for_date
from digest.store.lease import LeaseHeldError, lease_holder, process_owner, take_lease
from digest.store.runs import close_interrupted, finish_run, scheduled_runs_since, start_run

log = logging.getLogger("digest.schedule.runner")

JOB_ID = "digest-edition"
LEASE = "schedule"
LEASE_SECONDS = 45.0  # a dead holder's lease frees the store this long after its last renewal
WATCH_SECONDS = 15.0  # lease renewal, and a look for a run that is due (after a sleep, a takeover)
INTERRUPTED = "interrupted: the scheduler stopped during the run"
Clock = Callable[[], dt.datetime]


class Report(Protocol):
    @property
    def delivered(self) -> bool: ...

    def summary(self) -> str: ...


class Job(Protocol):
    def __call__(
        self, settings: Settings, now: dt.datetime, *, date: dt.date | None = ..., force: bool = ...
    ) -> Report: ...


def load_history(db: Database, settings: Settings, now: dt.datetime) -> History:
    """The editions and scheduled runs of the local dates `decide` may look at."""
    local = now.astimezone(settings.newsletter.zone)
    since = (local - dt.timedelta(hours=settings.newsletter.misfire_grace_hours + 26)).date()
    days = [since + dt.timedelta(days=n) for n in range((local.date() - since).days + 1)]
    delivered, latest = {}, {}
    for day in days:
        editions = [e for e in editions_for_date(db, day) if e.status != "skipped"]
        delivered[day] = sum(e.status == "delivered" for e in editions)
        if editions:
            latest[day] = editions[-1].status
    rows = scheduled_runs_since(db, since)
    return History(
        delivered=delivered,
        sending=frozenset(d for d, s in latest.items() if s == "sending"),
        built=frozenset(d for d, s in latest.items() if s == "built"),
        runs={(dt.date.fromisoformat(r.date), r.slot): r.status for r in rows},
    )


def tick(
    settings: Settings,
    db: Database,
    *,
    owner: str,
    job: Job,
    clock: Callable[[], dt.datetime],
    retry: bool = False,
) -> Decision:
    """One firing: take the store's lease, let the store decide, run or skip, and record it.

    A run still marked 'running' belongs to a scheduler that died or lost the lease (this one
    runs one job at a time and is not in one): it is marked interrupted and so tried again.
    """
    now = clock()
    if not take_lease(db, LEASE, owner, now, LEASE_SECONDS):
        return Decision("wait", f"another scheduler holds the store: {scheduler_holder(db)}")
    close_interrupted(db, now, INTERRUPTED, scheduled=True)
    decision = decide(settings, now, load_history(db, settings, now), retry=retry)
    if decision.action == "skip":
        log.warning("%s", decision.reason)
        _record(db, decision, now, "skipped", decision.reason)
    elif decision.action == "run":
        _run(settings, db, decision, job, clock)
    else:
        log.debug("%s", decision.reason)
    return decision


def scheduler_holder(db: Database) -> str:
    """Who holds the scheduler's lease and until when; '' when nobody does."""
    holder = lease_holder(db, LEASE)
    return f"{holder[0]} until {holder[1]}" if holder else ""


def _run(settings: Settings, db: Database, decision: Decision, job: Job, clock: Clock) -> None:
    from digest.delivery.alerts import alert_failing_feeds, alert_run_failed

    day = decision.date
    assert day is not None
    log.info("%s", decision.reason[0].upper() + decision.reason[1:])
    run_id = _record(db, decision, clock(), "running", "")
    try:
        report = job(settings, clock(), date=day, force=decision.force)
    except LeaseHeldError as e:  # a manual command holds the store: not a failure, wait
        log.info("the store is busy (%s); trying again at the next check", e)
        _finish(db, run_id, clock(), "busy", str(e))
        return
    except Exception as e:  # the scheduler outlives a failed run; the next start resumes it
        log.exception("the run of the edition of %s failed", day)
        error = f"{type(e).__name__}: {e}"
        _finish(db, run_id, clock(), "failed", error)
        alert_run_failed(settings, db, clock(), day, decision.index, error)
    else:
        _finish(db, run_id, clock(), "ok", report.summary())
        log.log(logging.INFO if report.delivered else logging.WARNING, "%s", report.summary())
    alert_failing_feeds(settings, db, clock())


def _record(db: Database, decision: Decision, now: dt.datetime, status: str, detail: str) -> int:
    assert decision.date is not None
    return start_run(db, decision.date, decision.index, now, status, detail)


def _finish(db: Database, run_id: int, now: dt.datetime, status: str, detail: str) -> None:
    finish_run(db, run_id, now, status, detail)


def _pipeline_run(
    settings: Settings, now: dt.datetime, *, date: dt.date | None = None, force: bool = False
) -> Report:
    from digest.pipeline import run

    return run(settings, now, date=date, force=force)


class Runner:
    """The scheduler's jobs: the edition firing and the watch, one run at a time per process."""

    def __init__(self, settings: Settings, job: Job, owner: str, clock: Clock = wall) -> None:
        self.settings, self.job, self.owner, self.clock = settings, job, owner, clock
        self.lock = threading.Lock()
        self.standing_by = False
        self.stopped = False

    def fire(self, retry: bool = False) -> None:
        with self.lock:
            if self.stopped:
                return
            with self._store() as db:
                decision = tick(
                    self.settings, db, owner=self.owner, job=self.job, clock=self.clock, retry=retry
                )
                self._note_lease(decision)
        if retry and decision.action == "wait":
            log.info("at start-up: %s", decision.reason)

    def watch(self) -> None:
        """Renew the lease (take it over if its holder died) and run what is due and missed."""
        with self._store() as db:
            if not self.lock.acquire(blocking=False):  # a run is under way: just renew
                take_lease(db, LEASE, self.owner, self.clock(), LEASE_SECONDS)
                return
            try:
                if not self.stopped:
                    decision = tick(
                        self.settings, db, owner=self.owner, job=self.job, clock=self.clock
                    )
                    self._note_lease(decision)
            finally:
                self.lock.release()

    def stop(self) -> None:
        """Wait for a run under way to finish, then let go of the store; nothing fires after.

        The main thread waits here: once it returns, the interpreter shuts down and a run still
        going could no longer start a thread (the ingest's store thread, DNS lookups).
        """
        with self.lock:
            self.stopped = True
        with self._store() as db:
            release_lease(db, LEASE, self.owner)

    def _note_lease(self, decision: Decision) -> None:
        standing_by = decision.reason.startswith("another scheduler")
        if standing_by != self.standing_by:
            log.warning(
                "%s; standing by" if standing_by else "took the store's lease (%s)",
                decision.reason if standing_by else self.owner,
            )
        self.standing_by = standing_by

    def _store(self) -> Database:
        return open_store(self.settings)


def run_schedule(
    settings: Settings, *, job: Job | None = None, owner: str = "", clock: Clock = wall
) -> None:
    """Run the edition job on its schedule in the foreground, until SIGINT or SIGTERM.

    `clock` is what the store's decisions see (a replay pins it with DIGEST_NOW); the
    cron trigger itself fires on the wall clock, the start-up firing and the watch on both.
    """
    from apscheduler.schedulers.blocking import BlockingScheduler

    owner = owner or process_owner()
    runner = Runner(settings, job or _pipeline_run, owner, clock)
    zone, grace = settings.newsletter.zone, settings.newsletter.misfire_grace_hours
    scheduler = BlockingScheduler(timezone=zone)
    scheduler.add_job(
        runner.fire,
        build_trigger(settings.newsletter),
        id=JOB_ID,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=max(1, int(grace * 3600)),
    )
    # At start-up: today's run if it is due within the grace, or a delivery to resume.
    scheduler.add_job(
        runner.fire,
        "date",
        kwargs={"retry": True},
        id="digest-start-up",
        run_date=dt.datetime.now(zone),
        misfire_grace_time=None,
    )
    scheduler.add_job(
        runner.watch,
        "interval",
        seconds=WATCH_SECONDS,
        id="digest-watch",
        coalesce=True,
        max_instances=1,
    )
    _stop_on_signals(scheduler)
    upcoming = next_fire_times(settings, clock(), 1)
    log.info(
        "scheduler %s started; next edition at %s",
        owner,
        f"{upcoming[0]:%Y-%m-%d %H:%M %Z}" if upcoming else "never",
    )
    try:
        scheduler.start()
    finally:
        runner.stop()
        log.info("scheduler %s stopped", owner)


def _stop_on_signals(scheduler: object) -> None:
    if threading.current_thread() is not threading.main_thread():
        return

    stopping = threading.Event()
    scheduler_pid = os.getpid()

    def stop(signum: int, _frame: object) -> None:
        if os.getpid() != scheduler_pid:  # a forked worker (the parse pool): die as asked
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        if stopping.is_set():  # a second signal: the first one's shutdown is under way
            log.info("already stopping (signal %d)", signum)
            return
        stopping.set()
        log.info("stopping on signal %d; a run under way finishes first", signum)
        shutdown = getattr(scheduler, "shutdown")  # noqa: B009 - APScheduler is untyped
        # Not from the handler itself: the scheduler's locks may be held by this thread.
        threading.Thread(target=shutdown, kwargs={"wait": False}, daemon=True).start()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, stop)
