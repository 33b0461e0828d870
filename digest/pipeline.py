"""The whole job, top to bottom: ingest, thread, build, render, store, deliver.

Each function here is what one command runs. The stages do the work; this
module only orders them and decides what a date's run should do.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from digest.config import Settings
from digest.edition.assemble import assemble_edition, edition_json, local_date
from digest.errors import DigestError
from digest.models import Edition, RenderedEdition
from digest.store import Database, open_store
from digest.store.editions import (
    StoredEdition,
    editions_for_date,
    get_edition,
    latest_editions,
    save_edition,
    unsent_edition,
)
from digest.store.lease import StoreLease
from digest.store.runs import close_interrupted, finish_run, start_run

if TYPE_CHECKING:
    from digest.sources.ingest import IngestReport

log = logging.getLogger("digest")


@dataclass(frozen=True)
class RunReport:
    """What `digest run` did for a date, in one line for the user."""

    date: dt.date
    edition_id: str | None
    delivered: bool
    message: str

    def summary(self) -> str:
        return self.message


def run(
    settings: Settings,
    now: dt.datetime,
    *,
    date: dt.date | None = None,
    force: bool = False,
    progress: bool = False,
    run_id: int = 0,
) -> RunReport:
    """The scheduled job: the edition of `date` (default today) ingested, built and delivered.

    Idempotent: a date whose edition was delivered does nothing unless `force`,
    and an edition whose delivery was interrupted is resumed, not rebuilt. `run_id` is
    the by-hand run's row in the runs table, if any.
    """
    _require_aware(now)
    day = date or local_date(settings, now)
    with open_store(settings) as db, _run_lease(db):
        # Holding the lease: a by-hand run still 'running' was killed outright (SIGKILL, power).
        close_interrupted(db, now, "interrupted: killed", scheduled=False, but=run_id)
        current = _current_edition(db, day)
        if current and current.status == "sending":
            return _deliver(settings, db, current.id, now, day, resumed=True)
        if current and current.status == "delivered" and not force:
            return RunReport(day, current.id, True, _already_sent(db, current))
        failed = ingest_and_thread(settings, db, now, progress=progress)
        stored = build(settings, db, now, day, force=force)
        if stored is None:
            return RunReport(
                day, None, False, f"Quiet day: no edition for {day} (quiet_mode=skip)."
            )
        report = _deliver(settings, db, stored.id, now, day, resumed=False)
        report = _published(settings, db, report)
    if failed:
        note = f" {len(failed)} source(s) could not be fetched: {', '.join(failed)}."
        report = dataclasses.replace(report, message=report.message + note)
    return report


def run_by_hand(settings: Settings, now: dt.datetime, **options: Any) -> RunReport:
    """`digest run` from a shell or cron: `run`, recorded in the runs table (slot 0) so
    `digest status` lists it beside the scheduler's runs."""
    day = options.get("date") or local_date(settings, now)
    with open_store(settings) as db:
        run_id = start_run(db, day, 0, now)
    status, detail = "failed", "interrupted"
    try:
        report = run(settings, now, run_id=run_id, **options)
        status, detail = "ok", report.summary()
        return report
    except Exception as e:
        detail = f"{type(e).__name__}: {e}"
        raise
    finally:
        with open_store(settings) as db:
            finish_run(db, run_id, _since(now)(), status, detail)


def ingest_only(settings: Settings, now: dt.datetime, *, progress: bool = False) -> IngestReport:
    """`digest ingest`: fetch and thread, holding the run lease so no edition is built meanwhile
    (stories first seen during a build would otherwise fall between two editions)."""
    _require_aware(now)
    with open_store(settings) as db, _run_lease(db):
        return _ingest_and_thread(settings, db, now, progress=progress)


def ingest_and_thread(
    settings: Settings, db: Database, now: dt.datetime, *, progress: bool = False
) -> list[str]:
    """Fetch every source, then group the stories that have no thread yet.

    Returns the names of the sources that failed; each is logged with its URL and reason.
    `progress` shows a bar while fetching when stderr is a terminal.
    """
    report = _ingest_and_thread(settings, db, now, progress=progress)
    return [result.name for result in report.failed]


def _ingest_and_thread(
    settings: Settings, db: Database, now: dt.datetime, *, progress: bool
) -> IngestReport:
    from digest.sources.ingest import ingest
    from digest.store.threads import (
        close_stale_threads,
        load_open_threads,
        save_threads,
        unthreaded_stories,
    )
    from digest.threads.group import group_threads

    if settings.threads.semantic:  # before fetching: a missing extra is a setup error
        from digest.threads.semantic import require_extra

        require_extra(settings.threads.model)
    report = ingest(settings, db, now, progress=progress)
    log.info("%s", report.summary())
    horizon = settings.threads.horizon_days
    close_stale_threads(db, now, horizon)  # quiet past the horizon: closed for good
    stories = unthreaded_stories(db)
    if stories:
        threads = settings.threads
        if threads.model:  # a model folder named in digest.toml is found beside it
            threads = threads.model_copy(update={"model": str(settings.resolve(threads.model))})
        changed = group_threads(stories, load_open_threads(db, now, horizon), now, threads)
        save_threads(db, changed)
    return report


def build(
    settings: Settings, db: Database, now: dt.datetime, day: dt.date, *, force: bool = False
) -> StoredEdition | None:
    """Build, render and store the edition of `day`; None on a skipped quiet day.

    An edition not yet being sent is replaced (in one transaction, once the new one has
    rendered); once sending has begun it is kept as it is, what readers got, and only
    `force` makes a new one beside it.
    """
    current = _current_edition(db, day)
    if current and current.status != "built" and not force:
        return current
    replacing = current.id if current and current.status == "built" else None
    edition_id = replacing or (_next_id(db, day) if current else day.isoformat())
    edition, rendered = _make(settings, db, now, day, edition_id)
    if edition.quiet and settings.summary.quiet_mode == "skip":
        return None
    json_text = json.dumps(edition_json(edition, rendered.subject))
    save_edition(db, edition, rendered, json_text, replacing=replacing)
    from digest.web.publish import save_archive_page

    save_archive_page(settings, db, edition)  # the web variant, for the archive
    return get_edition(db, edition_id)


def build_only(
    settings: Settings, now: dt.datetime, day: dt.date
) -> tuple[StoredEdition | None, str]:
    """`digest build`: the edition of `day` from the store, built and kept, not delivered.

    Once that edition has gone out it stays as readers got it: the files are then a fresh
    render of the same news with today's templates and theme, not stored, and the note says so.
    """
    _require_aware(now)
    with open_store(settings) as db, _run_lease(db):
        current = _current_edition(db, day)
        if current is None or current.status == "built":
            return build(settings, db, now, day), ""
        edition, rendered = _make(settings, db, now, day, current.id, again=True)
    fresh = StoredEdition(
        current.id,
        day,
        now,
        rendered.subject,
        rendered.preheader,
        rendered.html,
        rendered.text,
        json.dumps(edition_json(edition, rendered.subject)),
        current.status,
    )
    note = (
        f"The edition of {day} was already {current.status}: these files are a fresh render"
        " of the same news, not stored; the sent edition is unchanged."
    )
    return fresh, note


def preview_edition(settings: Settings, now: dt.datetime) -> tuple[Edition, RenderedEdition]:
    """Today's edition from what the store holds, neither saved nor delivered."""
    day = local_date(settings, now)
    with open_store(settings) as db:  # today's news, even once today's edition went out
        return _make(settings, db, now, day, day.isoformat(), again=True)


def send(settings: Settings, now: dt.datetime, day: dt.date | None = None) -> RunReport:
    """Deliver a built edition to whoever has not received it.

    Without a date, the latest edition not yet fully delivered: one built at 23:50 is
    still the one to send at 00:05.
    """
    _require_aware(now)
    with open_store(settings) as db, _run_lease(db):
        current = _current_edition(db, day) if day else unsent_edition(db)
        if current is None and day is None:
            latest = latest_editions(db, 1)
            if latest:
                return RunReport(latest[0].date, latest[0].id, True, _already_sent(db, latest[0]))
        if current is None:
            when = f" for {day}" if day else ""
            raise DigestError(f"no edition built{when}: run `digest build` first")
        if current.status == "delivered":
            return RunReport(current.date, current.id, True, _already_sent(db, current))
        resumed = current.status == "sending"
        report = _deliver(settings, db, current.id, now, current.date, resumed=resumed)
        return _published(settings, db, report)


def write_files(
    stored: StoredEdition, out: Path, values: dict[str, str] | None = None
) -> list[Path]:
    """edition.html, edition.txt and edition.json of a stored edition, into `out`;
    `values` fills in the per-recipient tokens (a sample reader's)."""
    from digest.edition.placeholders import personalize_parts

    out.mkdir(parents=True, exist_ok=True)
    html, text = personalize_parts(stored.html, stored.text, values or {})
    files = {"edition.html": html, "edition.txt": text, "edition.json": stored.json}
    for name, content in files.items():
        (out / name).write_text(content, encoding="utf-8")
    return [out / name for name in files]


def _make(
    settings: Settings,
    db: Database,
    now: dt.datetime,
    day: dt.date,
    edition_id: str,
    *,
    again: bool = False,
) -> tuple[Edition, RenderedEdition]:
    from digest.edition.render import render_edition

    edition = assemble_edition(settings, db, now, day, edition_id, again=again)
    return edition, render_edition(edition, settings)


def _deliver(
    settings: Settings,
    db: Database,
    edition_id: str,
    now: dt.datetime,
    day: dt.date,
    *,
    resumed: bool,
) -> RunReport:
    from digest.delivery.deliver import deliver_edition

    report = deliver_edition(settings, db, edition_id, now)
    stored = get_edition(db, edition_id)
    delivered = stored is not None and stored.status == "delivered"
    prefix = "Resumed: " if resumed else ""
    return RunReport(day, edition_id, delivered, prefix + report.summary())


def _published(settings: Settings, db: Database, report: RunReport) -> RunReport:
    """With `[web] publish_dir` set, a delivered edition is published to the archive."""
    from digest.web.publish import publish_after_run

    if not report.delivered:
        return report
    return dataclasses.replace(report, message=report.message + publish_after_run(settings, db))


def _run_lease(db: Database) -> StoreLease:
    """One command at a time changes what the store holds for editions: run, build, send and
    ingest each hold this lease (kept alive while they work; a dead holder is taken over)."""
    return StoreLease(db, "run")


def _require_aware(now: dt.datetime) -> None:
    if now.tzinfo is None:
        raise ValueError("`now` must be timezone-aware (UTC)")


def _since(start: dt.datetime) -> Callable[[], dt.datetime]:
    """A clock that starts at `start` and advances with real time, for lease renewals."""
    began = time.monotonic()
    return lambda: start + dt.timedelta(seconds=time.monotonic() - began)


def _current_edition(db: Database, day: dt.date) -> StoredEdition | None:
    """The latest non-skipped edition of a date."""
    editions = [e for e in editions_for_date(db, day) if e.status != "skipped"]
    return editions[-1] if editions else None


def _next_id(db: Database, day: dt.date) -> str:
    return f"{day.isoformat()}.{len(editions_for_date(db, day)) + 1}"


def _already_sent(db: Database, stored: StoredEdition) -> str:
    from digest.store.deliveries import delivery_counts

    sent = delivery_counts(db, stored.id).get("sent", 0)
    which = f"{stored.date}" + (f" ({stored.id})" if stored.id != stored.date.isoformat() else "")
    readers = f"{sent} recipient" + ("" if sent == 1 else "s")
    return (
        f"Nothing new to deliver: the edition of {which} was already delivered to {readers}."
        " `digest run --force` sends a new one."
    )
