"""The `digest` command line: each command parses options, loads settings, calls one function.

No logic lives here. Imports of the stages are lazy so `digest --help` stays fast.
Exit codes: 0 success, 1 a user-facing error (one clear line), 2 bad usage.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from digest.config import Settings, load_settings
from digest.errors import DigestError
from digest.logs import printable

F = TypeVar("F", bound=Callable[..., Any])


def clock() -> dt.datetime:
    from digest.clock import now

    return now()


def echo(text: str, err: bool = False) -> None:
    """Print a command's output (or error line) with the terminal controls a feed sent removed."""
    click.echo(printable(text), err=err)


def settings_of(ctx: click.Context) -> Settings:
    settings: Settings = ctx.ensure_object(dict).setdefault(
        "settings", load_settings(ctx.obj.get("config"))
    )
    return settings


def reports_errors(func: F) -> F:
    """The one error boundary: a user-facing error becomes one line on stderr and exit 1."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (DigestError, OSError) as e:  # OSError: a file, folder or port it was given
            echo(f"Error: {e}", err=True)
            sys.exit(1)
        except sqlite3.Error as e:
            echo(f"Error: the store could not be used: {e}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


DATE = click.DateTime(formats=["%Y-%m-%d"])


def as_date(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value else None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="DIGEST_CONFIG",
    help="Config file (default ./digest.toml; env DIGEST_CONFIG).",
)
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=lambda ctx, _param, value: _print_version(ctx) if value else None,
    help="Show the version and the plug-ins loaded, and exit.",
)
@click.pass_context
def main(ctx: click.Context, config: Path | None, verbose: int, quiet: bool) -> None:
    """Newsletter digests: feeds in, a threaded, summarized email out."""
    from digest.logs import setup_logging

    ctx.ensure_object(dict)["config"] = config
    setup_logging(verbose=verbose, quiet=quiet)


def _print_version(ctx: click.Context) -> None:
    from digest.commands.plugins import version_report

    echo(version_report())
    ctx.exit()


@main.command()
@click.option("--date", type=DATE, help="The edition's local date (default today).")
@click.option("--force", is_flag=True, help="Build and send a new edition even if one was sent.")
@click.pass_context
@reports_errors
def run(ctx: click.Context, date: dt.datetime | None, force: bool) -> None:
    """Ingest, build and deliver the edition for a date (the scheduled job)."""
    from digest.pipeline import run_by_hand

    report = run_by_hand(settings_of(ctx), clock(), date=as_date(date), force=force, progress=True)
    echo(report.summary())


@main.command()
@click.pass_context
@reports_errors
def ingest(ctx: click.Context) -> None:
    """Fetch every configured source into the store."""
    from digest.pipeline import ingest_only

    report = ingest_only(settings_of(ctx), clock(), progress=True)
    options = ctx.find_root().params
    # One line, under cron too, on stderr when a feed failed; -q keeps only that one.
    if report.failed or not options["quiet"]:
        echo(report.summary(every_failure=options["verbose"] > 0), err=bool(report.failed))


@main.command()
@click.option("--since", type=DATE, help="Stories published on or after this date.")
@click.option("--until", type=DATE, help="Stories published before the end of this date.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@reports_errors
def threads(
    ctx: click.Context, since: dt.datetime | None, until: dt.datetime | None, as_json: bool
) -> None:
    """The threads of the next edition's window, or of --since/--until, largest first."""
    from digest.commands.threads import format_threads

    settings, since_day, until_day = settings_of(ctx), as_date(since), as_date(until)
    echo(format_threads(settings, since_day, until_day, as_json=as_json, now=clock()))


@main.command()
@click.option("--date", type=DATE, help="The edition's local date (default today).")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("site"),
    show_default=True,
    help="Folder for edition.html, .txt and .json.",
)
@click.pass_context
@reports_errors
def build(ctx: click.Context, date: dt.datetime | None, out: Path) -> None:
    """Render an edition without delivering it."""
    from digest.commands.preview import sample_values
    from digest.edition.assemble import local_date
    from digest.pipeline import build_only, write_files

    settings, now = settings_of(ctx), clock()
    stored, note = build_only(settings, now, as_date(date) or local_date(settings, now))
    if stored is None:
        echo('Quiet day: no edition (quiet_mode = "skip").')
        return
    for path in write_files(stored, out, sample_values(settings)):
        echo(str(path))
    if note:
        echo(note, err=True)


@main.command()
@click.option("--date", type=DATE, help="The edition's local date (default: the latest unsent).")
@click.pass_context
@reports_errors
def send(ctx: click.Context, date: dt.datetime | None) -> None:
    """Deliver a built edition; resumable; never sends twice."""
    from digest.pipeline import send as send_edition

    echo(send_edition(settings_of(ctx), clock(), as_date(date)).summary())


@main.command()
@click.option("--serve", is_flag=True, help="Serve on 127.0.0.1 and rebuild on changes.")
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a browser.")
@click.pass_context
@reports_errors
def preview(ctx: click.Context, serve: bool, port: int, open_browser: bool) -> None:
    """Write, or serve on 127.0.0.1, the rendered edition."""
    from digest.commands.preview import serve_preview, write_preview

    settings = settings_of(ctx)
    if serve:
        serve_preview(settings, clock, port)  # a clock: rebuilds see new stories
    else:
        echo(str(write_preview(settings, clock(), open_browser=open_browser)))


@main.command()
@click.pass_context
@reports_errors
def schedule(ctx: click.Context) -> None:
    """Run the daily schedule in the foreground."""
    from digest.schedule.runner import run_schedule

    start, began = clock(), time.monotonic()  # a pinned DIGEST_NOW advances with real time
    run_schedule(
        settings_of(ctx), clock=lambda: start + dt.timedelta(seconds=time.monotonic() - began)
    )


@main.command()
@click.pass_context
@reports_errors
def status(ctx: click.Context) -> None:
    """Next run, the last editions with delivery counts, failing feeds."""
    from digest.commands.status import status_report
    from digest.store import open_store

    settings = settings_of(ctx)
    with open_store(settings) as db:
        echo(status_report(settings, db, clock()))


@main.group()
def recipients() -> None:
    """List, add, remove (unsubscribe) and import recipients."""


@recipients.command("list")
@click.pass_context
@reports_errors
def recipients_list(ctx: click.Context) -> None:
    """Every address in the store, with its status."""
    from digest.commands.recipients import list_recipients

    echo(list_recipients(settings_of(ctx)))


@recipients.command("add")
@click.argument("email")
@click.option("--name", default="", help="Display name.")
@click.pass_context
@reports_errors
def recipients_add(ctx: click.Context, email: str, name: str) -> None:
    """Add (or re-subscribe) an address."""
    from digest.commands.recipients import add_recipient

    echo(add_recipient(settings_of(ctx), email, name, clock()))


@recipients.command("remove")
@click.argument("email", metavar="EMAIL|TOKEN")
@click.pass_context
@reports_errors
def recipients_remove(ctx: click.Context, email: str) -> None:
    """Unsubscribe EMAIL (or the owner of an unsubscribe TOKEN): kept, never mailed again."""
    from digest.commands.recipients import remove_recipient

    echo(remove_recipient(settings_of(ctx), email, clock()))


@recipients.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
@reports_errors
def recipients_import(ctx: click.Context, csv_file: Path) -> None:
    """Import a CSV with an `email` column (and `name`, other fields)."""
    from digest.commands.recipients import import_recipients

    echo(import_recipients(settings_of(ctx), csv_file, clock()))


@main.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the site (default: [web] publish_dir, else ./site).",
)
@click.pass_context
@reports_errors
def publish(ctx: click.Context, out: Path | None) -> None:
    """Write the static archive: index.html, one page per edition, feed.xml (Atom)."""
    from digest.store import open_store
    from digest.web.publish import publish as publish_site

    settings = settings_of(ctx)
    with open_store(settings) as db:
        echo(publish_site(settings, db, out))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=8080, show_default=True)
@click.pass_context
@reports_errors
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Serve the archive plus /unsubscribe (one-click), /subscribe and /confirm."""
    from digest.web.serve import serve as serve_web

    serve_web(settings_of(ctx), clock, host, port)


@main.group()
def bounces() -> None:
    """Bounced recipients: import delivery status notifications."""


@bounces.command("import")
@click.argument("maildir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.pass_context
@reports_errors
def bounces_import(ctx: click.Context, maildir: Path) -> None:
    """Mark recipients bounced from the DSNs (RFC 3464) in a maildir; the maildir is left as is."""
    from digest.delivery.bounces import import_maildir
    from digest.store import open_store

    with open_store(settings_of(ctx)) as db:
        echo(import_maildir(db, maildir, clock()).summary())


@main.group()
def feeds() -> None:
    """Add, list, remove, check, import and export feeds."""


@feeds.command("add")
@click.argument("url")
@click.option("--name", help="Display name (default: the feed's title).")
@click.pass_context
@reports_errors
def feeds_add(ctx: click.Context, url: str, name: str | None) -> None:
    """Add a feed by its URL or a web page that links to it."""
    from digest.commands.feeds import add_feed

    feed = add_feed(settings_of(ctx), url, name=name, now=clock())
    echo(f"Added {feed.name}: {feed.url}")


@feeds.command("list")
@click.pass_context
@reports_errors
def feeds_list(ctx: click.Context) -> None:
    """The configured feeds."""
    from digest.commands.feeds import list_feeds

    echo(list_feeds(settings_of(ctx)))


@feeds.command("remove")
@click.argument("name")
@click.pass_context
@reports_errors
def feeds_remove(ctx: click.Context, name: str) -> None:
    """Remove a feed from feeds/*.toml."""
    from digest.commands.feeds import remove_feed

    echo(remove_feed(settings_of(ctx), name))


@feeds.command("check")
@click.pass_context
@reports_errors
def feeds_check(ctx: click.Context) -> None:
    """Each feed's health: last success, failures in a row, last error."""
    from digest.commands.feeds import check_feeds

    echo(check_feeds(settings_of(ctx), clock()))


@feeds.command("import")
@click.argument("opml", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
@reports_errors
def feeds_import(ctx: click.Context, opml: Path) -> None:
    """Import the feeds of an OPML file."""
    from digest.commands.feeds import import_opml

    echo(import_opml(settings_of(ctx), opml))


@feeds.command("export")
@click.pass_context
@reports_errors
def feeds_export(ctx: click.Context) -> None:
    """Print the feeds as OPML 2.0."""
    from digest.commands.feeds import export_opml

    echo(export_opml(settings_of(ctx)))


if __name__ == "__main__":
    main()
