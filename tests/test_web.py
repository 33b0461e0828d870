"""`digest serve` over HTTP: RFC 8058 one-click, forged and used links, quiet subscribe requests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.smtpserver import Recorder, SmtpServer, free_port
from tests.webapp import body, cli, link, mail_to, serving, web_config

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


@pytest.fixture
def site(make_config: Any, seeds_dir: Path, tmp_path: Path) -> Iterator[str]:
    """A delivered edition, and `digest serve` answering at [web] base_url."""
    port = free_port()
    web_config(make_config, seeds_dir, port, web={"subscribe_per_hour": 3})
    cli(tmp_path / "digest.toml", "run")
    with serving(tmp_path / "digest.toml", port) as url:
        yield url


def header_link(tmp_path: Path, address: str) -> str:
    [message] = mail_to(tmp_path / "outbox", address)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    https, mailto = re.findall(r"<([^>]+)>", str(message["List-Unsubscribe"]))
    assert mailto.startswith("mailto:digest@example.com?subject=unsubscribe%20")
    return https


def states(tmp_path: Path) -> dict[str, str]:
    listed = cli(tmp_path / "digest.toml", "recipients", "list").stdout.splitlines()[:-1]
    return {line.split()[0]: line.split()[1] for line in listed}


def test_one_click_post_unsubscribes_at_once_and_a_second_post_changes_nothing(
    site: str, tmp_path: Path
) -> None:
    url = header_link(tmp_path, "reader@example.com")
    assert url.startswith(site + "/unsubscribe?t=u.")

    first = httpx.post(url, data=ONE_CLICK)
    again = httpx.post(url, data=ONE_CLICK)

    assert first.status_code == 200 and "reader@example.com will get no more" in first.text
    assert again.status_code == 410
    assert states(tmp_path) == {
        "editor@example.com": "active",
        "reader@example.com": "unsubscribed",
    }
    assert (
        "unsubscribed by one-click (RFC 8058)"
        in cli(tmp_path / "digest.toml", "recipients", "list").stdout
    )
    cli(tmp_path / "digest.toml", "run", "--force")
    assert len(mail_to(tmp_path / "outbox", "reader@example.com")) == 1
    assert len(mail_to(tmp_path / "outbox", "editor@example.com")) == 2


@pytest.mark.parametrize(
    "forge",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # signature altered
        lambda t: t.replace("u.", "u.x", 1),  # recipient token altered
        lambda t: "c." + t[2:],  # an unsubscribe link passed off as a confirm link
        lambda t: "u.made-up-token.AAAAAAAAAAAAAAAAAAAAAAAA",
        lambda t: "",
    ],
    ids=["signature", "token", "kind", "made-up", "missing"],
)
def test_a_forged_link_changes_nothing_and_answers_4xx(
    site: str, tmp_path: Path, forge: Any
) -> None:
    url = header_link(tmp_path, "reader@example.com")
    token = url.split("?t=", 1)[1]
    forged = f"{site}/unsubscribe?t={forge(token)}"

    assert httpx.get(forged).status_code == 400
    assert httpx.post(forged, data=ONE_CLICK).status_code == 400
    assert httpx.get(f"{site}/confirm?t={forge(token)}").status_code == 400
    assert states(tmp_path)["reader@example.com"] == "active"


def test_the_unsubscribe_page_asks_before_it_acts(site: str, tmp_path: Path) -> None:
    url = header_link(tmp_path, "editor@example.com")

    page = httpx.get(url)

    assert page.status_code == 200
    assert "Stop sending The Digest to editor@example.com?" in page.text
    assert '<form method="post"' in page.text
    assert states(tmp_path)["editor@example.com"] == "active"


def test_subscribing_an_active_address_or_too_often_sends_nothing_and_says_the_same(
    site: str, tmp_path: Path
) -> None:
    outbox = tmp_path / "outbox"
    answers = [
        httpx.post(f"{site}/subscribe", data={"email": address})
        for address in ["reader@example.com", "new@example.com", "new@example.com"]
    ]
    over_limit = httpx.post(f"{site}/subscribe", data={"email": "other@example.com"})

    pages = [a.text.replace(a.text.split("If ")[1].split(" can")[0], "X") for a in answers]
    assert all(a.status_code == 200 for a in [*answers, over_limit])
    assert pages[0] == pages[1] == pages[2]
    assert len(mail_to(outbox, "reader@example.com")) == 1  # the edition only
    assert len(mail_to(outbox, "new@example.com")) == 1  # one confirmation, not two
    assert mail_to(outbox, "other@example.com") == []  # the fourth request of this client
    assert states(tmp_path)["new@example.com"] == "unconfirmed"
    assert "other@example.com" not in states(tmp_path)


def test_a_confirmation_link_works_once(site: str, tmp_path: Path) -> None:
    httpx.post(f"{site}/subscribe", data={"email": "new@example.com", "name": "Nia"})
    [confirmation] = mail_to(tmp_path / "outbox", "new@example.com")
    url = link(body(confirmation), "/confirm")

    assert httpx.get(url).status_code == 200
    assert httpx.get(url).status_code == 410
    assert states(tmp_path)["new@example.com"] == "active"


def test_a_bad_address_is_refused_and_nothing_is_stored(site: str, tmp_path: Path) -> None:
    answer = httpx.post(f"{site}/subscribe", data={"email": "not an address"})

    assert answer.status_code == 400
    assert "not an email address" in answer.text
    assert set(states(tmp_path)) == {"editor@example.com", "reader@example.com"}


def test_the_archive_is_served_too(site: str) -> None:
    index = httpx.get(site + "/")
    page = httpx.get(site + "/2026-11-21.html")

    assert index.status_code == 200 and 'href="2026-11-21.html"' in index.text
    assert page.status_code == 200 and 'id="thread-1"' in page.text
    assert httpx.get(site + "/feed.xml").headers["content-type"] == "application/atom+xml"
    assert httpx.get(site + "/../digest.toml").status_code == 404
    assert httpx.get(site + "/2026-11-22.html").status_code == 404


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit(
    make_config: Any, seeds_dir: Path, tmp_path: Path
) -> None:
    port = free_port()
    web = {"subscribe_per_hour": 1, "trusted_proxy": "127.0.0.1"}
    web_config(make_config, seeds_dir, port, web=web)
    with serving(tmp_path / "digest.toml", port) as site:
        for client, address in [("203.0.113.5", "a"), ("203.0.113.5", "b"), ("198.51.100.7", "c")]:
            answer = httpx.post(
                f"{site}/subscribe",
                data={"email": f"{address}@example.com"},
                headers={"X-Forwarded-For": client},
            )
            assert answer.status_code == 200

    sent = {a: len(mail_to(tmp_path / "outbox", f"{a}@example.com")) for a in "abc"}
    assert sent == {"a": 1, "b": 0, "c": 1}
    assert (
        "subscribe form (198.51.100.7)"
        in cli(tmp_path / "digest.toml", "recipients", "list").stdout
    )


def test_the_subscribe_limit_holds_across_a_restart_of_the_server(
    make_config: Any, seeds_dir: Path, tmp_path: Path
) -> None:
    port = free_port()
    web_config(make_config, seeds_dir, port, web={"subscribe_per_hour": 1})
    for address in ("first", "second"):  # one request per run of `digest serve`
        with serving(tmp_path / "digest.toml", port) as site:
            answer = httpx.post(f"{site}/subscribe", data={"email": f"{address}@example.com"})
            assert answer.status_code == 200

    assert len(mail_to(tmp_path / "outbox", "first@example.com")) == 1
    assert mail_to(tmp_path / "outbox", "second@example.com") == []  # the limit was kept


def test_a_confirmation_the_server_refused_can_be_asked_for_again(
    make_config: Any, seeds_dir: Path, tmp_path: Path
) -> None:
    smtp = SmtpServer(Recorder(refuse={"new@example.com"}))
    port = free_port()
    settings = {"host": "127.0.0.1", "port": smtp.port, "security": "none", "retries": 0}
    web_config(make_config, seeds_dir, port, delivery={"transport": "smtp", "smtp": settings})
    try:
        with serving(tmp_path / "digest.toml", port) as site:
            refused = httpx.post(f"{site}/subscribe", data={"email": "new@example.com"})
            smtp.handler.refuse.clear()
            again = httpx.post(f"{site}/subscribe", data={"email": "new@example.com"})
    finally:
        smtp.stop()

    assert refused.status_code == again.status_code == 200
    assert refused.text == again.text
    [confirmation] = smtp.handler.received
    assert confirmation.recipients == ["new@example.com"]
    assert "/confirm?t=c." in confirmation.message.get_body(("plain",)).get_content()
