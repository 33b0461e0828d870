"""`digest recipients list|add|remove|import`: the store's recipients, as lines to print.

Validation is recipients.py's, storage store/recipients.py's; this module joins them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from digest.config import Settings
from digest.delivery.recipients import clean_name, merge_recipients, normalize_address, read_csv
from digest.errors import DigestError
from digest.models import Recipient
from digest.store import open_store
from digest.store import recipients as stored
from digest.store.recipient_states import latest_changes, status_counts


def list_recipients(settings: Settings) -> str:
    """One line per known address: email, state, origin, name, and when and why it
    entered that state."""
    with open_store(settings) as db:
        people = stored.list_recipients(db)
        changes = latest_changes(db)
        counts = status_counts(db)
    if not people:
        return "No recipients in the store yet (the configured ones are added on `digest send`)."
    width = max(len(p.email) for p in people)
    lines = []
    for p in people:
        change = changes.get(p.email)
        since = f"since {change.at:%Y-%m-%d %H:%M} UTC ({change.cause})" if change else ""
        about = " · ".join(part for part in (p.name, since) if part)
        lines.append(f"{p.email:<{width}}  {p.status:<12}  {p.origin:<6}  {about}".rstrip())
    return "\n".join([*lines, count_line(counts)])


def count_line(counts: dict[str, int]) -> str:
    """ "3 active, 1 unconfirmed, 0 unsubscribed, 1 bounced (5 in all)."""
    parts = ", ".join(f"{n} {state}" for state, n in counts.items())
    return f"{parts} ({sum(counts.values())} in all)."


def add_recipient(settings: Settings, email: str, name: str, now: dt.datetime) -> str:
    """Add or re-subscribe one address."""
    try:
        address = normalize_address(email)
    except ValueError as e:
        raise DigestError(str(e)) from None
    with open_store(settings) as db:
        before = stored.get_recipient(db, address)
        person = stored.add_recipient(db, Recipient(address, clean_name(name)), now)
    verb = "Added"
    if before is not None:
        verb = "Re-subscribed" if before.status != stored.ACTIVE else "Updated"
    return f"{verb} {person.email}" + (f" ({person.name})" if person.name else "") + "."


def remove_recipient(settings: Settings, email: str, now: dt.datetime) -> str:
    """Mark an address unsubscribed: kept in the store, never mailed again."""
    with open_store(settings) as db:
        person = stored.unsubscribe(db, email, now)
    if person is None:
        raise DigestError(f"{email}: not a known recipient (see `digest recipients list`)")
    return f"Unsubscribed {person.email}: it will not be mailed again."


def import_recipients(settings: Settings, path: Path, now: dt.datetime) -> str:
    """Add every valid row of a CSV (an `email` column, optional `name`, other fields)."""
    checked = merge_recipients(read_csv(path))
    with open_store(settings) as db:
        new = stored.import_recipients(db, checked.recipients, now, f"imported from {path.name}")
    lines = [*checked.problems]
    known = len(checked.recipients) - new
    lines.append(
        f"Imported {new} new recipient(s) from {path.name}"
        + (f", {known} already known" if known else "")
        + (f"; skipped {len(checked.problems)} invalid row(s)" if checked.problems else "")
        + "."
    )
    return "\n".join(lines)
