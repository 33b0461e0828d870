"""Building messages: headers, personalization, MIME encoding, stable identities."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from email.message import EmailMessage

from digest.delivery.messages import EditionMessages, list_id, message_id_for
from digest.delivery.transports import outbox_name
from digest.edition.placeholders import NAME, UNSUBSCRIBE_URL
from digest.store import Database
from digest.store.editions import StoredEdition, get_edition
from digest.store.recipients import StoredRecipient
from tests.conftest import ConfigFactory
from tests.smtpserver import store_test_edition


def reader(name: str = "Ana", token: str = "tok-1") -> StoredRecipient:
    now = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    return StoredRecipient("ana@example.com", name, token, "active", "config", now)


def edition(db: Database, now: dt.datetime) -> StoredEdition:
    store_test_edition(db, now)
    stored = get_edition(db, "2025-06-10")
    assert stored is not None
    return stored


def parse(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_message_ids_are_stable_per_edition_and_recipient() -> None:
    first = message_id_for("2025-06-10", "ana@example.com", "example.com")
    assert first == message_id_for("2025-06-10", "ANA@example.com", "example.com")
    assert first != message_id_for("2025-06-10", "bo@example.com", "example.com")
    assert first != message_id_for("2025-06-11", "ana@example.com", "example.com")


def test_two_newsletters_of_one_sender_give_one_reader_two_message_ids(
    make_config: ConfigFactory, db: Database, now: dt.datetime
) -> None:
    stored = edition(db, now)
    ids = {
        EditionMessages(make_config(newsletter={"name": name}), stored, now)
        .build(reader())
        .message_id
        for name in ("Morning Macro", "Evening Crypto")
    }
    assert len(ids) == 2


def test_without_an_unsubscribe_page_the_link_is_a_mailto(
    make_config: ConfigFactory, db: Database, now: dt.datetime
) -> None:
    settings = make_config(delivery={"unsubscribe_mailto": "leave@example.com"})
    built = EditionMessages(settings, edition(db, now), now).build(reader())
    message = parse(built.data)

    assert message["List-Unsubscribe"] == "<mailto:leave@example.com?subject=unsubscribe%20tok-1>"
    assert "List-Unsubscribe-Post" not in message
    html = message.get_body(("html",))
    assert html is not None
    assert 'href="mailto:leave@example.com?subject=unsubscribe%20tok-1"' in html.get_content()


def test_values_are_escaped_in_html_and_kept_in_text(
    make_config: ConfigFactory, db: Database, now: dt.datetime
) -> None:
    messages = EditionMessages(make_config(), edition(db, now), now)
    message = parse(messages.build(reader(name="Ana <b>& co</b>")).data)

    text, html = (part.get_content() for part in message.iter_parts())
    assert "Good morning, Ana <b>& co</b>." in text
    assert "Good morning, Ana &lt;b&gt;&amp; co&lt;/b&gt; (ana@example.com)." in html
    assert "[[digest:" not in text + html


def test_a_name_cannot_inject_headers(
    make_config: ConfigFactory, db: Database, now: dt.datetime
) -> None:
    messages = EditionMessages(make_config(), edition(db, now), now)
    data = messages.build(reader(name="Ana\r\nBcc: everyone@example.com")).data

    assert parse(data)["Bcc"] is None
    assert parse(data)["To"] == '"Ana Bcc: everyone@example.com" <ana@example.com>'


def test_long_lines_are_quoted_printable_and_short_ascii_stays_7bit(
    make_config: ConfigFactory, db: Database, now: dt.datetime
) -> None:
    stored = edition(db, now)
    plain = "Short lines only.\nAll of them ASCII.\n"
    long_html = "<p>" + "word " * 200 + f"{NAME}</p>\n"
    simple = StoredEdition(**{**stored.__dict__, "text": plain, "html": long_html})
    data = EditionMessages(make_config(), simple, now).build(reader()).data

    text, html = parse(data).iter_parts()
    assert text["Content-Transfer-Encoding"] == "7bit"
    assert html["Content-Transfer-Encoding"] == "quoted-printable"
    assert html.get_content() == "<p>" + "word " * 200 + "Ana</p>\r\n"  # CRLF: the wire form
    assert max(len(line) for line in data.split(b"\r\n")) <= 78


def test_the_same_recipient_gets_the_same_bytes(
    make_config: ConfigFactory, db: Database, now: dt.datetime
) -> None:
    settings = make_config(theme={"unsubscribe_url": "https://example.com/u/{token}"})
    stored = edition(db, now)
    first = EditionMessages(settings, stored, now).build(reader())
    second = EditionMessages(settings, stored, now).build(reader())

    assert first == second
    assert f"{UNSUBSCRIBE_URL}".encode() not in first.data


def test_the_list_id(make_config: ConfigFactory) -> None:
    named = make_config(newsletter={"name": "Forward Digest!", "sender": "news@Example.com"})
    assert list_id(named) == "Forward Digest! <forward-digest.example.com>"
    assert list_id(make_config(delivery={"list_id": "markets.example.com"})) == (
        "<markets.example.com>"
    )


def test_outbox_names_are_safe_file_names() -> None:
    assert outbox_name("2025-06-10", "ana+news@example.com") == (
        "2025-06-10--ana+news@example.com.eml"
    )
    unusual = outbox_name("2025-06-10", "o'neil/../x@example.com")
    assert unusual.startswith("2025-06-10--o_neil_.._x@example.com-") and "/" not in unusual
    assert unusual != outbox_name("2025-06-10", "o_neil/../x@example.com")


def test_a_reader_without_a_name_is_greeted_without_a_blank(
    make_config: ConfigFactory, db: Database, now: dt.datetime
) -> None:
    messages = EditionMessages(make_config(), edition(db, now), now)
    text = parse(messages.build(reader(name="")).data).get_body(("plain",))
    assert text is not None
    assert "Good morning, there." in text.get_content()
