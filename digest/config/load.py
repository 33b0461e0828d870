"""digest.toml + feeds/*.toml -> validated `Settings`; every problem reported at once,
each naming its key, and for a feed the file and line it is written in."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from digest.config.settings import DEFAULT_PATH, Settings, Smtp
from digest.errors import ConfigError


def load_settings(path: Path | str | None = None) -> Settings:
    """Read the config file and its feed lists; raise one ConfigError with every problem."""
    named = path or os.environ.get("DIGEST_CONFIG")
    path = Path(named or DEFAULT_PATH)
    if not path.is_file():
        if named:
            raise ConfigError([f"config file not found: {path}"])
        raise ConfigError([NO_CONFIG])
    data = _read_toml(path)
    root = path.resolve().parent
    feeds_dir = root / "feeds"
    problems: list[str] = []
    feeds = data.pop("feeds", [])
    if not isinstance(feeds, list):
        problems.append(f"{path.name}: 'feeds' must be a list of [[feeds]] tables")
        feeds = []
    origins = _origins(path, path.name, len(feeds))
    for file in sorted(feeds_dir.glob("*.toml")):
        try:
            listed = _feed_list(file, root, problems)
        except ConfigError as e:
            problems.extend(e.problems)
            continue
        feeds.extend(listed)
        origins.extend(_origins(file, str(file.relative_to(root)), len(listed)))
    problems.extend(_cross_checks(data, feeds))
    try:
        settings = Settings.model_validate(
            {**data, "feeds": feeds, "root": root, "feeds_dir": feeds_dir}
        )
    except ValidationError as e:
        described: dict[str, str] = {}  # by key: a union's members fail together, one line
        for err in e.errors():
            key, msg = _describe(err, feeds, origins)
            described.setdefault(key, f"{key}: {msg}")
        problems[:0] = described.values()
    if problems:
        raise ConfigError(problems, str(path))
    return settings


NO_CONFIG = (
    "no config: ./digest.toml not found; pass --config PATH or set DIGEST_CONFIG"
    " (`make run` uses the digest.toml of the checkout)"
)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError([f"{path} is not valid TOML: {e}"]) from None


def _feed_list(file: Path, root: Path, problems: list[str]) -> list[Any]:
    """The [[feeds]] of a feeds/*.toml file; any other key (`[[feed]]`) is a problem."""
    data = _read_toml(file)
    shown = file.relative_to(root)
    unknown = [key for key in data if key != "feeds"]
    if unknown:
        keys = ", ".join(repr(k) for k in unknown)
        problems.append(f"{shown}: unknown key {keys} (a feed list holds [[feeds]] tables)")
    feeds = data.get("feeds", [])
    if not isinstance(feeds, list):
        problems.append(f"{shown}: 'feeds' must be a list of [[feeds]] tables")
        return []
    return feeds


def _origins(path: Path, shown: str, count: int) -> list[tuple[str, int, int | None]]:
    """(file, index in that file, line of its [[feeds]] header) of each feed a file lists."""
    text = path.read_text(encoding="utf-8")
    lines = [
        text.count("\n", 0, m.start()) + 1
        for m in re.finditer(r"(?m)^[ \t]*\[\[[ \t]*feeds[ \t]*\]\]", text)
    ]
    return [(shown, i, lines[i] if i < len(lines) else None) for i in range(count)]


_UNION_MEMBERS = ("int", "constrained-int", "literal['all']")


def _describe(
    err: Any, feeds: list[Any], origins: list[tuple[str, int, int | None]]
) -> tuple[str, str]:
    """("Config value 'key' (file, line N)", the problem) of one validation error."""
    loc = [str(p) for p in err["loc"]]
    where = ""
    if len(loc) >= 2 and loc[0] == "feeds" and loc[1].isdigit():
        index = int(loc[1])
        feed = feeds[index]
        name = feed.get("name") if isinstance(feed, dict) else None
        shown, local, line = origins[index]
        loc[1] = f"[{name}]" if name else f"[{local}]"
        where = f" ({shown}" + (f", line {line})" if line else ")")
    if loc[-1] in _UNION_MEMBERS:  # which member of `int | "all"` failed: not the user's key
        loc.pop()
    key = ".".join(loc).replace(".[", "[")
    msg = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        msg = "unknown key"
    return f"Config value '{key}'{where}", msg


def _cross_checks(data: dict[str, Any], feeds: list[Any]) -> list[str]:
    """Problems that involve two settings, found on the raw values so that they are reported
    beside every other problem, not one run later."""
    problems = []
    names = [f.get("name") for f in feeds if isinstance(f, dict) and f.get("name")]
    for name in sorted({n for n in names if names.count(n) > 1}, key=str):
        problems.append(f"Config value 'feeds[{name}]': the name is used by more than one feed")
    delivery = _table(data, "delivery")
    smtp = _table(delivery, "smtp")
    host = smtp.get("host", Smtp.model_fields["host"].default)
    loopback = host in ("localhost", "127.0.0.1", "::1")
    if delivery.get("transport") == "smtp" and smtp.get("security") == "none" and not loopback:
        problems.append(
            "Config value 'delivery.smtp.security': 'none' is allowed only to a loopback host"
            f" (delivery.smtp.host is {host!r})"
        )
    return problems


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}
