"""A real aiosmtpd server on 127.0.0.1 for tests, and handlers that misbehave on purpose.

`SmtpServer(Recorder(...))` starts a threaded server; `.port`, `.stop()`. The Recorder
keeps every accepted message and can answer 451 or 550 for chosen recipients, drop the
connection after every k messages, or run a callback as each message arrives.
Also: `make_certificate` (a self-signed certificate for 127.0.0.1, via the openssl CLI)
and `store_test_edition` (a stored edition carrying every placeholder).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import email.policy
import shutil
import socket
import ssl
import subprocess
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from digest.edition.placeholders import EMAIL, NAME, PREFERENCES_URL, UNSUBSCRIBE_URL
from digest.models import Edition, RenderedEdition
from digest.store import Database
from digest.store.editions import save_edition


@dataclass
class Received:
    """One message the server accepted."""

    recipients: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.data, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])


@dataclass
class Recorder:
    """An aiosmtpd handler that records what it accepts and misbehaves as told.

    - `soft_fail`: recipient -> how many times to answer 451 before accepting;
    - `refuse`: recipients answered 550 (every time);
    - `drop_every`: close the connection instead of answering the MAIL FROM that follows
      every k-th accepted message on a connection;
    - `lose_once`: recipients whose first message is dropped after its final "." with no
      answer and not kept (a server that crashed while accepting);
    - `keep_and_drop`: recipients whose messages are kept, then the connection is closed
      before the 250 (every time);
    - `keep_and_hang`: recipients whose messages are kept and never answered (the client
      times out);
    - `on_message`: called with the number of messages accepted so far, before the 250.
    """

    soft_fail: dict[str, int] = field(default_factory=dict)
    refuse: set[str] = field(default_factory=set)
    drop_every: int = 0
    lose_once: set[str] = field(default_factory=set)
    keep_and_drop: set[str] = field(default_factory=set)
    keep_and_hang: set[str] = field(default_factory=set)
    on_message: Callable[[int], None] | None = None
    received: list[Received] = field(default_factory=list)
    connections: int = 0
    _per_session: Counter[int] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_EHLO(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        if id(session) not in self._per_session:
            self.connections += 1
            self._per_session[id(session)] = 0
        session.host_name = hostname
        return responses

    async def handle_MAIL(  # noqa: N802
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        done = self._per_session[id(session)]
        if self.drop_every and done and done % self.drop_every == 0:
            self._per_session[id(session)] = -1  # answer normally if the client stays
            server.transport.close()
            return "421 closing"  # never seen: the transport is closed
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(  # noqa: N802
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address.lower() in self.refuse:
            return "550 5.1.1 No such user here"
        with self._lock:
            left = self.soft_fail.get(address.lower(), 0)
            if left:
                self.soft_fail[address.lower()] = left - 1
                return "451 4.7.1 Greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        lost = {r.lower() for r in envelope.rcpt_tos} & self.lose_once
        if lost:
            self.lose_once -= lost
            server.transport.close()
            return "451 never seen"
        with self._lock:
            self.received.append(Received(list(envelope.rcpt_tos), bytes(envelope.content)))
            count = len(self.received)
        self._per_session[id(session)] = max(self._per_session[id(session)], 0) + 1
        kept = {r.lower() for r in envelope.rcpt_tos}
        if kept & self.keep_and_drop:
            server.transport.close()
            return "250 never seen"
        if kept & self.keep_and_hang:
            await asyncio.sleep(30)
        if self.on_message:
            self.on_message(count)
        return "250 Message accepted"

    def copies(self) -> Counter[str]:
        """How many messages each recipient got."""
        return Counter(r.lower() for item in self.received for r in item.recipients)


class SmtpServer:
    """A threaded aiosmtpd Controller on 127.0.0.1 and a free port."""

    def __init__(self, handler: Recorder, **smtp_options: Any) -> None:
        self.handler = handler
        self.port = free_port()
        self.controller = Controller(
            handler, hostname="127.0.0.1", port=self.port, ready_timeout=10, **smtp_options
        )
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def password_checker(username: str, password: str) -> Callable[..., AuthResult]:
    """An aiosmtpd authenticator accepting one LOGIN/PLAIN pair."""

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        ok = (
            isinstance(data, LoginPassword)
            and data.login == username.encode()
            and data.password == password.encode()
        )
        return AuthResult(success=ok, handled=False)

    return authenticate


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """(cert.pem, key.pem): self-signed, for localhost and 127.0.0.1; needs the openssl CLI."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise RuntimeError("the openssl command is needed to make a test certificate")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def server_tls_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def store_test_edition(db: Database, now: dt.datetime, edition_id: str = "2025-06-10") -> None:
    """A stored edition whose html and text carry every per-recipient placeholder."""
    html = (
        "<html><body><h1>Trade talks resume in London</h1>\n"
        f"<p>Good morning, {NAME} ({EMAIL}).</p>\n"
        f"<p>{'The S&amp;P 500 rose 0.3% at 2 pm ET — markets waited on London. ' * 4}</p>\n"
        f'<p><a href="{UNSUBSCRIBE_URL}">Unsubscribe</a>'
        f' · <a href="{PREFERENCES_URL}">Preferences</a></p>\n</body></html>\n'
    )
    text = (
        "Trade talks resume in London\n\n"
        f"Good morning, {NAME}.\n"
        ".A line that starts with a dot.\n\n"
        f"Unsubscribe: {UNSUBSCRIBE_URL}\n"
    )
    rendered = RenderedEdition("🟠 Trade talks resume in London", "Plus, rare earths", html, text)
    edition = Edition(id=edition_id, date=now.date(), built=now, segments=())
    save_edition(db, edition, rendered, "{}")
