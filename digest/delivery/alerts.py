"""Operator alerts: an email to `newsletter.alerts_to` when a run fails or a feed keeps failing.

Each failure is mailed once (remembered in the store's `alerts` table), through the delivery
transports: an .eml in `<outbox>/alerts/`, or SMTP. Alerts never raise: one that cannot be sent
is logged and tried again at the next check.
"""

from __future__ import annotations

import datetime as dt
import logging
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, formataddr, make_msgid

from digest.config import Settings
from digest.delivery.messages import OutgoingMessage
from digest.delivery.transports import OutboxTransport, Transport, open_transport
from digest.errors import DigestError
from digest.store.db import Database, from_iso
from digest.store.feeds import FeedState, feed_health
from digest.store.runs import alert_sent, remember_alert
from digest.text.slug import slug

log = logging.getLogger("digest.delivery.alerts")


def feeds_in_trouble(db: Database) -> list[FeedState]:
    """Feeds whose last fetch failed, or that were disabled; the longest failing first."""
    troubled = [f for f in feed_health(db) if f.consecutive_failures > 0 or f.disabled]
    return sorted(troubled, key=lambda f: (f.failing_since or "~", f.name))


def alert_run_failed(
    settings: Settings, db: Database, now: dt.datetime, day: dt.date, slot: int, error: str
) -> bool:
    """Mail the operator that the scheduled run of `day` failed; True when an alert went out."""
    local = now.astimezone(settings.newsletter.zone)
    subject = f"[{settings.newsletter.name}] the run of the edition of {day} failed"
    body = (
        f"The scheduled run of the edition of {day} failed at {local:%Y-%m-%d %H:%M %Z}:\n\n"
        f"    {error}\n\n"
        "The scheduler keeps running. Its next start resumes the edition, and so does\n"
        f"`digest run --date {day}`. `digest status` shows the recent runs.\n"
    )
    return _alert_once(settings, db, now, f"run:{day}#{slot}", subject, body)


def alert_failing_feeds(settings: Settings, db: Database, now: dt.datetime) -> int:
    """Mail the operator about each feed failing for `alert_after_hours`; how many were sent."""
    after = dt.timedelta(hours=settings.newsletter.alert_after_hours)
    sent = 0
    for feed in feeds_in_trouble(db):
        if feed.disabled or not feed.failing_since or now - from_iso(feed.failing_since) < after:
            continue
        since = from_iso(feed.failing_since).astimezone(settings.newsletter.zone)
        hours = int((now - since).total_seconds() // 3600)
        subject = f"[{settings.newsletter.name}] the feed {feed.name} has been failing for {hours}h"
        body = (
            f"The feed {feed.name} ({feed.url}) has failed {feed.consecutive_failures} fetch(es)"
            f" in a row\nsince {since:%Y-%m-%d %H:%M %Z}.\n\n"
            f"Last error: {feed.last_error or 'unknown'}\n\n"
            "Editions go on without it. `digest feeds check` shows every feed's health.\n"
        )
        key = f"feed:{feed.name}:{feed.failing_since}"
        sent += _alert_once(settings, db, now, key, subject, body)
    return sent


def alert_message(settings: Settings, subject: str, body: str, now: dt.datetime) -> EmailMessage:
    """The alert as an email: plain text, from the newsletter's sender, to `alerts_to`."""
    newsletter = settings.newsletter
    message = EmailMessage()
    message["From"] = formataddr((f"{newsletter.name} alerts", newsletter.sender))
    message["To"] = ", ".join(newsletter.alerts_to)
    message["Subject"] = subject
    message["Date"] = format_datetime(now.astimezone(dt.UTC))
    message["Message-ID"] = make_msgid("alert", newsletter.sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to it
    message.set_content(body)
    return message


def _alert_once(
    settings: Settings, db: Database, now: dt.datetime, key: str, subject: str, body: str
) -> bool:
    if not settings.newsletter.alerts_to:
        return False
    if alert_sent(db, key):
        return False
    message = alert_message(settings, subject, body, now)
    try:
        _send(settings, message, now)
    except DigestError as e:
        log.warning("could not send the alert %r: %s", subject, e)
        return False
    remember_alert(db, key, now)
    log.info("alert sent to %s: %s", message["To"], subject)
    return True


def _send(settings: Settings, message: EmailMessage, now: dt.datetime) -> None:
    """Through the delivery transports: SMTP as configured, or `<outbox>/alerts/`."""
    transport: Transport
    if settings.delivery.transport == "outbox":
        folder = settings.resolve(settings.delivery.outbox) / "alerts"
        transport = OutboxTransport(folder, settings.root)
    else:
        transport = open_transport(settings)
    name = f"{now.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}-{slug(str(message['Subject']))}"
    data = message.as_bytes(policy=SMTP_POLICY)
    try:
        for recipient in settings.newsletter.alerts_to:
            outgoing = OutgoingMessage(
                recipient, str(message["Message-ID"]), settings.newsletter.sender, data
            )
            transport.send(outgoing, name, lambda: None)
    finally:
        transport.close()
