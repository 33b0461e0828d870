"""Write, or serve on 127.0.0.1, today's edition as a preview page for editors.

The page shows the headers, the email at desktop width and at 375 px, and the
text part. The server rebuilds when a template, the config or the store changes;
the page polls /version and reloads itself. Nothing is saved or delivered.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from digest.config import Settings, load_settings
from digest.delivery import messages
from digest.delivery.recipients import configured_recipients
from digest.edition import placeholders
from digest.edition.render import BUILTIN_TEMPLATES, template_folders
from digest.errors import DigestError
from digest.models import Edition, Recipient, RenderedEdition
from digest.store import Database
from digest.store.recipients import StoredRecipient, mailing_list

log = logging.getLogger("digest.commands.preview")
Builder = Callable[[Settings, dt.datetime], tuple[Edition, RenderedEdition]]
#: A fixed time, or a function returning the current one.
Clock = dt.datetime | Callable[[], dt.datetime]


@dataclass(frozen=True)
class PreviewFiles:
    """The preview's files by name: index.html, edition.html, edition.txt."""

    files: dict[str, str]


def build_preview(
    settings: Settings, now: dt.datetime, builder: Builder | None = None, version: int = 0
) -> PreviewFiles:
    """The preview page and the personalized email parts; an error becomes an error page."""
    try:
        edition, rendered = (builder or _pipeline_builder())(settings, now)
    except DigestError as e:
        log.error("preview: %s", e)
        page = _page(settings, version, error=str(e))
        return PreviewFiles({"index.html": page, "edition.html": page, "edition.txt": str(e)})
    email_html, text = placeholders.personalize_parts(
        rendered.html, rendered.text, sample_values(settings)
    )
    page = _page(settings, version, edition_id=edition.id, rendered=rendered, text=text)
    return PreviewFiles({"index.html": page, "edition.html": email_html, "edition.txt": text})


def write_preview(
    settings: Settings,
    now: dt.datetime,
    out_dir: Path | None = None,
    *,
    open_browser: bool = False,
    builder: Builder | None = None,
) -> Path:
    """Write index.html, edition.html and edition.txt; return the page's path.

    `builder` makes the edition; the default is the pipeline's `preview_edition`.
    """
    out = out_dir or settings.resolve(".digest/preview")
    out.mkdir(parents=True, exist_ok=True)
    for name, content in build_preview(settings, now, builder).files.items():
        (out / name).write_text(content, encoding="utf-8")
    page = out / "index.html"
    if open_browser:
        webbrowser.open(page.resolve().as_uri())
    return page


def serve_preview(settings: Settings, now: Clock, port: int = 8000) -> None:
    """Serve the preview on 127.0.0.1:`port` until interrupted, rebuilding on changes.

    `now` is a time or a clock; with a clock each rebuild sees stories ingested meanwhile.
    """
    server = PreviewServer(settings, now, port)
    print(f"Serving the preview at {server.url} (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


def sample_values(settings: Settings) -> dict[str, str]:
    """The per-recipient tokens filled in for the sample reader, so every link works."""
    return messages.sample_values(settings, sample_reader(settings))


def sample_reader(settings: Settings) -> Recipient | StoredRecipient | None:
    """Who previews are personalised for: the first configured recipient, else the first
    active one in the store; None when there is nobody yet."""
    try:
        listed = configured_recipients(settings).recipients
    except DigestError:
        listed = ()
    if listed:
        return listed[0]
    path = settings.resolve(settings.store.path)
    if not path.exists():
        return None
    with Database(path) as db:
        people = mailing_list(db, [])
    return people[0] if people else None


class PreviewServer:
    """The preview over HTTP on 127.0.0.1, with a watcher thread that rebuilds on changes."""

    def __init__(
        self,
        settings: Settings,
        now: Clock,
        port: int = 8000,
        *,
        config_path: Path | None = None,
        builder: Builder | None = None,
        interval: float = 0.5,
    ) -> None:
        self.settings, self.now, self.builder, self.interval = settings, now, builder, interval
        self.config_path = config_path or settings.root / "digest.toml"
        self.version = 0
        self.preview = PreviewFiles({})
        self._stopped = threading.Event()
        self._signature = self._watched()
        self.rebuild()
        handler = partial(_Handler, self)
        try:
            self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        except OSError as e:
            raise DigestError(
                f"cannot serve the preview on 127.0.0.1:{port} ({e.strerror}); "
                "choose another port with --port"
            ) from e
        self._watcher = threading.Thread(target=self._watch, name="preview-watch", daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}/"

    def rebuild(self) -> None:
        self.version += 1
        now = self.now() if callable(self.now) else self.now
        self.preview = build_preview(self.settings, now, self.builder, self.version)

    def serve_forever(self) -> None:
        self._watcher.start()
        self.httpd.serve_forever()

    def start(self) -> None:
        """Serve in background threads (for tests and embedding); `stop()` ends them."""
        threading.Thread(target=self.serve_forever, name="preview-http", daemon=True).start()

    def stop(self) -> None:
        self._stopped.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def _watch(self) -> None:
        while not self._stopped.wait(self.interval):
            signature = self._watched()
            if signature == self._signature:
                continue
            config_changed = signature[0] != self._signature[0]
            self._signature = signature
            if config_changed and self.config_path.exists():
                try:
                    self.settings = load_settings(self.config_path)
                except DigestError as e:
                    log.error("preview: %s", e)
            self.rebuild()

    def _watched(self) -> tuple[tuple[tuple[str, int, int], ...], ...]:
        """(mtime, size) of the config files, the template files and the store file."""
        settings = self.settings
        config = [self.config_path, *sorted(settings.feeds_dir.glob("*.toml"))]
        try:
            folders = template_folders(settings)
        except DigestError:
            folders = (BUILTIN_TEMPLATES,)
        templates = [p for folder in folders for p in sorted(folder.rglob("*")) if p.is_file()]
        store = settings.resolve(settings.store.path)
        return tuple(
            tuple(_stat(p) for p in group)
            for group in (config, templates, [store, store.with_name(store.name + "-wal")])
        )


class _Handler(BaseHTTPRequestHandler):
    def __init__(self, server: PreviewServer, *args: object) -> None:
        self.preview_server = server
        super().__init__(*args)  # type: ignore[arg-type]

    def do_GET(self) -> None:
        path = self.path.split("?")[0].lstrip("/") or "index.html"
        if path == "version":
            self._send(str(self.preview_server.version), "text/plain")
            return
        content = self.preview_server.preview.files.get(path)
        if content is None:
            self.send_error(404)
            return
        kind = "text/plain" if path.endswith(".txt") else "text/html"
        self._send(content, kind)

    def _send(self, content: str, kind: str) -> None:
        body = content.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        log.debug("preview: " + format, *args)


def _stat(path: Path) -> tuple[str, int, int]:
    try:
        st = path.stat()
    except OSError:
        return (str(path), 0, -1)
    return (str(path), st.st_mtime_ns, st.st_size)


def _page(
    settings: Settings,
    version: int,
    *,
    edition_id: str = "",
    rendered: RenderedEdition | None = None,
    text: str = "",
    error: str = "",
) -> str:
    newsletter = settings.newsletter
    return _PAGES.get_template("preview.html.j2").render(
        name=newsletter.name,
        sender=f"{newsletter.name} <{newsletter.sender}>",
        edition_id=edition_id,
        subject=rendered.subject if rendered else "",
        preheader=rendered.preheader if rendered else "",
        html_bytes=len(rendered.html.encode()) if rendered else 0,
        text=text,
        error=error,
        live=version > 0,
        version=version,
    )


_PAGES = Environment(
    loader=FileSystemLoader(str(BUILTIN_TEMPLATES)), autoescape=True, undefined=StrictUndefined
)


def _pipeline_builder() -> Builder:
    from digest.pipeline import preview_edition

    return preview_edition
