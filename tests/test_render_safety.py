"""Hostile feed content renders inert in both parts: no markup, scripts, odd links or tokens."""

from __future__ import annotations

import re

import pytest

from digest.edition import placeholders
from digest.edition.render import render_edition
from digest.edition.safe_text import clean, safe_url
from digest.models import RenderedEdition
from tests.editions import HOSTILE_URLS, hostile_edition, settings
from tests.test_render import Elements

OUR_TOKENS = (
    placeholders.NAME,
    placeholders.EMAIL,
    placeholders.UNSUBSCRIBE_URL,
    placeholders.PREFERENCES_URL,
)


@pytest.fixture(scope="module")
def rendered() -> RenderedEdition:
    return render_edition(hostile_edition(), settings())


def test_no_script_iframe_or_event_handler_is_active_in_the_html(rendered: RenderedEdition) -> None:
    tags = Elements(rendered.html).tags

    names = {name for name, _ in tags}
    assert not names & {"script", "iframe", "svg", "object", "embed", "form", "mj-raw"}
    assert [attrs for _, attrs in tags if any(k.startswith("on") for k in attrs)] == []
    body = rendered.html.split("<body", 1)[1]
    assert "<style" not in body and "<img src=x" not in body


def test_every_link_and_image_is_http_https_mailto_or_our_token(rendered: RenderedEdition) -> None:
    for name, attrs in Elements(rendered.html).tags:
        for key in ("href", "src"):
            if key in attrs:
                value = attrs[key]
                assert value in OUR_TOKENS or re.match(r"(https?://|mailto:)", value), (name, value)


def test_bad_schemes_are_not_links_in_either_part(rendered: RenderedEdition) -> None:
    for part in (rendered.html, rendered.text):
        lowered = part.lower()
        for scheme in ("javascript:", "vbscript:", "data:text", "file:", "seeds/000"):
            assert scheme not in lowered, scheme


def test_jinja_in_feed_text_is_shown_not_run(rendered: RenderedEdition) -> None:
    assert "{{ 7*7 }}" in rendered.text and "{{ 7*7 }}" in rendered.html
    assert "{% if true %}jinja{% endif %}" in rendered.text
    assert "49" not in rendered.text


def test_feed_text_cannot_forge_a_recipient_token(rendered: RenderedEdition) -> None:
    for part in (rendered.html, rendered.text):
        forged = part
        for token in OUR_TOKENS:
            forged = forged.replace(token, "")
        assert "[[digest:" not in forged


def test_subject_and_preheader_are_one_plain_line(rendered: RenderedEdition) -> None:
    for header in (rendered.subject, rendered.preheader):
        assert "\n" not in header and "\r" not in header and "<" not in header
    assert "Bcc: victim@example.com" in rendered.text
    assert "\nBcc:" not in rendered.text and "\x00" not in rendered.text


def test_the_text_part_carries_no_markup(rendered: RenderedEdition) -> None:
    assert not re.search(r"<\s*/?\s*(script|iframe|style|img|svg|mj-|a\b|b\b)", rendered.text)
    assert "display:none" not in rendered.text


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_safe_url_drops_every_other_scheme(url: str) -> None:
    assert safe_url(url) == ""


@pytest.mark.parametrize(
    "url",
    ["https://blockworks.co/news/x?a=1&b=2", "http://example.org/", "mailto:desk@example.com"],
)
def test_safe_url_keeps_web_and_mail_links(url: str) -> None:
    assert safe_url(url) == url


def test_clean_keeps_text_and_drops_markup_and_controls() -> None:
    assert clean("  S&P 500 <b>up</b>\n0.3% \u202e") == "S&P 500 up 0.3%"
    assert clean("a < b and c > d") == "a < b and c > d"
    assert clean("<script>alert(1)</script>Fed") == "Fed"


@pytest.mark.parametrize(
    ("link", "shown"),
    [
        ("https://www.paypal.com@evil.test/login", "https://evil.test/login"),
        ("https://user:secret@evil.test:8443/x", "https://evil.test:8443/x"),
        ("https://www.p\u0430ypal.com/account", "https://www.xn--pypal-4ve.com/account"),
        ("https://\u0440\u0430\u0443\u0440\u0430l.com/", "https://xn--l-7sba6dbr.com/"),
    ],
)
def test_a_link_that_would_mislead_goes_to_its_real_host(link: str, shown: str) -> None:
    assert safe_url(link) == shown


def test_a_lookalike_link_reaches_neither_part_as_it_came() -> None:
    import dataclasses

    from digest.models import Sentence, Summary
    from tests.editions import BUILT, cite, full_edition, segment, story

    bad = story("bad", "Accounts frozen", "Wire", "https://www.paypal.com@evil.test/login", BUILT)
    summary = Summary("Accounts frozen in a sweep", "", (Sentence("Many.", (cite(bad),)),))
    edition = dataclasses.replace(full_edition(1, 0), segments=(segment((bad,), summary),))

    rendered = render_edition(edition, settings())

    assert "paypal.com@" not in rendered.html and "paypal.com@" not in rendered.text
    assert "https://evil.test/login" in rendered.html and "https://evil.test/login" in rendered.text
