"""Where built messages go: the outbox folder (one .eml each) or an SMTP server.

A transport sends one message and says how it went: DeliveryError for that recipient
(`permanent` or retryable), TransportError when nothing can be sent. Deciding what to
retry and recording states is deliver.py's job.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import smtplib
import socket
import ssl
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from digest.config import Settings, Smtp
from digest.delivery.messages import OutgoingMessage
from digest.errors import DeliveryError, TransportError, UncertainDeliveryError

#: Called once the whole message is with the server and only the final "." remains.
HandOver = Callable[[], None]


class Transport(Protocol):
    #: Where messages go, for the report: "outbox: outbox/" or "smtp: host:587".
    description: str

    def send(self, message: OutgoingMessage, edition_id: str, hand_over: HandOver) -> None: ...

    def close(self) -> None: ...


def open_transport(settings: Settings) -> Transport:
    if settings.delivery.transport == "smtp":
        return SmtpTransport(settings.delivery.smtp)
    return OutboxTransport(settings.resolve(settings.delivery.outbox), settings.root)


def outbox_name(edition_id: str, recipient: str) -> str:
    """`{edition}--{recipient}.eml`, safe on any filesystem; stable, so rewriting is harmless.

    Characters a filesystem may not take become "_"; when that changed the address, a short
    hash of it keeps two recipients ("a/b@x", "a#b@x") from sharing one file.
    """
    safe = re.sub(r"[^A-Za-z0-9@._+-]", "_", recipient)
    if safe != recipient:
        safe += "-" + hashlib.sha256(recipient.encode()).hexdigest()[:8]
    return re.sub(r"[^A-Za-z0-9@._+-]", "_", edition_id) + f"--{safe}.eml"


class OutboxTransport:
    """Writes each message atomically (temp file + rename) under a stable name.

    Writing the same message twice leaves one file, so a resend after a crash is harmless.
    """

    def __init__(self, folder: Path, root: Path) -> None:
        self.folder = folder
        shown = folder.relative_to(root) if folder.is_relative_to(root) else folder
        self.description = f"outbox: {shown}/"

    def send(self, message: OutgoingMessage, edition_id: str, hand_over: HandOver) -> None:
        target = self.folder / outbox_name(edition_id, message.recipient)
        temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temp.write_bytes(message.data)
            os.replace(temp, target)
        except OSError as e:
            raise TransportError(str(self.folder), f"cannot write to the outbox: {e}") from e

    def close(self) -> None:
        pass


class _DroppedError(Exception):
    """The connection went away mid-transaction."""

    def __init__(self, reason: str, handed_over: bool) -> None:
        super().__init__(reason)
        self.handed_over = handed_over


class SmtpTransport:
    """One verified-TLS connection, reused across messages, reopened when dropped.

    Paced by `rate_per_second`; reconnects after `per_connection` messages. A connection
    dropped before the end of a message is reopened and the message sent again at once; no
    answer after its end (dropped, timed out) is UncertainDeliveryError: the server may
    have kept it, so deliver.py resends it at most once.
    """

    def __init__(self, config: Smtp, sleep: Callable[[float], None] = time.sleep) -> None:
        self.config = config
        self.host = f"{config.host}:{config.port}"
        self.description = f"smtp: {self.host}"
        self._sleep = sleep
        self._conn: smtplib.SMTP | None = None
        self._on_conn = 0
        self._next_at = 0.0

    def send(self, message: OutgoingMessage, edition_id: str, hand_over: HandOver) -> None:
        self._pace()
        for attempt in (1, 2):
            conn = self._connection()
            self._on_conn += 1
            try:
                return self._transaction(conn, message, hand_over)
            except _DroppedError as e:
                self._discard()
                if e.handed_over:
                    reason = f"{self.host} gave no answer after the whole message: {e}"
                    raise UncertainDeliveryError(message.recipient, reason) from None
                if attempt == 2:
                    reason = f"{self.host} dropped the connection: {e}"
                    raise DeliveryError(message.recipient, reason) from None

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self._conn.quit()
            self._discard()

    def _pace(self) -> None:
        rate = self.config.rate_per_second
        if rate > 0:
            now = time.monotonic()
            if self._next_at > now:
                self._sleep(self._next_at - now)
            self._next_at = max(now, self._next_at) + 1 / rate
        limit = self.config.per_connection
        if limit and self._on_conn >= limit:
            self.close()

    def _transaction(
        self, conn: smtplib.SMTP, message: OutgoingMessage, hand_over: HandOver
    ) -> None:
        handed_over = False
        try:
            code, reply = conn.mail(message.sender)
            if code != 250:
                self._refused(conn, message, "MAIL FROM", code, reply, sender=True)
            code, reply = conn.rcpt(message.recipient)
            if code not in (250, 251):
                self._refused(conn, message, "RCPT TO", code, reply)
            code, reply = conn.docmd("DATA")
            if code != 354:
                self._refused(conn, message, "DATA", code, reply)
            conn.send(_dot_stuffed(message.data))
            hand_over()
            handed_over = True
            conn.send(b".\r\n")
            code, reply = conn.getreply()
        except (smtplib.SMTPServerDisconnected, OSError) as e:
            raise _DroppedError(str(e) or type(e).__name__, handed_over) from e
        if code != 250:
            self._refused(conn, message, "the message", code, reply, reset=False)

    def _refused(
        self,
        conn: smtplib.SMTP,
        message: OutgoingMessage,
        stage: str,
        code: int,
        reply: bytes,
        sender: bool = False,
        reset: bool = True,
    ) -> None:
        text = reply.decode("utf-8", "replace")
        reason = f"{self.host} answered {code} {text} to {stage}"
        if code == 421:  # the server is closing the connection
            self._discard()
        elif reset:
            try:
                conn.rset()
            except (OSError, smtplib.SMTPException):
                self._discard()
        permanent = 500 <= code < 600
        if sender and permanent:  # refusing our sender refuses every message
            raise TransportError(self.host, f"sender {message.sender} refused: {code} {text}")
        raise DeliveryError(message.recipient, reason, permanent=permanent)

    def _connection(self) -> smtplib.SMTP:
        if self._conn is None:
            self._conn = self._connect_with_retries()
            self._on_conn = 0
        return self._conn

    def _connect_with_retries(self) -> smtplib.SMTP:
        delay = self.config.retry_delay
        for attempt in range(self.config.retries + 1):
            try:
                return self._connect()
            except (OSError, smtplib.SMTPException) as e:
                if attempt == self.config.retries:
                    raise TransportError(self.host, f"cannot connect: {e}") from e
                self._sleep(delay * 2**attempt)
        raise AssertionError("unreachable")

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        context = ssl.create_default_context(cafile=c.cafile or None)
        local = socket.gethostname() or "localhost"  # getfqdn() may wait on DNS
        try:
            if c.security == "ssl":
                conn: smtplib.SMTP = smtplib.SMTP_SSL(
                    c.host, c.port, local, timeout=c.timeout, context=context
                )
            else:
                conn = smtplib.SMTP(c.host, c.port, local, timeout=c.timeout)
            try:
                self._start(conn, context)
            except BaseException:
                conn.close()
                raise
        except ssl.SSLCertVerificationError as e:
            reason = f"TLS certificate not trusted: {e.verify_message}"
            raise TransportError(self.host, reason) from e
        except (smtplib.SMTPAuthenticationError, smtplib.SMTPNotSupportedError) as e:
            hint = "" if c.password else " (DIGEST_SMTP_PASSWORD is not set)"
            raise TransportError(self.host, f"login as {c.username} refused: {e}{hint}") from e
        return conn

    def _start(self, conn: smtplib.SMTP, context: ssl.SSLContext) -> None:
        """EHLO, STARTTLS when configured, login when a username is set."""
        conn.ehlo()
        if self.config.security == "starttls":
            if not conn.has_extn("starttls"):
                raise TransportError(self.host, "the server does not offer STARTTLS")
            conn.starttls(context=context)
            conn.ehlo()
        if self.config.username:
            conn.login(self.config.username, self.config.password)
        if conn.sock is not None:  # the final "." goes out on its own: don't let Nagle hold it
            conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _discard(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(OSError):
                self._conn.close()
        self._conn = None


def _dot_stuffed(data: bytes) -> bytes:
    """RFC 5321 transparency: a line starting with "." gets one more; ends with CRLF."""
    stuffed = re.sub(rb"(?m)^\.", b"..", data) if b"\n." in data or data[:1] == b"." else data
    return stuffed if stuffed.endswith(b"\r\n") else stuffed + b"\r\n"
