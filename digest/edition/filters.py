"""Jinja filters the email templates use: dates, times, numbers and "time ago".

Times are shown in the newsletter's zone, bound when the filters are made; "now"
is the edition's build time from the template context. No clock, no locale.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import pass_context
from jinja2.runtime import Context


def long_date(day: dt.date | dt.datetime) -> str:
    """'Tuesday, June 10, 2025'."""
    return f"{day:%A}, {day:%B} {day.day}, {day.year}"


def short_date(day: dt.date | dt.datetime) -> str:
    """'Jun 10'."""
    return f"{day:%b} {day.day}"


def clock_time(moment: dt.datetime, zone: ZoneInfo) -> str:
    """'7:05 a.m. EDT': the moment in `zone`, as a newsletter writes it."""
    local = moment.astimezone(zone)
    hour = local.hour % 12 or 12
    half = "a.m." if local.hour < 12 else "p.m."
    return f"{hour}:{local.minute:02d} {half} {local.tzname()}"


def time_ago(moment: dt.datetime, now: dt.datetime, zone: ZoneInfo) -> str:
    """'just now', '5 minutes ago', '3 hours ago', 'yesterday', '4 days ago', else 'Jun 2'."""
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return _plural(int(seconds // 60), "minute") + " ago"
    if seconds < 86400:
        return _plural(int(seconds // 3600), "hour") + " ago"
    days = (now.astimezone(zone).date() - moment.astimezone(zone).date()).days
    if days <= 1:
        return "yesterday"
    if days < 7:
        return f"{days} days ago"
    return short_date(moment.astimezone(zone))


def number(value: float | int | str, digits: int = 0) -> str:
    """'1,234.50' with `digits` decimals; strings that are not numbers pass unchanged."""
    try:
        return f"{float(value):,.{digits}f}"
    except (TypeError, ValueError):
        return str(value)


def signed_percent(change: float, digits: int = 2) -> str:
    """'+0.30%' / '−1.20%' (a true minus sign) / '0.00%'."""
    sign = "+" if change > 0 else "−" if change < 0 else ""
    return f"{sign}{abs(change):.{digits}f}%"


def arrow(change: float) -> str:
    """▲, ▼ or ▶ (unchanged): the direction in a shape, never in colour alone."""
    return "▲" if change > 0 else "▼" if change < 0 else "▶"


def direction(change: float) -> str:
    """'up', 'down' or 'unchanged': the same direction in words, for screen readers."""
    return "up" if change > 0 else "down" if change < 0 else "unchanged"


def wrap(text: str, width: int = 72, indent: str = "") -> str:
    """Plain text wrapped at `width`; words and URLs are never split, and a reference
    ("[1]") stays on the line of the word before it."""
    glued = _REFERENCE.sub("\u00a0\\1", text)  # textwrap only breaks at ASCII spaces
    return textwrap.fill(
        glued,
        width=width,
        initial_indent=indent,
        subsequent_indent=" " * len(indent),
        break_long_words=False,
        break_on_hyphens=False,
    ).replace("\u00a0", " ")


_REFERENCE = re.compile(r" (\[\d+\])")


def readable(colour: str, background: str = "#ffffff") -> str:
    """`colour`, darkened or lightened just enough to read on `background` (contrast 4.5:1).

    Only '#rgb'/'#rrggbb' colours can be adjusted; a named colour is returned as it is.
    """
    rgb, back = _rgb(colour), _rgb(background)
    if rgb is None or back is None:
        return colour
    base = _luminance(back)
    target = 255 if base < 0.2 else 0
    for step in range(11):
        mixed = tuple(round(c + (target - c) * step / 10) for c in rgb)
        high, low = sorted((_luminance(mixed), base), reverse=True)
        if (high + 0.05) / (low + 0.05) >= 4.5:
            return colour if step == 0 else "#{:02x}{:02x}{:02x}".format(*mixed)
    return f"#{target:02x}{target:02x}{target:02x}"


def _rgb(colour: str) -> tuple[int, ...] | None:
    hexa = colour.removeprefix("#")
    if not colour.startswith("#") or len(hexa) not in (3, 6):
        return None
    if len(hexa) == 3:
        hexa = "".join(c * 2 for c in hexa)
    try:
        return tuple(int(hexa[i : i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return None


def _luminance(rgb: tuple[int, ...]) -> float:
    """WCAG relative luminance."""
    linear = [(c / 255) / 12.92 if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def make_filters(zone: ZoneInfo) -> dict[str, Callable[..., Any]]:
    """Every filter, with the newsletter's zone bound; `time_ago` reads `now` from the context."""

    @pass_context
    def ago(context: Context, moment: dt.datetime) -> str:
        return time_ago(moment, context["now"], zone)

    return {
        "long_date": long_date,
        "short_date": short_date,
        "clock_time": lambda moment: clock_time(moment, zone),
        "time_ago": ago,
        "number": number,
        "signed_percent": signed_percent,
        "arrow": arrow,
        "direction": direction,
        "wrap": wrap,
        "readable": readable,
    }
