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


def list_recipients(settings: Settings) -> str:
    """One line per known address: email, status, origin and name."""
    with open_store(settings) as db:
        people = stored.list_recipients(db)
    if not people:
        return "No recipients in the store yet (the configured ones are added on `digest send`)."
    width = max(len(p.email) for p in people)
    lines = [f"{p.email:<{width}}  {p.status:<12}  {p.origin:<6}  {p.name}" for p in people]
    active = sum(p.status == stored.ACTIVE for p in people)
    return "\n".join([*[line.rstrip() for line in lines], f"{active} active of {len(people)}."])


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


def remove_recipient(settings: Settings, email: str) -> str:
    """Mark an address unsubscribed: kept in the store, never mailed again."""
    with open_store(settings) as db:
        person = stored.unsubscribe(db, email)
    if person is None:
        raise DigestError(f"{email}: not a known recipient (see `digest recipients list`)")
    return f"Unsubscribed {person.email}: it will not be mailed again."


def import_recipients(settings: Settings, path: Path, now: dt.datetime) -> str:
    """Add every valid row of a CSV (an `email` column, optional `name`, other fields)."""
    checked = merge_recipients(read_csv(path))
    with open_store(settings) as db:
        new = stored.import_recipients(db, checked.recipients, now)
    lines = [*checked.problems]
    known = len(checked.recipients) - new
    lines.append(
        f"Imported {new} new recipient(s) from {path.name}"
        + (f", {known} already known" if known else "")
        + (f"; skipped {len(checked.problems)} invalid row(s)" if checked.problems else "")
        + "."
    )
    return "\n".join(lines)
