"""The whole job, top to bottom: ingest, thread, build, render, store, deliver.

Each function here is what one command runs. The stages do the work; this
module only orders them and decides what a date's run should do.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from digest.config import Settings
from digest.edition import assemble_edition, edition_json, local_date
from digest.models import Edition, RenderedEdition
from digest.store import Database
from digest.store.editions import (
    StoredEdition,
    delete_edition,
    editions_for_date,
    get_edition,
    save_edition,
)

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


def open_store(settings: Settings) -> Database:
    return Database(settings.resolve(settings.store.path))


def run(
    settings: Settings, now: dt.datetime, *, date: dt.date | None = None, force: bool = False
) -> RunReport:
    """The scheduled job: the edition of `date` (default today) ingested, built and delivered.

    Idempotent: a date whose edition was delivered does nothing unless `force`,
    and an edition whose delivery was interrupted is resumed, not rebuilt.
    """
    day = date or local_date(settings, now)
    with open_store(settings) as db:
        current = _current_edition(db, day)
        if current and current.status == "delivered" and not force:
            return RunReport(day, current.id, True, _already_sent(db, current))
        if current and current.status == "sending" and not force:
            return _deliver(settings, db, current.id, now, day, resumed=True)
        failed = ingest_and_thread(settings, db, now)
        stored = build(settings, db, now, day, force=force)
        if stored is None:
            return RunReport(
                day, None, False, f"Quiet day: no edition for {day} (quiet_mode=skip)."
            )
        report = _deliver(settings, db, stored.id, now, day, resumed=False)
    if failed:
        note = f" {len(failed)} source(s) could not be fetched: {', '.join(failed)}."
        report = dataclasses.replace(report, message=report.message + note)
    return report


def ingest_and_thread(settings: Settings, db: Database, now: dt.datetime) -> list[str]:
    """Fetch every source, then group the stories that have no thread yet.

    Returns the names of the sources that failed; each is logged with its URL and reason.
    """
    from digest.ingest import ingest
    from digest.store.threads import load_open_threads, save_threads, unthreaded_stories
    from digest.threads import group_threads

    report = ingest(settings, db, now)
    log.info("%s", report.summary())
    stories = unthreaded_stories(db)
    if stories:
        horizon = settings.threads.horizon_days
        changed = group_threads(stories, load_open_threads(db, now, horizon), now, settings.threads)
        save_threads(db, changed)
    return [result.name for result in report.failed]


def build(
    settings: Settings, db: Database, now: dt.datetime, day: dt.date, *, force: bool = False
) -> StoredEdition | None:
    """Build, render and store the edition of `day`; None on a skipped quiet day.

    An edition not yet being sent is replaced; once sending has begun it is kept
    as it is (what readers got), and only `force` makes a new one beside it.
    """
    current = _current_edition(db, day)
    if current and current.status != "built" and not force:
        return current
    edition_id = _next_id(db, day) if force and current else day.isoformat()
    if current and current.status == "built" and not force:
        delete_edition(db, current.id)
        edition_id = current.id
    edition, rendered = _make(settings, db, now, day, edition_id)
    if edition.quiet and settings.summary.quiet_mode == "skip":
        return None
    save_edition(db, edition, rendered, json.dumps(edition_json(edition, rendered.subject)))
    return get_edition(db, edition_id)


def preview_edition(settings: Settings, now: dt.datetime) -> tuple[Edition, RenderedEdition]:
    """Today's edition from what the store holds, neither saved nor delivered."""
    day = local_date(settings, now)
    with open_store(settings) as db:
        return _make(settings, db, now, day, day.isoformat())


def send(settings: Settings, now: dt.datetime, day: dt.date | None = None) -> RunReport:
    """Deliver the built edition of `day` to whoever has not received it."""
    day = day or local_date(settings, now)
    with open_store(settings) as db:
        current = _current_edition(db, day)
        if current is None:
            from digest.errors import DigestError

            raise DigestError(f"no edition built for {day}: run `digest build --date {day}` first")
        if current.status == "delivered":
            return RunReport(day, current.id, True, _already_sent(db, current))
        return _deliver(settings, db, current.id, now, day, resumed=current.status == "sending")


def write_files(stored: StoredEdition, out: Path) -> list[Path]:
    """edition.html, edition.txt and edition.json of a stored edition, into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    files = {"edition.html": stored.html, "edition.txt": stored.text, "edition.json": stored.json}
    for name, content in files.items():
        (out / name).write_text(content, encoding="utf-8")
    return [out / name for name in files]


def _make(
    settings: Settings, db: Database, now: dt.datetime, day: dt.date, edition_id: str
) -> tuple[Edition, RenderedEdition]:
    from digest.render import render_edition

    edition = assemble_edition(settings, db, now, day, edition_id)
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
    from digest.deliver import deliver_edition

    report = deliver_edition(settings, db, edition_id, now)
    stored = get_edition(db, edition_id)
    delivered = stored is not None and stored.status == "delivered"
    prefix = "Resumed: " if resumed else ""
    return RunReport(day, edition_id, delivered, prefix + report.summary())


def _current_edition(db: Database, day: dt.date) -> StoredEdition | None:
    """The latest non-skipped edition of a date."""
    editions = [e for e in editions_for_date(db, day) if e.status != "skipped"]
    return editions[-1] if editions else None


def _next_id(db: Database, day: dt.date) -> str:
    return f"{day.isoformat()}.{len(editions_for_date(db, day)) + 1}"


def _already_sent(db: Database, stored: StoredEdition) -> str:
    from digest.store.deliveries import delivery_counts

    sent = delivery_counts(db, stored.id).get("sent", 0)
    return (
        f"Nothing new to deliver: the edition of {stored.date} ({stored.id}) "
        f"was already delivered to {sent} recipient(s). Use --force to send a new one."
    )
