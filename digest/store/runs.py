"""Runs in the store: one row per `digest run` by hand (slot 0) or scheduled firing (slot >= 1),
and the alerts already mailed. What a run decides is the scheduler's and pipeline's business.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from digest.store.db import Database, iso

#: A run left 'running' by a process that died: tried again at the next firing.
INTERRUPTED = "interrupted"


@dataclass(frozen=True)
class RunRow:
    date: str
    slot: int
    started: str
    status: str
    detail: str


def start_run(
    db: Database,
    day: dt.date,
    slot: int,
    now: dt.datetime,
    status: str = "running",
    detail: str = "",
) -> int:
    """Record a run (finished at once unless 'running'); its id."""
    finished = iso(now) if status != "running" else ""
    with db.transaction() as conn:
        cursor = conn.execute(
            "INSERT INTO runs(date, slot, started, finished, status, detail) VALUES (?,?,?,?,?,?)",
            (day.isoformat(), slot, iso(now), finished, status, detail),
        )
    return int(cursor.lastrowid or 0)


def finish_run(db: Database, run_id: int, now: dt.datetime, status: str, detail: str) -> None:
    with db.transaction() as conn:
        conn.execute(
            "UPDATE runs SET finished = ?, status = ?, detail = ? WHERE id = ?",
            (iso(now), status, detail, run_id),
        )


def close_interrupted(
    db: Database, now: dt.datetime, detail: str, *, scheduled: bool, but: int = 0
) -> int:
    """Mark the scheduled (or by-hand) runs still 'running', except run `but`, interrupted.

    Call it only while holding the lease that guards those runs: none of them is then live.
    """
    where = "slot > 0" if scheduled else "slot = 0"
    with db.transaction() as conn:
        cursor = conn.execute(
            "UPDATE runs SET status = ?, finished = ?, detail = ?"
            f" WHERE status = 'running' AND id != ? AND {where}",
            (INTERRUPTED, iso(now), detail, but),
        )
    return cursor.rowcount


def scheduled_runs_since(db: Database, since: dt.date) -> list[RunRow]:
    """Scheduled runs of local dates from `since` on, oldest first."""
    rows = db.conn.execute(
        "SELECT date, slot, started, status, detail FROM runs WHERE slot > 0 AND date >= ?"
        " ORDER BY id",
        (since.isoformat(),),
    ).fetchall()
    return [RunRow(*row) for row in rows]


def latest_runs(db: Database, limit: int) -> list[RunRow]:
    """The last `limit` runs, newest first."""
    rows = db.conn.execute(
        "SELECT date, slot, started, status, detail FROM runs ORDER BY id DESC LIMIT ?",
        (limit,),
    ).fetchall()
    return [RunRow(*row) for row in rows]


def alert_sent(db: Database, key: str) -> bool:
    return db.conn.execute("SELECT 1 FROM alerts WHERE key = ?", (key,)).fetchone() is not None


def remember_alert(db: Database, key: str, now: dt.datetime) -> None:
    with db.transaction() as conn:
        conn.execute("INSERT OR IGNORE INTO alerts(key, sent) VALUES (?, ?)", (key, iso(now)))
