"""Recipients: the config list and CSV files validated and merged; the store's list managed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest import MonkeyPatch

from digest.cli import main
from digest.config import load_settings
from digest.delivery.deliver import deliver_edition
from digest.delivery.recipients import configured_recipients, merge_recipients, read_csv
from digest.errors import DigestError
from digest.models import Recipient
from digest.store import Database
from digest.store.recipients import mailing_list, sync_configured, unsubscribe
from tests.conftest import ConfigFactory
from tests.smtpserver import store_test_edition

SUBSCRIBERS = """\
email,name,company
ana@example.com,Ana Núñez,Blockworks
Bo@Example.com,Bo,
bob@,Bob,Nowhere

ANA@example.com,,Duplicate Inc
carl@example.com,"Carl
Smith",Acme
"""


def test_a_csv_is_validated_and_merged(tmp_path: Path) -> None:
    path = tmp_path / "subscribers.csv"
    path.write_text(SUBSCRIBERS, encoding="utf-8")
    checked = merge_recipients(read_csv(path))

    assert [(r.email, r.name, r.fields) for r in checked.recipients] == [
        ("ana@example.com", "Ana Núñez", {"company": "Blockworks"}),
        ("bo@example.com", "Bo", {"company": ""}),
        ("carl@example.com", "Carl Smith", {"company": "Acme"}),
    ]
    assert checked.problems == (
        "subscribers.csv line 4: 'bob@' is not a valid email address:"
        " There must be something after the @-sign.",
    )


def test_an_unreadable_recipients_file_stops_the_send(
    make_config: ConfigFactory, tmp_path: Path
) -> None:
    (tmp_path / "people.csv").write_text("mail,name\na@example.com,A\n", encoding="utf-8")
    settings = make_config(delivery={"recipients": [], "recipients_file": "people.csv"})
    with pytest.raises(
        DigestError, match=r"^people\.csv line 1: the header has no 'email' column$"
    ):
        configured_recipients(settings)

    missing = make_config(delivery={"recipients": [], "recipients_file": "gone.csv"})
    with pytest.raises(DigestError, match=r"^gone\.csv: cannot read the recipients file: "):
        configured_recipients(missing)


def test_the_example_address_is_not_mailed_beside_a_recipients_file(tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text("email\nana@example.com\n", encoding="utf-8")
    (tmp_path / "digest.toml").write_text(
        '[delivery]\nrecipients_file = "people.csv"\n', encoding="utf-8"
    )
    listed = configured_recipients(load_settings(tmp_path / "digest.toml"))
    assert [r.email for r in listed.recipients] == ["ana@example.com"]


def test_the_config_list_takes_plain_and_named_addresses(make_config: ConfigFactory) -> None:
    settings = make_config(
        delivery={"recipients": ["a@example.com", "Jane Doe <JANE@example.com>", "nope"]}
    )
    listed = configured_recipients(settings)

    assert [(r.email, r.name) for r in listed.recipients] == [
        ("a@example.com", ""),
        ("jane@example.com", "Jane Doe"),
    ]
    assert listed.problems[0].startswith(
        "delivery.recipients[2]: 'nope' is not a valid email address:"
    )


def test_invalid_entries_are_skipped_and_the_rest_mailed(
    make_config: ConfigFactory, tmp_path: Path, db: Database, now: dt.datetime
) -> None:
    (tmp_path / "subscribers.csv").write_text(SUBSCRIBERS, encoding="utf-8")
    settings = make_config(delivery={"recipients": [], "recipients_file": "subscribers.csv"})
    store_test_edition(db, now)
    report = deliver_edition(settings, db, "2025-06-10", now)

    assert report.sent == 3
    assert report.summary().endswith("; skipped 1 invalid recipient.")
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 3


def test_an_unsubscribe_sticks_and_a_removed_address_is_not_mailed(
    db: Database, now: dt.datetime
) -> None:
    people = [Recipient("a@example.com"), Recipient("b@example.com"), Recipient("c@example.com")]
    sync_configured(db, people, now)
    unsubscribe(db, "b@example.com")
    sync_configured(db, people, now)  # the config still lists b: no matter

    listed = ["a@example.com", "b@example.com"]  # c was taken out of the config
    assert [p.email for p in mailing_list(db, listed)] == ["a@example.com"]


def test_the_recipients_command(
    make_config: ConfigFactory, tmp_path: Path, now: dt.datetime, monkeypatch: MonkeyPatch
) -> None:
    make_config(delivery={"recipients": []})
    monkeypatch.setenv("DIGEST_NOW", now.isoformat())
    (tmp_path / "more.csv").write_text(SUBSCRIBERS, encoding="utf-8")
    runner = CliRunner()

    def digest(*args: str, code: int = 0) -> list[str]:
        result = runner.invoke(main, ["--config", str(tmp_path / "digest.toml"), *args])
        assert result.exit_code == code, result.output
        return result.output.splitlines()

    assert digest("recipients", "add", "Zoe@Example.com", "--name", "Zoe") == [
        "Added zoe@example.com (Zoe)."
    ]
    assert digest("recipients", "import", str(tmp_path / "more.csv")) == [
        "more.csv line 4: 'bob@' is not a valid email address:"
        " There must be something after the @-sign.",
        "Imported 3 new recipient(s) from more.csv; skipped 1 invalid row(s).",
    ]
    assert digest("recipients", "remove", "ANA@example.com") == [
        "Unsubscribed ana@example.com: it will not be mailed again."
    ]
    assert digest("recipients", "remove", "nobody@example.com", code=1) == [
        "Error: nobody@example.com: not a known recipient (see `digest recipients list`)"
    ]
    # Importing the file again does not re-subscribe Ana.
    assert digest("recipients", "import", str(tmp_path / "more.csv"))[-1] == (
        "Imported 0 new recipient(s) from more.csv, 3 already known; skipped 1 invalid row(s)."
    )
    at = "since 2025-06-10 11:00 UTC"
    assert digest("recipients", "list") == [
        f"ana@example.com   unsubscribed  store   Ana Núñez · {at} (digest recipients remove)",
        f"bo@example.com    active        store   Bo · {at} (imported from more.csv)",
        f"carl@example.com  active        store   Carl Smith · {at} (imported from more.csv)",
        f"zoe@example.com   active        store   Zoe · {at} (digest recipients add)",
        "3 active, 0 unconfirmed, 1 unsubscribed, 0 bounced (4 in all).",
    ]
