"""Deliver a stored edition to every active recipient exactly once, across crashes and re-runs.

Each (edition, recipient) has a row in `deliveries`, written before and after each send:
pending -> sending -> sent | failed, or back to pending for a retry. Over SMTP, 'sending'
is written once the whole message is with the server and only the final "." remains, so:

- a crash before that point leaves 'pending': the server never accepted it; it is sent again;
- a crash after it leaves 'sending': the server had the complete message, and accepts it in
  all but rare cases, so the next run records it as sent ("unconfirmed") rather than risk a
  second copy. What remains is the rare loss: the server refused the message in the same
  moments this process died. A resend would carry the same Message-ID anyway.

Over SMTP, no answer after the final "." (the connection dropped, or the reply never came)
is uncertain: the server may have kept the message. It is recorded as such (`digest status`
counts it) and sent once more at most; a second hand-over without an answer is recorded as
sent and never tried a third time. So such a server gives a reader two copies at most, with
the same Message-ID. The outbox needs none of this: files are named per recipient and
replaced atomically. Rows are written one autocommitted statement at a time (WAL,
synchronous=NORMAL: tens of microseconds, durable across a process crash but not a power
cut); batching the 'sending' writes would let a crash leave accepted messages 'pending'.
The edition is 'delivered' once every row is sent or failed. A lease in the store keeps a
second `digest send` from sending.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from digest.config import Settings
from digest.delivery.bounces import BounceKeeper
from digest.delivery.dkim import DkimSigner
from digest.delivery.links import LinkSigner
from digest.delivery.messages import EditionMessages, OutgoingMessage
from digest.delivery.recipients import configured_recipients
from digest.delivery.transports import Transport, open_transport
from digest.errors import DeliveryError, DigestError, UncertainDeliveryError
from digest.store import deliveries
from digest.store.db import Database
from digest.store.editions import StoredEdition, get_edition, set_status
from digest.store.lease import StoreLease
from digest.store.recipients import StoredRecipient, mailing_list, sync_configured

log = logging.getLogger("digest")

UNCONFIRMED = (
    "unconfirmed: the previous run stopped after handing the whole message to the server;"
    " recorded as sent, not resent, to avoid a second copy"
)


@dataclass(frozen=True)
class DeliveryReport:
    """What one call of `deliver_edition` did."""

    edition_id: str
    #: "outbox: outbox/" or "smtp: host:port"
    destination: str
    #: Messages delivered by this run.
    sent: int
    #: Permanent failures of this run: (recipient, reason).
    failed: tuple[tuple[str, str], ...]
    #: Recipients an earlier run had already delivered to.
    already_sent: int
    #: Recipients still waiting (retryable failures); the next `digest send` retries them.
    pending: int
    #: Configured recipients skipped as invalid, one line each.
    problems: tuple[str, ...] = ()
    #: Recipients whose message an interrupted run had handed over (recorded as sent).
    unconfirmed: tuple[str, ...] = ()

    #: Recipients handed their message with no answer after it, in this run (maybe delivered).
    uncertain: tuple[str, ...] = ()

    def summary(self) -> str:
        if not self.sent and not self.failed and not self.pending:
            return self._nothing_sent() + self._notes() + "."
        if self.sent:
            line = f"Delivered edition {self.edition_id} to {_count(self.sent, 'recipient')}"
        else:
            line = f"Sent no message of edition {self.edition_id}"
        line += f" ({self.destination})"
        if self.failed:
            first, reason = self.failed[0]
            more = f" and {len(self.failed) - 1} more" if len(self.failed) > 1 else ""
            line += f"; {len(self.failed)} failed ({first}: {reason}{more})"
        if self.pending:
            line += f"; {self.pending} still pending, run `digest send` again to retry"
        return line + self._notes() + "."

    def _nothing_sent(self) -> str:
        if self.unconfirmed:
            return (
                f"Finished edition {self.edition_id}: nothing was left to send;"
                f" {_count(len(self.unconfirmed), 'message')} the interrupted run had handed"
                " to the server recorded as sent (unconfirmed)"
            )
        if not self.already_sent:
            return f"Nothing to deliver: edition {self.edition_id} has no active recipients"
        return (
            f"Nothing new to deliver: edition {self.edition_id} already sent to "
            f"{_count(self.already_sent, 'recipient')}"
        )

    def _notes(self) -> str:
        notes = ""
        if self.uncertain:
            notes += (
                f"; {_count(len(self.uncertain), 'message')} got no answer from the server"
                " after it had the whole message (uncertain, resent at most once;"
                " see `digest status`)"
            )
        if self.problems:
            notes += f"; skipped {_count(len(self.problems), 'invalid recipient')}"
        return notes


def deliver_edition(
    settings: Settings, db: Database, edition_id: str, now: dt.datetime
) -> DeliveryReport:
    """Send the stored edition to every active recipient who has not had it yet."""
    edition = get_edition(db, edition_id)
    if edition is None:
        raise DigestError(f"no edition {edition_id} in the store: build it first")
    clock = _Clock(now)
    lease = StoreLease(db, "send")
    lease.acquire()
    try:
        return _deliver(settings, db, edition, clock, lease)
    finally:
        lease.release()


def _deliver(
    settings: Settings, db: Database, edition: StoredEdition, clock: _Clock, lease: StoreLease
) -> DeliveryReport:
    listed = configured_recipients(settings)
    for problem in listed.problems:
        log.warning("Skipped a recipient: %s", problem)
    sync_configured(db, listed.recipients, clock.now())
    people = {r.email: r for r in mailing_list(db, [r.email for r in listed.recipients])}
    dkim, links = DkimSigner.from_settings(settings), LinkSigner.for_store(db)
    messages = EditionMessages(settings, edition, clock.now(), dkim, links)
    unconfirmed = deliveries.settle_interrupted(db, edition.id, clock.now(), UNCONFIRMED)
    already = deliveries.delivery_counts(db, edition.id)[deliveries.SENT]
    wanted = [(email, messages.message_id(email)) for email in people]
    deliveries.plan_deliveries(db, edition.id, wanted, clock.now())
    queue = [people[email] for email in deliveries.pending_recipients(db, edition.id)]
    if queue:
        set_status(db, edition.id, "sending")
    transport = open_transport(settings)
    try:
        run = _Sending(settings, db, edition.id, messages, transport, clock, lease.renew)
        run.send_all(queue)
    finally:
        transport.close()
    counts = deliveries.delivery_counts(db, edition.id)
    if counts[deliveries.SENT] + counts[deliveries.FAILED] == sum(counts.values()) > 0:
        set_status(db, edition.id, "delivered")
    return DeliveryReport(
        edition_id=edition.id,
        destination=transport.description,
        sent=run.sent,
        failed=tuple(run.failed),
        already_sent=already,
        pending=counts[deliveries.PENDING],
        problems=listed.problems,
        unconfirmed=tuple(unconfirmed),
        uncertain=tuple(dict.fromkeys(run.uncertain)),
    )


class _Sending:
    """Sends a queue in rounds: retryable failures wait and go again, with backoff."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        edition_id: str,
        messages: EditionMessages,
        transport: Transport,
        clock: _Clock,
        renew: Callable[[], None],
    ) -> None:
        self.db, self.edition_id, self.messages = db, edition_id, messages
        self.transport, self.clock, self.renew = transport, clock, renew
        smtp = settings.delivery.smtp
        self.rounds = 1 + (smtp.retries if settings.delivery.transport == "smtp" else 0)
        self.delay = smtp.retry_delay
        self.sent = 0
        self.failed: list[tuple[str, str]] = []
        self.uncertain: list[str] = []  # handed over, no answer: maybe delivered
        self.bounces = BounceKeeper(settings, db)  # a 5xx bounces; 4xx day after day too

    def send_all(self, queue: Sequence[StoredRecipient]) -> None:
        built: dict[str, OutgoingMessage] = {}  # kept only for recipients waiting on a retry
        for round_ in range(self.rounds):
            if round_:
                time.sleep(self.delay * 2 ** (round_ - 1))
            waiting = []
            for person in queue:
                self.renew()
                message = built.pop(person.email, None) or self._build(person)
                if message is None:
                    continue
                if not self._send(message):
                    waiting.append(person)
                    built[person.email] = message
            queue = waiting
            if not queue:
                return

    def _build(self, person: StoredRecipient) -> OutgoingMessage | None:
        """The recipient's message; a recipient whose message cannot be built fails alone."""
        try:
            return self.messages.build(person)
        except (ValueError, UnicodeError) as e:
            reason = f"the message could not be built: {e}"
            deliveries.mark_failed(self.db, self.edition_id, person.email, self.clock.now(), reason)
            self.failed.append((person.email, reason))
            log.error("%s: %s", person.email, reason)
            return None

    def _send(self, message: OutgoingMessage) -> bool:
        """Send one message and record the outcome; False when it should be retried."""
        db, edition, who = self.db, self.edition_id, message.recipient
        handed_over = False

        def hand_over() -> None:
            nonlocal handed_over
            deliveries.mark_sending(db, edition, who, self.clock.now())
            handed_over = True

        try:
            self.transport.send(message, edition, hand_over)
        except UncertainDeliveryError as e:
            log.warning("%s: %s", who, e.reason)
            self.uncertain.append(who)
            # The first time it goes once more, in the next round; the second time, never again.
            return not deliveries.mark_uncertain(db, edition, who, self.clock.now(), e.reason)
        except DeliveryError as e:
            mark = deliveries.mark_failed if e.permanent else deliveries.mark_pending
            mark(db, edition, who, self.clock.now(), e.reason, not handed_over)
            self.bounces.refused(who, self.clock.now(), e.reason, permanent=e.permanent)
            if e.permanent:
                self.failed.append((who, e.reason))
            return e.permanent
        deliveries.mark_sent(db, edition, who, self.clock.now(), attempt=not handed_over)
        self.bounces.delivered(who)
        self.sent += 1
        return True


class _Clock:
    """The caller's `now`, advanced by the real time elapsed since."""

    def __init__(self, start: dt.datetime) -> None:
        self.start = start
        self.started = time.monotonic()

    def now(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=time.monotonic() - self.started)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
