"""Bounces: refusals during sending, and delivery status notifications read from a maildir.

A permanent refusal (SMTP 5xx, or a DSN with Action: failed and a 5.x.x status) marks the
recipient bounced at once; temporary ones do so only after `delivery.bounce_after_days`
days in a row. Bounced recipients stay in the store and are never mailed again.
The maildir is only read: messages are neither moved nor deleted.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import logging
import mailbox
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage, Message
from pathlib import Path

from digest.config import Settings
from digest.errors import DigestError
from digest.store.db import Database
from digest.store.recipient_states import (
    clear_soft_failures,
    move,
    note_soft_failure,
    soft_failing,
)
from digest.store.recipients import BOUNCED, get_recipient

log = logging.getLogger("digest")


class BounceKeeper:
    """What one delivery run learns about addresses: refusals count, deliveries clear them."""

    def __init__(self, settings: Settings, db: Database) -> None:
        self.db = db
        self.limit = settings.delivery.bounce_after_days
        self._soft = soft_failing(db)  # only these need a write when they are delivered to

    def refused(self, email: str, now: dt.datetime, reason: str, *, permanent: bool) -> None:
        if permanent:
            bounced = move(self.db, email, BOUNCED, f"refused while sending: {reason}", now)
        else:
            bounced = note_soft_failure(self.db, email, now, reason, self.limit)
            self._soft.add(email)
        if bounced:
            log.warning("%s: marked bounced, not mailed again (%s)", email, reason)

    def delivered(self, email: str) -> None:
        if email in self._soft:
            clear_soft_failures(self.db, email)
            self._soft.discard(email)


@dataclass(frozen=True)
class Failure:
    """One recipient a DSN reports as failed for good."""

    email: str
    status: str
    diagnostic: str


@dataclass
class BounceImport:
    """What `digest bounces import` found."""

    messages: int = 0
    reports: int = 0
    bounced: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"Marked {email} bounced." for email in self.bounced]
        lines.append(
            f"Read {self.messages} message(s), {self.reports} delivery status notification(s):"
            f" {len(self.bounced)} recipient(s) marked bounced, {len(self.already)} already"
            f" bounced, {len(self.unknown)} unknown address(es)."
        )
        return "\n".join(lines)


def import_maildir(db: Database, folder: Path, now: dt.datetime) -> BounceImport:
    """Mark bounced every known recipient a DSN in the maildir reports as failed for good."""
    if not (folder / "cur").is_dir() and not (folder / "new").is_dir():
        raise DigestError(f"{folder}: not a maildir (no cur/ or new/ folder)")
    report = BounceImport()
    for name, message in _messages(folder):
        report.messages += 1
        failures = permanent_failures(message)
        if failures is None:
            continue
        report.reports += 1
        for failure in failures:
            _apply(db, report, failure, now, name)
    return report


def permanent_failures(message: Message) -> list[Failure] | None:
    """The permanently failed recipients of a DSN (RFC 3464); None when it is not one."""
    if message.get_content_type() != "multipart/report":
        return None
    if message.get_param("report-type", "").lower() != "delivery-status":  # type: ignore[union-attr]
        return None
    status_part = next(
        (p for p in message.walk() if p.get_content_type() == "message/delivery-status"), None
    )
    if status_part is None:
        return None
    groups = status_part.get_payload()
    failures = []
    for fields in groups[1:] if isinstance(groups, list) else []:  # the first is per message
        if not isinstance(fields, Message):
            continue
        action = str(fields.get("Action", "")).strip().lower()
        status = str(fields.get("Status", "")).strip()
        address = _address(str(fields.get("Final-Recipient", "")))
        if action == "failed" and status.startswith("5") and address:
            diagnostic = " ".join(str(fields.get("Diagnostic-Code", "")).split())
            failures.append(Failure(address, status, diagnostic))
    return failures


def _apply(
    db: Database, report: BounceImport, failure: Failure, now: dt.datetime, name: str
) -> None:
    person = get_recipient(db, failure.email)
    if person is None:
        report.unknown.append(failure.email)
        return
    detail = f"{failure.status} {failure.diagnostic}".strip()
    if move(db, person.email, BOUNCED, f"delivery status notification {name}: {detail}", now):
        report.bounced.append(person.email)
    else:
        report.already.append(person.email)


def _messages(folder: Path) -> Iterator[tuple[str, EmailMessage]]:
    box = mailbox.Maildir(folder, factory=None, create=False)
    for key in sorted(box.iterkeys()):
        try:
            raw = box.get_bytes(key)
        except OSError as e:
            log.error("%s/%s: cannot read: %s", folder, key, e)
            continue
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        yield key, parsed


def _address(field_value: str) -> str:
    """`rfc822; jane@example.com` -> `jane@example.com` (lower-cased)."""
    kind, _, address = field_value.partition(";")
    if not address:
        address, kind = kind, "rfc822"
    address = address.strip().strip("<>").lower()
    return address if kind.strip().lower() == "rfc822" and "@" in address else ""
