"""Delivering through the outbox: one .eml per recipient, exactly once, resumable."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from digest.delivery.deliver import deliver_edition
from digest.errors import DigestError
from digest.store import Database
from digest.store.db import acquire_lease
from digest.store.deliveries import delivery_counts, mark_sending, plan_deliveries
from digest.store.editions import get_edition
from digest.store.lease import LeaseHeldError, wall_clock
from digest.store.recipients import unsubscribe
from tests.conftest import ConfigFactory
from tests.smtpserver import store_test_edition

PEOPLE = ["reader@example.com", "Editor Ed <editor@example.com>"]


def outbox(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in (tmp_path / "outbox").iterdir())


def test_the_outbox_gets_one_message_per_recipient(
    make_config: ConfigFactory, tmp_path: Path, db: Database, now: dt.datetime
) -> None:
    settings = make_config(delivery={"recipients": PEOPLE})
    store_test_edition(db, now)
    report = deliver_edition(settings, db, "2025-06-10", now)

    assert report.summary() == "Delivered edition 2025-06-10 to 2 recipients (outbox: outbox/)."
    assert outbox(tmp_path) == [
        "2025-06-10--editor@example.com.eml",
        "2025-06-10--reader@example.com.eml",
    ]
    data = (tmp_path / "outbox" / "2025-06-10--editor@example.com.eml").read_bytes()
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert message["To"] == "Editor Ed <editor@example.com>"
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")  # the bytes SMTP sends
    edition = get_edition(db, "2025-06-10")
    assert edition is not None and edition.status == "delivered"


def test_a_second_send_delivers_nothing_and_says_so(
    make_config: ConfigFactory, tmp_path: Path, db: Database, now: dt.datetime
) -> None:
    settings = make_config(delivery={"recipients": PEOPLE})
    store_test_edition(db, now)
    deliver_edition(settings, db, "2025-06-10", now)
    for file in (tmp_path / "outbox").iterdir():
        file.unlink()

    again = deliver_edition(settings, db, "2025-06-10", now)
    assert again.summary() == (
        "Nothing new to deliver: edition 2025-06-10 already sent to 2 recipients."
    )
    assert outbox(tmp_path) == []


def test_a_message_written_before_a_crash_is_written_once(
    make_config: ConfigFactory, tmp_path: Path, db: Database, now: dt.datetime
) -> None:
    settings = make_config(delivery={"recipients": PEOPLE})
    store_test_edition(db, now)
    deliver_edition(settings, db, "2025-06-10", now)
    written = (tmp_path / "outbox" / "2025-06-10--reader@example.com.eml").read_bytes()
    # As if the process died after the rename but before recording 'sent'.
    db.conn.execute(
        "UPDATE deliveries SET state = 'pending' WHERE recipient = 'reader@example.com'"
    )

    report = deliver_edition(settings, db, "2025-06-10", now)
    assert (report.sent, report.already_sent) == (1, 1)
    assert len(outbox(tmp_path)) == 2
    assert (tmp_path / "outbox" / "2025-06-10--reader@example.com.eml").read_bytes() == written


def test_a_message_handed_over_before_a_crash_is_not_sent_again(
    make_config: ConfigFactory, tmp_path: Path, db: Database, now: dt.datetime
) -> None:
    settings = make_config(delivery={"recipients": PEOPLE})
    store_test_edition(db, now)
    plan_deliveries(db, "2025-06-10", [("reader@example.com", "<x>")], now)
    mark_sending(db, "2025-06-10", "reader@example.com", now)

    report = deliver_edition(settings, db, "2025-06-10", now)
    assert report.unconfirmed == ("reader@example.com",)
    assert (report.sent, report.already_sent) == (1, 1)
    assert outbox(tmp_path) == ["2025-06-10--editor@example.com.eml"]
    assert delivery_counts(db, "2025-06-10")["sent"] == 2


def test_a_resumed_send_with_nothing_left_says_what_it_did(
    make_config: ConfigFactory, tmp_path: Path, db: Database, now: dt.datetime
) -> None:
    settings = make_config(delivery={"recipients": ["reader@example.com"]})
    store_test_edition(db, now)
    plan_deliveries(db, "2025-06-10", [("reader@example.com", "<x>")], now)
    mark_sending(db, "2025-06-10", "reader@example.com", now)  # then the process died

    report = deliver_edition(settings, db, "2025-06-10", now)

    assert report.summary() == (
        "Finished edition 2025-06-10: nothing was left to send; 1 message the interrupted run"
        " had handed to the server recorded as sent (unconfirmed)."
    )
    assert "0 recipients" not in report.summary()


def test_unsubscribed_and_removed_readers_are_not_mailed(
    make_config: ConfigFactory, tmp_path: Path, db: Database, now: dt.datetime
) -> None:
    store_test_edition(db, now)
    store_test_edition(db, now, "2025-06-10.2")
    three = ["a@example.com", "b@example.com", "c@example.com"]
    deliver_edition(make_config(delivery={"recipients": three}), db, "2025-06-10", now)
    unsubscribe(db, "a@example.com")

    settings = make_config(delivery={"recipients": three[:2]})  # c taken out of the config
    report = deliver_edition(settings, db, "2025-06-10.2", now)
    assert report.sent == 1
    assert [n for n in outbox(tmp_path) if n.startswith("2025-06-10.2--")] == [
        "2025-06-10.2--b@example.com.eml"
    ]


def test_a_second_sender_is_turned_away(
    make_config: ConfigFactory, tmp_path: Path, db: Database, now: dt.datetime
) -> None:
    settings = make_config(delivery={"recipients": PEOPLE})
    store_test_edition(db, now)
    assert acquire_lease(db, "send", "elsewhere:1:abcd", wall_clock(), 300)

    with pytest.raises(LeaseHeldError, match="another `digest send` is delivering"):
        deliver_edition(settings, db, "2025-06-10", now)
    assert not (tmp_path / "outbox").exists()


def test_the_lease_of_a_dead_sender_is_taken_over(
    make_config: ConfigFactory, tmp_path: Path, db: Database, now: dt.datetime
) -> None:
    settings = make_config(delivery={"recipients": PEOPLE})
    store_test_edition(db, now)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    owner = f"{socket.gethostname()}:{dead.stdout.strip()}:abcd"
    assert acquire_lease(db, "send", owner, wall_clock(), 300)

    assert deliver_edition(settings, db, "2025-06-10", now).sent == 2


def test_an_unknown_edition_is_named(
    make_config: ConfigFactory, db: Database, now: dt.datetime
) -> None:
    with pytest.raises(DigestError, match="no edition 2031-01-01 in the store"):
        deliver_edition(make_config(), db, "2031-01-01", now)


def test_an_edition_with_nobody_to_mail_is_not_called_delivered(
    make_config: ConfigFactory, db: Database, now: dt.datetime
) -> None:
    store_test_edition(db, now)
    report = deliver_edition(make_config(delivery={"recipients": []}), db, "2025-06-10", now)

    assert report.summary() == "Nothing to deliver: edition 2025-06-10 has no active recipients."
    edition = get_edition(db, "2025-06-10")
    assert edition is not None and edition.status == "built"


def test_unusual_addresses_each_get_their_own_message(
    make_config: ConfigFactory, tmp_path: Path, db: Database, now: dt.datetime
) -> None:
    # An internationalized domain goes out in its ASCII (punycode) form; addresses that differ
    # only in characters a filename cannot hold still get one file each.
    people = ["ana@bücher.de", "a/b@example.com", "a#b@example.com", "c@example.com"]
    settings = make_config(delivery={"recipients": people})
    store_test_edition(db, now)

    report = deliver_edition(settings, db, "2025-06-10", now)

    assert report.sent == 4 and report.failed == ()
    files = outbox(tmp_path)
    assert len(files) == 4
    assert "2025-06-10--ana@xn--bcher-kva.de.eml" in files
    recipients = set()
    for name in files:
        data = (tmp_path / "outbox" / name).read_bytes()
        recipients.add(str(email.message_from_bytes(data, policy=email.policy.default)["To"]))
    assert recipients == {
        "ana@xn--bcher-kva.de",
        "a/b@example.com",
        "a#b@example.com",
        "c@example.com",
    }
