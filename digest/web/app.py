"""`digest serve`: the archive plus /unsubscribe (RFC 8058 one-click), /subscribe and /confirm.

A plain WSGI application (served by waitress); each request opens the store, so the
archive is always current. Links are checked by signature before the store is asked; a
forged, unknown or used one changes nothing and answers 4xx.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, quote

from digest.config import Settings
from digest.delivery.links import CONFIRM, UNSUBSCRIBE, LinkSigner, page_url
from digest.delivery.recipients import clean_name, normalize_address
from digest.store import open_store
from digest.store.db import Database
from digest.store.limits import allow_request
from digest.store.pages import published_edition, published_editions
from digest.store.recipient_states import (
    by_token,
    confirmation_not_sent,
    move,
    request_subscription,
    token_was_used,
)
from digest.store.recipients import ACTIVE, UNCONFIRMED, StoredRecipient, unsubscribe
from digest.web.confirm_mail import send_confirmation
from digest.web.pages import render_page
from digest.web.publish import atom_feed, edition_page, index_page, page_name

log = logging.getLogger("digest.web")
StartResponse = Callable[..., Any]
MAX_BODY = 64 * 1024
ONE_CLICK = "List-Unsubscribe=One-Click"
_REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}
_REASONS |= {410: "Gone", 413: "Content Too Large"}


@dataclass(frozen=True)
class Response:
    status: int
    body: str
    content_type: str = "text/html; charset=utf-8"


class WebApp:
    """The WSGI application of `digest serve`."""

    def __init__(self, settings: Settings, clock: Callable[[], dt.datetime]) -> None:
        self.settings, self.clock = settings, clock

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "/") or "/"
        query = parse_qs(environ.get("QUERY_STRING", ""))
        try:
            response = self.route(method, path, query, environ)
        except Exception:
            log.exception("%s %s failed", method, path)
            response = self._page(500, "Something went wrong", "Please try again later.")
        body = response.body.encode("utf-8")
        reason = _REASONS.get(response.status, "Internal Server Error")
        start_response(
            f"{response.status} {reason}",
            [
                ("Content-Type", response.content_type),
                ("Content-Length", str(len(body))),
                ("Cache-Control", "no-store"),
                ("X-Content-Type-Options", "nosniff"),
                ("Referrer-Policy", "no-referrer"),
            ],
        )
        return [b"" if method == "HEAD" else body]

    def route(
        self, method: str, path: str, query: dict[str, list[str]], environ: dict[str, Any]
    ) -> Response:
        reading = method in ("GET", "HEAD")
        token = (query.get("t") or [""])[0]
        if path == "/unsubscribe" and (reading or method == "POST"):
            return self.unsubscribe(token, post=not reading, body=_body(environ))
        if path == "/subscribe" and (reading or method == "POST"):
            if reading:
                return self._subscribe_form(200, "Leave your address to get each edition.")
            return self.subscribe(_form(_body(environ)), _client(environ))
        if path == "/confirm" and reading:
            return self.confirm(token)
        if path in ("/unsubscribe", "/subscribe", "/confirm"):
            return Response(405, "Method not allowed\n", "text/plain; charset=utf-8")
        if reading:
            return self.archive(path)
        return Response(405, "Method not allowed\n", "text/plain; charset=utf-8")

    def archive(self, path: str) -> Response:
        name = path.lstrip("/") or "index.html"
        with self._store() as db:
            if name in ("index.html", "feed.xml"):
                editions = published_editions(db)
                if name == "index.html":
                    return Response(200, index_page(self.settings, editions))
                return Response(200, atom_feed(self.settings, editions), "application/atom+xml")
            found = published_edition(db, name.removesuffix(".html"))
            if found is not None and page_name(found.id) == name:
                return Response(200, edition_page(db, found.id))
        return self._page(404, "Not found", "There is no such page in the archive.")

    def unsubscribe(self, signed: str, *, post: bool, body: bytes) -> Response:
        with self._store() as db:
            person = self._holder(db, UNSUBSCRIBE, signed)
            if isinstance(person, Response):
                return person
            name = self.settings.newsletter.name
            if not post:
                action = f"/unsubscribe?t={quote(signed)}"
                form = {"action": action, "button": "Unsubscribe", "fields": []}
                ask = f"Stop sending {name} to {person.email}?"
                return self._page(200, "Unsubscribe", ask, form=form)
            how = "one-click (RFC 8058)" if ONE_CLICK.encode() in body else "the unsubscribe page"
            unsubscribe(db, person.email, self.clock(), f"unsubscribed by {how}")
        log.info("%s unsubscribed by %s", person.email, how)
        return self._page(200, "You are unsubscribed", f"{person.email} will get no more emails.")

    def subscribe(self, form: dict[str, str], client: str) -> Response:
        try:
            address = normalize_address(form.get("email", ""))
        except ValueError:
            return self._subscribe_form(400, "That is not an email address. Please check it.")
        name = clean_name(form.get("name", ""))[:100]
        now, per_hour = self.clock(), self.settings.web.subscribe_per_hour
        with self._store() as db:
            person = None  # over the limit: the same answer, nothing sent
            if allow_request(db, client, now, per_hour, dt.timedelta(hours=1)):
                person = request_subscription(db, address, name, now, f"subscribe form ({client})")
            link = "" if person is None else self._link(db, CONFIRM, person)
        if person is not None and not send_confirmation(self.settings, person, link, now):
            with self._store() as db:
                confirmation_not_sent(db, person.email)
        message = (
            f"If {address} can be subscribed, a confirmation link is on its way there."
            " Open it to start receiving the newsletter."
        )
        return self._page(200, "Check your inbox", message)

    def confirm(self, signed: str) -> Response:
        with self._store() as db:
            person = self._holder(db, CONFIRM, signed)
            if isinstance(person, Response):
                return person
            if person.status != UNCONFIRMED:
                return self._page(410, "This link was already used", _USED)
            move(db, person.email, ACTIVE, "confirmed from the emailed link", self.clock())
        name = self.settings.newsletter.name
        return self._page(200, "You are subscribed", f"{person.email} will receive {name}.")

    def _holder(self, db: Database, kind: str, signed: str) -> StoredRecipient | Response:
        """The recipient a signed link names, or the 4xx page that says why not."""
        token = LinkSigner.for_store(db).verify(kind, signed)
        if token is None:
            return self._page(400, "This link is not valid", "Please use the link from the email.")
        person = by_token(db, token)
        if person is None:
            if token_was_used(db, token):
                return self._page(410, "This link was already used", _USED)
            return self._page(404, "Unknown link", "This link belongs to no subscription.")
        return person

    def _link(self, db: Database, kind: str, person: StoredRecipient) -> str:
        signer = LinkSigner.for_store(db)
        return page_url(self.settings, signer, kind, person.token) or (
            f"/confirm?t={quote(signer.sign(kind, person.token))}"
        )

    def _subscribe_form(self, status: int, message: str) -> Response:
        fields = [("email", "Email address", "email"), ("name", "Name (optional)", "text")]
        form = {"action": "/subscribe", "button": "Subscribe", "fields": fields}
        return self._page(status, f"Subscribe to {self.settings.newsletter.name}", message, form)

    def _page(
        self, status: int, heading: str, message: str, form: dict[str, Any] | None = None
    ) -> Response:
        page = render_page(
            self.settings, "page.html.j2", heading=heading, message=message, form=form, home="/"
        )
        return Response(status, page)

    def _store(self) -> Database:
        return open_store(self.settings)


_USED = "Nothing has changed: this link did its work already."


def _body(environ: dict[str, Any]) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return b""
    return bytes(environ["wsgi.input"].read(min(length, MAX_BODY))) if length > 0 else b""


def _form(body: bytes) -> dict[str, str]:
    fields = parse_qs(body.decode("utf-8", "replace"), max_num_fields=20)
    return {key: values[0] for key, values in fields.items()}


def _client(environ: dict[str, Any]) -> str:
    """The client's address (waitress puts the proxy's X-Forwarded-For there when trusted)."""
    return re.sub(r"[^0-9A-Fa-f:.]", "", str(environ.get("REMOTE_ADDR", ""))) or "unknown"
