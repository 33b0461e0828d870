"""An edition's email, one message per recipient, as the bytes SMTP sends (CRLF lines).

The shared headers and every body line without a placeholder are encoded once per
edition; each recipient costs only their own lines and headers (microseconds, not the
milliseconds `email.message` takes). Sending and retrying are not done here.
"""

from __future__ import annotations

import binascii
import datetime as dt
import email.policy
import hashlib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from html import escape
from urllib.parse import quote

from digest.config import Settings
from digest.delivery.dkim import DkimSigner
from digest.delivery.links import UNSUBSCRIBE, LinkSigner, page_url
from digest.edition import placeholders
from digest.models import Recipient
from digest.store.editions import StoredEdition
from digest.store.recipients import StoredRecipient
from digest.text.slug import slug

_POLICY = email.policy.SMTP
_TOKENS = (
    placeholders.NAME,
    placeholders.EMAIL,
    placeholders.UNSUBSCRIBE_URL,
    placeholders.PREFERENCES_URL,
)
_SHORT_LINE = 78  # longer lines, or any non-ASCII, make a part quoted-printable


@dataclass(frozen=True)
class OutgoingMessage:
    """One recipient's message, built once and reused for every retry."""

    recipient: str
    message_id: str
    #: Envelope sender (SMTP MAIL FROM).
    sender: str
    #: Headers and body with CRLF line ends, before SMTP dot-stuffing.
    data: bytes


def sender_domain(settings: Settings) -> str:
    return settings.newsletter.sender.rpartition("@")[2].lower()


def message_id_for(edition_id: str, recipient: str, domain: str, newsletter: str = "") -> str:
    """Stable per (newsletter, edition, recipient): a resend is recognizably the same message,
    and two newsletters of one sender (their List-Id differs) never share one."""
    key = f"{newsletter}\0{recipient.lower()}" if newsletter else recipient.lower()
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return f"<{edition_id}.{digest}@{domain}>"


def list_id(settings: Settings) -> str:
    """`delivery.list_id`, else `Name <newsletter-slug.sender-domain>` (RFC 2919)."""
    configured = settings.delivery.list_id.strip()
    if configured:
        return configured if "<" in configured else f"<{configured}>"
    name = settings.newsletter.name
    return f"{_one_line(name)} <{slug(name, empty='digest')}.{sender_domain(settings)}>"


def unsubscribe_links(
    settings: Settings, token: str, links: LinkSigner | None = None
) -> tuple[str, str]:
    """(mailto link, https link or '') carrying the recipient's token.

    With `[web] base_url` (and a signer) the https link is `digest serve`'s signed
    /unsubscribe page; else `theme.unsubscribe_url`, when set.
    """
    address = settings.delivery.unsubscribe_mailto or settings.newsletter.sender
    mailto = f"mailto:{address}?subject={quote('unsubscribe ' + token)}"
    if links and settings.web.base_url:
        return mailto, page_url(settings, links, UNSUBSCRIBE, token)
    page = settings.theme.unsubscribe_url
    return mailto, page.replace("{token}", quote(token)) if page else ""


def sample_values(settings: Settings, reader: Recipient | StoredRecipient | None) -> dict[str, str]:
    """The per-recipient tokens filled in for a sample reader (a preview, `digest build`):
    their name and address, or "there" and a stand-in address. The unsubscribe link is the
    mailto one, which works from a preview and unsubscribes nobody by a click."""
    mailto = f"mailto:{settings.delivery.unsubscribe_mailto or settings.newsletter.sender}"
    theme = settings.theme
    unsubscribe = theme.unsubscribe_url.replace("{token}", "preview") or (
        f"{mailto}?subject=unsubscribe"
    )
    return {
        placeholders.NAME: (reader.name if reader else "") or "there",
        placeholders.EMAIL: reader.email if reader else "reader@example.com",
        placeholders.UNSUBSCRIBE_URL: unsubscribe,
        placeholders.PREFERENCES_URL: theme.preferences_url.replace("{token}", "preview")
        or unsubscribe,
    }


class EditionMessages:
    """Builds the messages of one stored edition, optionally DKIM-signed."""

    def __init__(
        self,
        settings: Settings,
        edition: StoredEdition,
        now: dt.datetime,
        signer: DkimSigner | None = None,
        links: LinkSigner | None = None,
    ) -> None:
        self.settings = settings
        self.edition = edition
        self.signer = signer
        self.links = links
        self.domain = sender_domain(settings)
        seed = f"{edition.id}\0{edition.subject}\0{edition.text}\0{edition.html}".encode()
        boundary = "=_digest_" + hashlib.sha256(seed).hexdigest()[:24]
        self._boundary = boundary.encode()
        self._head = _shared_headers(settings, edition, now, boundary)
        self._text = _Part("text/plain", edition.text, boundary)
        self._html = _Part("text/html", edition.html, boundary)

    def message_id(self, recipient: str) -> str:
        return message_id_for(self.edition.id, recipient, self.domain, list_id(self.settings))

    def build(self, recipient: StoredRecipient) -> OutgoingMessage:
        text_values, html_values = self._values(recipient)
        message_id = self.message_id(recipient.email)
        rule = b"--" + self._boundary
        data = b"".join(
            [
                self._head,
                self._own_headers(recipient, message_id),
                b"\r\n",
                rule + b"\r\n" + self._text.render(text_values) + b"\r\n",
                rule + b"\r\n" + self._html.render(html_values) + b"\r\n",
                rule + b"--\r\n",
            ]
        )
        if self.signer:
            data = self.signer.sign(data)
        sender = self.settings.newsletter.sender
        return OutgoingMessage(recipient.email, message_id, sender, data)

    def _own_headers(self, recipient: StoredRecipient, message_id: str) -> bytes:
        mailto, page = unsubscribe_links(self.settings, recipient.token, self.links)
        to = formataddr((_one_line(recipient.name), recipient.email), charset="utf-8")
        lines = [f"To: {to}", f"Message-ID: {message_id}"]
        if page:
            lines.append(f"List-Unsubscribe: <{page}>,\r\n <{mailto}>")
            lines.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
        else:
            lines.append(f"List-Unsubscribe: <{mailto}>")
        return "".join(line + "\r\n" for line in lines).encode("ascii")

    def _values(self, recipient: StoredRecipient) -> tuple[dict[str, str], dict[str, str]]:
        mailto, page = unsubscribe_links(self.settings, recipient.token, self.links)
        unsubscribe = page or mailto
        prefs = self.settings.theme.preferences_url.replace("{token}", quote(recipient.token))
        text = {
            # The token stands in a greeting ("Hi [[digest:name]],"): never leave it empty.
            placeholders.NAME: recipient.name or "there",
            placeholders.EMAIL: recipient.email,
            placeholders.UNSUBSCRIBE_URL: unsubscribe,
            placeholders.PREFERENCES_URL: prefs or unsubscribe,
        }
        return text, {token: escape(value) for token, value in text.items()}


class _Part:
    """One MIME body part whose placeholder-free lines are encoded once."""

    def __init__(self, content_type: str, content: str, boundary: str) -> None:
        lines = content.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.quoted = _needs_quoting(lines, boundary)
        cte = "quoted-printable" if self.quoted else "7bit"
        self.header = (
            f'Content-Type: {content_type}; charset="utf-8"\r\n'
            f"Content-Transfer-Encoding: {cte}\r\n\r\n"
        ).encode()
        self.chunks: list[bytes | str] = []
        run: list[bytes] = []
        for line in lines:
            if any(token in line for token in _TOKENS):
                if run:
                    self.chunks.append(b"\r\n".join(run))
                    run = []
                self.chunks.append(line)
            else:
                run.append(self._encode(line))
        if run:
            self.chunks.append(b"\r\n".join(run))

    def render(self, values: dict[str, str]) -> bytes:
        body = b"\r\n".join(
            chunk if isinstance(chunk, bytes) else self._encode(_fill(chunk, values))
            for chunk in self.chunks
        )
        return self.header + body

    def _encode(self, line: str) -> bytes:
        if not self.quoted:
            return line.encode("ascii")
        # One line in, so every newline out is a soft line break.
        return binascii.b2a_qp(line.encode("utf-8"), istext=True).replace(b"\n", b"\r\n")


def _needs_quoting(lines: list[str], boundary: str) -> bool:
    return any(
        len(line) > _SHORT_LINE
        or not line.isascii()
        or boundary in line
        or any(token in line for token in _TOKENS)
        for line in lines
    )


def _fill(line: str, values: dict[str, str]) -> str:
    return placeholders.personalize(line, values)


def _shared_headers(
    settings: Settings, edition: StoredEdition, now: dt.datetime, boundary: str
) -> bytes:
    """From, Subject, Date, List-Id and the MIME headers, folded by the email package."""
    head = EmailMessage(policy=_POLICY)
    head["From"] = formataddr((_one_line(settings.newsletter.name), settings.newsletter.sender))
    head["Subject"] = _one_line(edition.subject)
    head["Date"] = format_datetime(now.astimezone(settings.newsletter.zone))
    head["List-Id"] = list_id(settings)
    head["MIME-Version"] = "1.0"
    head["Content-Type"] = f'multipart/alternative; boundary="{boundary}"'
    return b"".join(_POLICY.fold_binary(name, value) for name, value in head.items())


def _one_line(value: str) -> str:
    return " ".join(value.split())
