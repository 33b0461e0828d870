"""The confirmation email a subscribe request sends, through the configured transport.

Plain text, one link. Whether to send it (rate limits, already active) is decided before.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import logging
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

from digest.config import Settings
from digest.delivery.messages import OutgoingMessage, sender_domain
from digest.delivery.transports import open_transport
from digest.errors import DigestError
from digest.store.recipients import StoredRecipient

log = logging.getLogger("digest")


def confirmation_message(
    settings: Settings, person: StoredRecipient, link: str, now: dt.datetime
) -> OutgoingMessage:
    newsletter = settings.newsletter
    message = EmailMessage(policy=email.policy.SMTP)
    message["From"] = formataddr((newsletter.name, newsletter.sender))
    message["To"] = formataddr((person.name, person.email))
    message["Subject"] = f"Confirm your subscription to {newsletter.name}"
    message["Date"] = format_datetime(now.astimezone(newsletter.zone))
    message["Message-ID"] = make_msgid("confirm", domain=sender_domain(settings))
    message["Auto-Submitted"] = "auto-generated"
    greeting = f"Hi {person.name}," if person.name else "Hi there,"
    message.set_content(
        f"{greeting}\n\n"
        f"Someone, hopefully you, asked to receive {newsletter.name} at {person.email}.\n"
        f"To confirm, open this link:\n\n{link}\n\n"
        "If it wasn't you, ignore this email: nothing will be sent to you.\n"
    )
    return OutgoingMessage(
        person.email, str(message["Message-ID"]), newsletter.sender, message.as_bytes()
    )


def send_confirmation(
    settings: Settings, person: StoredRecipient, link: str, now: dt.datetime
) -> bool:
    """Send it; False (and an error in the log naming the address) when it could not go."""
    message = confirmation_message(settings, person, link, now)
    transport = open_transport(settings)
    try:
        transport.send(message, f"confirm-{now:%Y%m%dT%H%M%S}", lambda: None)
    except DigestError as e:
        log.error("%s: the confirmation email could not be sent: %s", person.email, e)
        return False
    finally:
        transport.close()
    return True
