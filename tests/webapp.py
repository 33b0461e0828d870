"""`digest serve` run as users run it (the command line, a real port), and outbox readers."""

from __future__ import annotations

import email
import email.policy
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from tests.smtpserver import free_port
from tests.test_end_to_end import digest_cli

NOW = "2026-11-21T12:00:00+00:00"


def web_config(make_config: Any, seeds: Path, port: int, **sections: Any) -> Any:
    """The seeds project with `digest serve` on 127.0.0.1:`port` as its public URL."""
    web = {"base_url": f"http://127.0.0.1:{port}", **sections.pop("web", {})}
    delivery = {"recipients": ["reader@example.com", "editor@example.com"]}
    delivery |= sections.pop("delivery", {})
    feed = {"name": "Seeds", "url": str(seeds), "kind": "folder", "first_contact_days": "all"}
    return make_config(feeds=[feed], delivery=delivery, web=web, **sections)


def cli(config: Path, *args: str, now: str = NOW) -> subprocess.CompletedProcess[str]:
    """`digest --config CONFIG ARGS...` at `now`; it must succeed."""
    result: subprocess.CompletedProcess[str] = digest_cli(config, *args, now=now)
    assert result.returncode == 0, result.stderr
    return result


@contextmanager
def serving(config: Path, port: int | None = None, now: str = NOW) -> Iterator[str]:
    """`digest serve --port N` in a subprocess; yields its URL and stops it afterwards."""
    port = port or free_port()
    env = {"DIGEST_NOW": now, "PATH": "/usr/bin:/bin"}  # as digest_cli: the same secret
    process = subprocess.Popen(
        [sys.executable, "-m", "digest.cli", "--config", str(config), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_for(port: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"digest serve exited: {process.stderr.read() if process.stderr else ''}"
            )
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError("digest serve did not start listening")


def mail_to(outbox: Path, address: str) -> list[EmailMessage]:
    """The messages in the outbox for one address, oldest first."""
    found = []
    for path in sorted(outbox.glob(f"*--{address}.eml"), key=lambda p: p.stat().st_mtime_ns):
        parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        found.append(parsed)
    return found


def body(message: EmailMessage, kind: str = "plain") -> str:
    part = message.get_body(preferencelist=(kind,))
    assert part is not None
    return str(part.get_content())


def link(text: str, path: str) -> str:
    """The first link to `path` (e.g. "/confirm") in a text or HTML body."""
    found = re.search(r"https?://[^\s\"'<>]+" + re.escape(path) + r"\?t=[^\s\"'<>]+", text)
    assert found, f"no {path} link in {text[:300]!r}"
    return found.group().replace("&amp;", "&")
