"""Delivery speed: an edition to N recipients at a local aiosmtpd server, in messages/s,
next to bare smtplib sending the same bytes over one connection.

    .venv/bin/python bench/send.py [--count 10000] [--html-kb 40] [--trials 3]

The server runs in its own process so that it does not share the sender's GIL.
Needs no data files: the edition is synthetic (placeholders included).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import tomli_w

from digest.config import Settings, load_settings
from digest.delivery.deliver import deliver_edition
from digest.delivery.messages import EditionMessages
from digest.delivery.recipients import configured_recipients
from digest.edition.placeholders import EMAIL, NAME, PREFERENCES_URL, UNSUBSCRIBE_URL
from digest.models import Edition, RenderedEdition
from digest.store import Database
from digest.store.editions import get_edition, save_edition
from digest.store.recipients import StoredRecipient

NOW = dt.datetime(2025, 6, 10, 11, 0, tzinfo=dt.UTC)
SERVER = """
import asyncio, sys
from aiosmtpd.controller import Controller
class Sink:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"
c = Controller(Sink(), hostname="127.0.0.1", port=int(sys.argv[1]))
c.start()
print("ready", flush=True)
sys.stdin.read()
c.stop()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--html-kb", type=int, default=40, help="size of the HTML part")
    parser.add_argument("--trials", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(port)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None and server.stdout.readline().startswith("ready")
            run(root, port, args.count, args.html_kb, args.trials)
        finally:
            server.terminate()
            server.wait()


def run(root: Path, port: int, count: int, html_kb: int, trials: int) -> None:
    emails = [f"reader{i:05d}@example.com" for i in range(count)]
    settings = write_project(root, port, emails)
    db = Database(root / "digest.db")
    ids = [f"2025-06-10.{n}" for n in range(1, trials + 1)]
    for edition_id in ids:
        store_edition(db, edition_id, html_kb)
    stored = get_edition(db, ids[0])
    assert stored is not None
    messages = EditionMessages(settings, stored, NOW)
    started = time.perf_counter()
    built = [messages.build(recipient(e)).data for e in emails]
    build_s = time.perf_counter() - started
    size = sum(map(len, built)) / len(built) / 1024
    print(f"{count} messages of {size:.1f} KB; building them alone: {count / build_s:,.0f}/s")
    started = time.perf_counter()
    configured_recipients(settings)
    print(f"reading and validating the CSV: {time.perf_counter() - started:.2f} s")

    bare, ours = [], []
    for edition_id in ids:  # interleaved, so that load from elsewhere hits both alike
        bare.append(bare_smtplib(port, emails, built))
        started = time.perf_counter()
        report = deliver_edition(settings, db, edition_id, NOW)
        ours.append(count / (time.perf_counter() - started))
        assert report.sent == count, report.summary()
        print(f"  trial: bare {bare[-1]:6,.0f}/s  digest {ours[-1]:6,.0f}/s  "
              f"({ours[-1] / bare[-1]:.0%})")  # fmt: skip
    print(f"bare smtplib, one connection:  {max(bare):8,.0f} messages/s (best of {trials})")
    print(
        f"digest deliver_edition:         {max(ours):8,.0f} messages/s"
        f"  ({max(ours) / max(bare):.0%} of bare)"
    )
    print("  (deliver_edition includes reading and validating the CSV, syncing recipients,")
    print("   planning rows, building each message and two state writes per message)")


def write_project(root: Path, port: int, emails: list[str]) -> Settings:
    with (root / "subscribers.csv").open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["email", "name"])
        writer.writerows([e, f"Reader {i}"] for i, e in enumerate(emails))
    smtp = {"host": "127.0.0.1", "port": port, "security": "none"}
    config = {
        "store": {"path": str(root / "digest.db")},
        "theme": {"unsubscribe_url": "https://example.com/unsubscribe/{token}"},
        "delivery": {
            "transport": "smtp",
            "recipients": [],
            "recipients_file": "subscribers.csv",
            "smtp": smtp,
        },
    }
    (root / "digest.toml").write_text(tomli_w.dumps(config), encoding="utf-8")
    return load_settings(root / "digest.toml")


def bare_smtplib(port: int, emails: list[str], built: list[bytes]) -> float:
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port, "bench") as conn:
        for address, data in zip(emails, built, strict=True):
            conn.sendmail("digest@example.com", [address], data)
    return len(emails) / (time.perf_counter() - started)


def store_edition(db: Database, edition_id: str, html_kb: int) -> None:
    row = (
        '<tr><td style="padding:0 25px;font-family:Helvetica,Arial">The S&amp;P 500 rose 0.3%'
        " at 2 pm ET — traders watched the London talks.</td></tr>\n"
    )
    body = row * (html_kb * 1024 // len(row))
    html = (
        f"<html><body><p>Good morning, {NAME}</p>\n{body}"
        f'<a href="{UNSUBSCRIBE_URL}">Unsubscribe</a> <a href="{PREFERENCES_URL}">Prefs</a>'
        f" {EMAIL}</body></html>\n"
    )
    text = "Good morning.\n" + "The S&P 500 rose 0.3% at 2 pm ET.\n" * 100
    text += f"Unsubscribe: {UNSUBSCRIBE_URL}\n"
    rendered = RenderedEdition("🟠 Trade talks resume in London", "Plus, rare earths", html, text)
    save_edition(db, Edition(edition_id, NOW.date(), NOW, ()), rendered, "{}")


def recipient(email: str) -> StoredRecipient:
    return StoredRecipient(email, "Reader", "token", "active", "config", NOW)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


if __name__ == "__main__":
    main()
