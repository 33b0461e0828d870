"""Delivering to a real aiosmtpd server on 127.0.0.1 that misbehaves on purpose.

In every case each deliverable recipient gets exactly one copy.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dkim
import pytest

from digest.commands.status import status_report
from digest.config import Settings
from digest.delivery.deliver import deliver_edition
from digest.errors import TransportError
from digest.store import Database
from digest.store.deliveries import delivery_counts, failed_deliveries, uncertain_deliveries
from digest.store.editions import get_edition
from digest.store.recipients import get_recipient
from tests.conftest import ConfigFactory
from tests.smtpserver import (
    Recorder,
    SmtpServer,
    make_certificate,
    password_checker,
    server_tls_context,
    store_test_edition,
)

READERS = [f"reader{i}@example.com" for i in range(10)]


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def server(recorder: Recorder) -> Iterator[SmtpServer]:
    smtp = SmtpServer(recorder)
    yield smtp
    smtp.stop()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    try:
        return make_certificate(tmp_path_factory.mktemp("tls"))
    except RuntimeError as e:
        pytest.skip(str(e))


def smtp_config(make_config: ConfigFactory, port: int, **smtp: Any) -> Settings:
    options = {"host": "127.0.0.1", "port": port, "security": "none", "retry_delay": 0.01}
    return make_config(
        delivery={"transport": "smtp", "recipients": READERS, "smtp": {**options, **smtp}}
    )


def test_every_reader_gets_one_copy(
    make_config: ConfigFactory, db: Database, now: dt.datetime, server: SmtpServer
) -> None:
    store_test_edition(db, now)
    report = deliver_edition(smtp_config(make_config, server.port), db, "2025-06-10", now)

    assert server.handler.copies() == dict.fromkeys(READERS, 1)
    assert server.handler.connections == 1
    assert report.summary() == (
        f"Delivered edition 2025-06-10 to 10 recipients (smtp: 127.0.0.1:{server.port})."
    )
    assert delivery_counts(db, "2025-06-10") == {
        "pending": 0,
        "sending": 0,
        "sent": 10,
        "failed": 0,
    }
    edition = get_edition(db, "2025-06-10")
    assert edition is not None and edition.status == "delivered"


def test_a_second_send_sends_nothing(
    make_config: ConfigFactory, db: Database, now: dt.datetime, server: SmtpServer
) -> None:
    store_test_edition(db, now)
    settings = smtp_config(make_config, server.port)
    deliver_edition(settings, db, "2025-06-10", now)
    again = deliver_edition(settings, db, "2025-06-10", now)

    assert again.summary() == (
        "Nothing new to deliver: edition 2025-06-10 already sent to 10 recipients."
    )
    assert len(server.handler.received) == 10


def test_greylisted_readers_are_retried_until_accepted(
    make_config: ConfigFactory, db: Database, now: dt.datetime, recorder: Recorder
) -> None:
    recorder.soft_fail.update({"reader2@example.com": 2, "reader7@example.com": 1})
    server = SmtpServer(recorder)
    store_test_edition(db, now)
    report = deliver_edition(smtp_config(make_config, server.port), db, "2025-06-10", now)
    server.stop()

    assert recorder.copies() == dict.fromkeys(READERS, 1)
    assert (report.sent, report.pending, report.failed) == (10, 0, ())


def test_still_greylisted_readers_wait_for_the_next_send(
    make_config: ConfigFactory, db: Database, now: dt.datetime, server: SmtpServer
) -> None:
    server.handler.soft_fail["reader3@example.com"] = 3  # one try and one retry: not enough
    settings = smtp_config(make_config, server.port, retries=1)
    store_test_edition(db, now)
    first = deliver_edition(settings, db, "2025-06-10", now)

    assert (first.sent, first.pending) == (9, 1)
    assert "1 still pending, run `digest send` again to retry" in first.summary()
    edition = get_edition(db, "2025-06-10")
    assert edition is not None and edition.status == "sending"

    second = deliver_edition(settings, db, "2025-06-10", now)
    assert (second.sent, second.already_sent, second.pending) == (1, 9, 0)
    assert server.handler.copies() == dict.fromkeys(READERS, 1)


def test_a_refused_reader_is_recorded_and_the_others_delivered(
    make_config: ConfigFactory, db: Database, now: dt.datetime, server: SmtpServer
) -> None:
    server.handler.refuse.add("reader4@example.com")
    settings = smtp_config(make_config, server.port)
    store_test_edition(db, now)
    report = deliver_edition(settings, db, "2025-06-10", now)

    delivered = [r for r in READERS if r != "reader4@example.com"]
    assert server.handler.copies() == dict.fromkeys(delivered, 1)
    assert report.sent == 9
    assert report.failed == (
        ("reader4@example.com", f"127.0.0.1:{server.port} answered 550 5.1.1 No such user here"
         " to RCPT TO"),
    )  # fmt: skip
    assert "1 failed (reader4@example.com: " in report.summary()
    assert failed_deliveries(db, "2025-06-10") == list(report.failed)
    # A permanent failure is not retried, and does not hold the edition back.
    assert deliver_edition(settings, db, "2025-06-10", now).sent == 0
    edition = get_edition(db, "2025-06-10")
    assert edition is not None and edition.status == "delivered"


def test_a_dropped_connection_is_reopened(
    make_config: ConfigFactory, db: Database, now: dt.datetime, server: SmtpServer
) -> None:
    server.handler.drop_every = 3
    store_test_edition(db, now)
    report = deliver_edition(smtp_config(make_config, server.port), db, "2025-06-10", now)

    assert server.handler.copies() == dict.fromkeys(READERS, 1)
    assert server.handler.connections == 4  # 3 + 3 + 3 + 1
    assert report.sent == 10


def test_a_message_lost_after_its_end_is_sent_again(
    make_config: ConfigFactory, db: Database, now: dt.datetime, server: SmtpServer
) -> None:
    # The server closes without answering and keeps nothing: no answer means not accepted.
    server.handler.lose_once.add("reader5@example.com")
    store_test_edition(db, now)
    report = deliver_edition(smtp_config(make_config, server.port), db, "2025-06-10", now)

    assert server.handler.copies() == dict.fromkeys(READERS, 1)
    assert report.sent == 10


def test_a_server_that_keeps_and_drops_gives_two_copies_at_most_and_says_so(
    make_config: ConfigFactory, db: Database, now: dt.datetime, server: SmtpServer, tmp_path: Path
) -> None:
    """No answer after the whole message: maybe kept. Resent once, then never again."""
    dropping = {"reader1@example.com", "reader4@example.com", "reader7@example.com"}
    server.handler.keep_and_drop |= dropping
    store_test_edition(db, now)
    settings = smtp_config(make_config, server.port)

    report = deliver_edition(settings, db, "2025-06-10", now)
    again = deliver_edition(settings, db, "2025-06-10", now + dt.timedelta(hours=1))

    copies = server.handler.copies()
    assert {r: copies[r] for r in dropping} == dict.fromkeys(dropping, 2)
    assert all(copies[r] == 1 for r in READERS if r not in dropping)
    assert again.sent == 0
    assert set(report.uncertain) == dropping
    assert "3 messages got no answer from the server" in report.summary()
    assert uncertain_deliveries(db, "2025-06-10") == sorted(dropping)
    status = status_report(settings, db, now)
    assert re.search(r"2025-06-10\s+delivered\s+sent 10  failed 0  pending 0  uncertain 3", status)


def test_a_server_that_never_answers_gets_two_copies_at_most_over_two_runs(
    make_config: ConfigFactory, db: Database, now: dt.datetime, server: SmtpServer
) -> None:
    server.handler.keep_and_hang.add("reader2@example.com")
    store_test_edition(db, now)
    settings = smtp_config(make_config, server.port, timeout=0.5, retries=0)

    first = deliver_edition(settings, db, "2025-06-10", now)
    second = deliver_edition(settings, db, "2025-06-10", now + dt.timedelta(hours=1))
    third = deliver_edition(settings, db, "2025-06-10", now + dt.timedelta(hours=2))

    assert server.handler.copies()["reader2@example.com"] == 2
    assert first.pending == 1 and second.pending == 0 and third.sent == 0
    assert "uncertain" in first.summary() and "uncertain" in second.summary()


def test_connections_are_renewed_and_sending_paced(
    make_config: ConfigFactory, db: Database, now: dt.datetime, server: SmtpServer
) -> None:
    settings = smtp_config(make_config, server.port, per_connection=4, rate_per_second=50)
    store_test_edition(db, now)
    started = time.monotonic()
    deliver_edition(settings, db, "2025-06-10", now)

    assert time.monotonic() - started >= 9 / 50
    assert server.handler.connections == 3
    assert server.handler.copies() == dict.fromkeys(READERS, 1)


def test_starttls_refuses_an_untrusted_certificate(
    make_config: ConfigFactory,
    db: Database,
    now: dt.datetime,
    recorder: Recorder,
    certificate: tuple[Path, Path],
) -> None:
    context = server_tls_context(*certificate)
    server = SmtpServer(recorder, tls_context=context, require_starttls=True)
    store_test_edition(db, now)
    untrusting = smtp_config(make_config, server.port, security="starttls", retries=0)
    with pytest.raises(TransportError, match=r"127\.0\.0\.1:\d+: TLS certificate not trusted"):
        deliver_edition(untrusting, db, "2025-06-10", now)
    assert recorder.received == []
    assert delivery_counts(db, "2025-06-10")["pending"] == 10

    trusting = smtp_config(
        make_config, server.port, security="starttls", cafile=str(certificate[0])
    )
    report = deliver_edition(trusting, db, "2025-06-10", now)
    server.stop()
    assert report.sent == 10
    assert recorder.copies() == dict.fromkeys(READERS, 1)


def test_implicit_tls(
    make_config: ConfigFactory,
    db: Database,
    now: dt.datetime,
    recorder: Recorder,
    certificate: tuple[Path, Path],
) -> None:
    server = SmtpServer(recorder, ssl_context=server_tls_context(*certificate))
    store_test_edition(db, now)
    settings = smtp_config(make_config, server.port, security="ssl", cafile=str(certificate[0]))
    deliver_edition(settings, db, "2025-06-10", now)
    server.stop()
    assert recorder.copies() == dict.fromkeys(READERS, 1)


def test_login_is_required(
    make_config: ConfigFactory,
    db: Database,
    now: dt.datetime,
    recorder: Recorder,
    certificate: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = SmtpServer(
        recorder,
        tls_context=server_tls_context(*certificate),
        require_starttls=True,
        auth_required=True,
        authenticator=password_checker("digest", "s3cret"),
    )
    store_test_edition(db, now)
    settings = smtp_config(
        make_config,
        server.port,
        security="starttls",
        cafile=str(certificate[0]),
        username="digest",
    )
    monkeypatch.setenv("DIGEST_SMTP_PASSWORD", "wrong")
    with pytest.raises(TransportError, match="login as digest refused"):
        deliver_edition(settings, db, "2025-06-10", now)
    assert recorder.received == []

    monkeypatch.setenv("DIGEST_SMTP_PASSWORD", "s3cret")
    report = deliver_edition(settings, db, "2025-06-10", now)
    server.stop()
    assert report.sent == 10
    assert recorder.copies() == dict.fromkeys(READERS, 1)


def test_an_unreachable_server_is_named(
    make_config: ConfigFactory, db: Database, now: dt.datetime
) -> None:
    from tests.smtpserver import free_port

    port = free_port()
    store_test_edition(db, now)
    with pytest.raises(TransportError, match=rf"127\.0\.0\.1:{port}: cannot connect"):
        deliver_edition(smtp_config(make_config, port, retries=1), db, "2025-06-10", now)
    assert delivery_counts(db, "2025-06-10")["pending"] == 10


@pytest.fixture(scope="module")
def dkim_key(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """(private key file, DNS TXT record) for selector 'news' of example.com."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is needed to make a DKIM key")
    key = tmp_path_factory.mktemp("dkim") / "dkim.pem"
    subprocess.run([openssl, "genrsa", "-out", str(key), "2048"], check=True, capture_output=True)
    der = subprocess.run(
        [openssl, "rsa", "-in", str(key), "-pubout", "-outform", "DER"],
        check=True,
        capture_output=True,
    ).stdout
    return key, b"v=DKIM1; k=rsa; p=" + base64.b64encode(der)


def test_messages_carry_every_header_and_a_valid_dkim_signature(
    make_config: ConfigFactory,
    db: Database,
    now: dt.datetime,
    server: SmtpServer,
    dkim_key: tuple[Path, bytes],
) -> None:
    key, record = dkim_key
    settings = make_config(
        newsletter={"name": "Forward Digest", "sender": "news@example.com"},
        theme={"unsubscribe_url": "https://example.com/unsubscribe?t={token}"},
        delivery={
            "transport": "smtp",
            "recipients": ["Ana Núñez <ana@example.com>"],
            "smtp": {"host": "127.0.0.1", "port": server.port, "security": "none"},
            "dkim": {"key_file": str(key), "selector": "news"},
        },
    )
    store_test_edition(db, now)
    deliver_edition(settings, db, "2025-06-10", now)

    [received] = server.handler.received
    token = get_recipient(db, "ana@example.com").token  # type: ignore[union-attr]
    message = received.message
    assert message["From"] == "Forward Digest <news@example.com>"
    assert message["To"] == "Ana Núñez <ana@example.com>"
    assert message["Subject"] == "🟠 Trade talks resume in London"
    assert message["Date"] == "Tue, 10 Jun 2025 07:00:00 -0400"
    assert re.fullmatch(r"<2025-06-10\.[0-9a-f]{16}@example\.com>", message["Message-ID"])
    assert message["List-Id"] == "Forward Digest <forward-digest.example.com>"
    assert message["List-Unsubscribe"] == (
        f"<https://example.com/unsubscribe?t={token}>,"
        f" <mailto:news@example.com?subject=unsubscribe%20{token}>"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content_type() == "multipart/alternative"
    text, html = message.iter_parts()
    assert (text.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
    assert text["Content-Transfer-Encoding"] == "quoted-printable"
    plain = text.get_content().replace("\r\n", "\n")  # the wire's CRLF line ends stay in
    assert "Good morning, Ana Núñez.\n.A line that starts with a dot.\n" in plain
    assert f'<a href="https://example.com/unsubscribe?t={token}">' in html.get_content()

    dns = {b"news._domainkey.example.com.": record}
    assert dkim.verify(received.data, dnsfunc=lambda name, timeout=5: dns.get(name))
    tags = dict(
        part.strip().split("=", 1)
        for part in message["DKIM-Signature"].replace("\r\n", "").split(";")
        if "=" in part
    )
    covered = {h.strip().lower() for h in tags["h"].split(":")}
    assert {"list-unsubscribe", "list-unsubscribe-post", "message-id", "from", "to"} <= covered
    # Tampering breaks the signature.
    tampered = received.data.replace(b"Unsubscribe", b"Unsubscr1be", 1)
    assert not dkim.verify(tampered, dnsfunc=lambda name, timeout=5: dns.get(name))


def test_every_try_is_counted(
    make_config: ConfigFactory, db: Database, now: dt.datetime, server: SmtpServer
) -> None:
    server.handler.soft_fail["reader1@example.com"] = 2
    store_test_edition(db, now)
    deliver_edition(smtp_config(make_config, server.port), db, "2025-06-10", now)

    attempts = dict(db.conn.execute("SELECT recipient, attempts FROM deliveries").fetchall())
    assert attempts["reader1@example.com"] == 3
    assert attempts["reader0@example.com"] == 1
