"""Feed dates feedparser cannot read: RFC 822 shapes with month names in other languages.

"Seg, 24 Set 2018 10:00:00 -0300" (Portuguese) or "24 déc. 2018 10:00 +0100" (French), and
the month first with a 12-hour clock ("Sat, Dec 16 2023 02:02:33 PM", which feedparser reads
as 02:02).
Registered as a feedparser date handler, tried first: what it does not match (named time
zones such as EST, other shapes) is left to feedparser's own handlers.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import time
import unicodedata

# fmt: off
_MONTHS = {
    "jan": 1, "gen": 1, "ene": 1, "janv": 1, "fev": 2, "feb": 2, "fevr": 2, "marz": 3, "mrz": 3,
    "abr": 4, "apr": 4, "avr": 4, "mai": 5, "may": 5, "mag": 5, "jun": 6, "juin": 6, "giu": 6,
    "jul": 7, "juil": 7, "lug": 7, "ago": 8, "aug": 8, "aout": 8, "set": 9, "sep": 9, "sept": 9,
    "out": 10, "oct": 10, "okt": 10, "ott": 10, "nov": 11, "dez": 12, "dic": 12, "dec": 12,
}
# fmt: on
_DATE = re.compile(
    r"^\s*(?:[^\W\d_]+\.?,?\s+)?(?:(?P<day>\d{1,2})\.?\s+(?P<month>[^\W\d_]+)\.?"
    r"|(?P<month_first>[^\W\d_]+)\.?\s+(?P<day_after>\d{1,2})),?\s+(?P<year>\d{4})"
    r"(?:,?\s+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"(?:\s*(?P<half>[AaPp])\.?[Mm]\.?)?)?\s*(?P<zone>Z|GMT|UTC|[+-]\d{2}:?\d{2})?\s*$"
)


def parse_foreign_date(text: str) -> time.struct_time | None:
    """UTC time of a "[weekday,] day month year [hh:mm[:ss]] [offset]" date; None otherwise."""
    match = _DATE.match(text)
    if not match:
        return None
    part = match.groupdict()
    month = _month(part["month"] or part["month_first"])
    hour = int(part["hour"] or 0)
    if part["half"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if part["half"] in "Pp" else 0)
    if month is None:
        return None
    try:
        day = int(part["day"] or part["day_after"])
        moment = dt.datetime(int(part["year"]), month, day, hour, int(part["minute"] or 0))
    except ValueError:
        return None
    moment += dt.timedelta(seconds=int(part["second"] or 0)) - _offset(part["zone"] or "")
    return time.gmtime(calendar.timegm(moment.timetuple()))


def _month(name: str) -> int | None:
    plain = unicodedata.normalize("NFKD", name.lower()).encode("ascii", "ignore").decode()
    return _MONTHS.get(plain[:4]) or _MONTHS.get(plain[:3])


def _offset(zone: str) -> dt.timedelta:
    digits = zone.replace(":", "")
    if not digits[1:].isdigit():
        return dt.timedelta(0)
    sign = -1 if digits[0] == "-" else 1
    return sign * dt.timedelta(hours=int(digits[1:3]), minutes=int(digits[3:5]))
