"""Bounces: a 550 during sending, temporary refusals day after day, and DSNs in a maildir."""

from __future__ import annotations

import mailbox
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.smtpserver import Recorder, SmtpServer
from tests.test_end_to_end import digest_cli
from tests.webapp import cli, web_config


class CountingRecorder(Recorder):
    """A Recorder that also counts every RCPT TO it is asked, accepted or not."""

    asked: Counter[str]

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        self.asked[address.lower()] += 1
        return await super().handle_RCPT(server, session, envelope, address, options)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    recorder = CountingRecorder()
    recorder.asked = Counter()
    server = SmtpServer(recorder)
    yield server
    server.stop()


def smtp_project(make_config: Any, seeds: Path, port: int, **delivery: Any) -> Path:
    smtp = {"host": "127.0.0.1", "port": port, "security": "none", "retries": 0}
    readers = ["reader@example.com", "gone@example.com"]
    web_config(
        make_config,
        seeds,
        0,
        delivery={"transport": "smtp", "smtp": smtp, "recipients": readers, **delivery},
    )
    return seeds.parent / "digest.toml"


def state_of(config: Path, address: str) -> str:
    for line in cli(config, "recipients", "list").stdout.splitlines():
        if line.startswith(address + " "):
            return line.split()[1]
    raise AssertionError(f"{address} not listed")


def test_an_address_refused_with_550_is_bounced_and_never_tried_again(
    make_config: Any, seeds_dir: Path, smtp: SmtpServer
) -> None:
    handler: Any = smtp.handler
    handler.refuse.add("gone@example.com")
    config = smtp_project(make_config, seeds_dir, smtp.port)

    first = cli(config, "run").stdout
    cli(config, "run", "--force")
    cli(config, "run", "--date", "2026-11-22", now="2026-11-22T12:00:00+00:00")

    assert "1 failed (gone@example.com: 127.0.0.1" in first and "550 5.1.1" in first
    assert handler.asked["gone@example.com"] == 1
    assert handler.copies()["reader@example.com"] == 3
    assert state_of(config, "gone@example.com") == "bounced"
    listed = cli(config, "recipients", "list").stdout
    assert "refused while sending: 127.0.0.1:" in listed and "550 5.1.1 No such user" in listed
    status = cli(config, "status").stdout
    assert "Recipients: 1 active, 0 unconfirmed, 0 unsubscribed, 1 bounced (2 in all)." in status


def test_temporary_refusals_bounce_only_after_the_configured_days_in_a_row(
    make_config: Any, seeds_dir: Path, smtp: SmtpServer
) -> None:
    handler: Any = smtp.handler
    handler.soft_fail["gone@example.com"] = 1000
    config = smtp_project(make_config, seeds_dir, smtp.port, bounce_after_days=2)

    cli(config, "run")
    cli(config, "run", "--force", now="2026-11-21T18:00:00+00:00")  # the same day: one day
    after_one_day = state_of(config, "gone@example.com")
    cli(config, "run", "--date", "2026-11-22", now="2026-11-22T12:00:00+00:00")
    after_two_days = state_of(config, "gone@example.com")
    cli(config, "run", "--date", "2026-11-23", now="2026-11-23T12:00:00+00:00")

    assert after_one_day == "active"
    assert after_two_days == "bounced"
    assert handler.asked["gone@example.com"] == 3
    assert "refused temporarily on 2 days in a row" in cli(config, "recipients", "list").stdout


def test_a_delivery_between_refusals_starts_the_count_again(
    make_config: Any, seeds_dir: Path, smtp: SmtpServer
) -> None:
    handler: Any = smtp.handler
    config = smtp_project(make_config, seeds_dir, smtp.port, bounce_after_days=2)
    for day, refuse in [("21", True), ("22", False), ("23", True)]:
        handler.soft_fail["gone@example.com"] = 1000 if refuse else 0
        cli(config, "run", "--date", f"2026-11-{day}", now=f"2026-11-{day}T12:00:00+00:00")

    assert state_of(config, "gone@example.com") == "active"


DSN = """\
Return-Path: <>
Received: by mx.example.net (Postfix) id 4Q1; Sat, 21 Nov 2026 12:00:05 +0000 (UTC)
Date: Sat, 21 Nov 2026 12:00:05 +0000 (UTC)
From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: digest@example.com
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="4Q1.1763726405/mx.example.net"
Message-Id: <20261121120005.4Q1@mx.example.net>

This is a MIME-encapsulated message.

--4Q1.1763726405/mx.example.net
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<{address}>: host mail.example.org[192.0.2.7] said: 550 5.1.1 <{address}>:
    Recipient address rejected: User unknown in virtual mailbox table

--4Q1.1763726405/mx.example.net
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
X-Postfix-Queue-ID: 4Q1
X-Postfix-Sender: rfc822; digest@example.com
Arrival-Date: Sat, 21 Nov 2026 12:00:01 +0000 (UTC)

Final-Recipient: rfc822; {address}
Original-Recipient: rfc822;{address}
Action: {action}
Status: {status}
Remote-MTA: dns; mail.example.org
Diagnostic-Code: smtp; 550 5.1.1 <{address}>: Recipient address rejected: User
    unknown in virtual mailbox table

--4Q1.1763726405/mx.example.net
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

From: The Digest <digest@example.com>
To: {address}
Subject: =?utf-8?q?=F0=9F=9F=A0_US_and_China?=

--4Q1.1763726405/mx.example.net--
"""


def dsn(address: str, action: str = "failed", status: str = "5.1.1") -> bytes:
    text = DSN.format(address=address, action=action, status=status)
    return text.replace("\n", "\r\n").encode("ascii")


def test_bounces_import_reads_dsns_from_a_maildir(
    make_config: Any, seeds_dir: Path, tmp_path: Path
) -> None:
    config = smtp_project(make_config, seeds_dir, 1, transport="outbox")
    cli(config, "run")
    box = mailbox.Maildir(tmp_path / "bounces", create=True)
    box.add(dsn("Gone@Example.com"))
    box.add(dsn("reader@example.com", action="delayed", status="4.4.1"))
    box.add(dsn("stranger@example.com"))
    box.add(b"From: someone@example.com\r\nSubject: out of office\r\n\r\nAway.\r\n")
    files = sorted(p.name for p in (tmp_path / "bounces" / "new").iterdir())

    report = cli(config, "bounces", "import", str(tmp_path / "bounces")).stdout
    again = cli(config, "bounces", "import", str(tmp_path / "bounces")).stdout

    assert report.splitlines() == [
        "Marked gone@example.com bounced.",
        "Read 4 message(s), 3 delivery status notification(s): 1 recipient(s) marked bounced,"
        " 0 already bounced, 1 unknown address(es).",
    ]
    assert "0 recipient(s) marked bounced, 1 already bounced" in again
    assert state_of(config, "gone@example.com") == "bounced"
    assert state_of(config, "reader@example.com") == "active"
    listed = cli(config, "recipients", "list").stdout
    assert re.search(r"delivery status notification \S+: 5\.1\.1 smtp; 550 5\.1\.1", listed)
    assert sorted(p.name for p in (tmp_path / "bounces" / "new").iterdir()) == files
    cli(config, "run", "--force")
    assert len(list((tmp_path / "outbox").glob("*--gone@example.com.eml"))) == 1


def test_bounces_import_names_a_folder_that_is_no_maildir(
    make_config: Any, seeds_dir: Path, tmp_path: Path
) -> None:
    config = smtp_project(make_config, seeds_dir, 1, transport="outbox")
    (tmp_path / "empty").mkdir()
    result = digest_cli(config, "bounces", "import", str(tmp_path / "empty"))

    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"Error: {tmp_path / 'empty'}: not a maildir (no cur/ or new/ folder)"
    )
