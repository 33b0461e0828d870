"""One small hierarchy of errors. `str()` of each is the line a user reads.

Leaves carry the resource that failed (a feed URL, a config key, a recipient),
and I/O edges raise them `from` the underlying exception.
"""

from __future__ import annotations


class DigestError(Exception):
    """Base class: anything the command line reports as one clear line (exit 1).

    Errors cross process boundaries (the parse pool pickles them back), and a leaf's
    constructor takes other arguments than its message: so each is rebuilt from its
    message and attributes, never by calling its constructor again.
    """

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), self.args, self.__dict__))


def _rebuild(
    cls: type[DigestError], args: tuple[object, ...], state: dict[str, object]
) -> Exception:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class ConfigError(DigestError):
    """The configuration is invalid; `problems` lists every problem found at once."""

    def __init__(self, problems: list[str], path: str = "") -> None:
        self.problems = problems
        self.path = path
        where = f" in {path}" if path else ""
        head = f"{len(problems)} problem(s){where}" if len(problems) > 1 else ""
        body = "; ".join(problems)
        super().__init__(f"{head}: {body}" if head else f"{body}{where}")


class SourceError(DigestError):
    """A source could not be fetched or parsed; the run goes on without it."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"{url}: {reason}")


class StoreError(DigestError):
    """The store (SQLite file) could not be opened or migrated."""


class RenderError(DigestError):
    """A template failed; names the template and line."""

    def __init__(self, template: str, reason: str, line: int | None = None) -> None:
        self.template = template
        self.line = line
        where = f"{template}:{line}" if line else template
        super().__init__(f"template {where}: {reason}")


class DeliveryError(DigestError):
    """A message could not be delivered to one recipient."""

    def __init__(self, recipient: str, reason: str, permanent: bool = False) -> None:
        self.recipient = recipient
        self.reason = reason
        self.permanent = permanent
        super().__init__(f"{recipient}: {reason}")


class UncertainDeliveryError(DeliveryError):
    """The whole message went to the server, then no answer came (dropped, timed out): it
    may or may not have been accepted."""


class TransportError(DigestError):
    """The mail server itself could not be reached or refused us (host named)."""

    def __init__(self, host: str, reason: str) -> None:
        self.host = host
        self.reason = reason
        super().__init__(f"{host}: {reason}")
