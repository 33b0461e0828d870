"""Who the newsletter goes to, as configured: the `delivery.recipients` list and CSV files.

Addresses are validated (email-validator, no DNS), lower-cased and merged when repeated.
Bad entries are reported with where they came from and skipped. No store access here.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path

from email_validator import EmailNotValidError, validate_email

from digest.config import Settings
from digest.errors import DigestError
from digest.models import Recipient


@dataclass(frozen=True)
class RecipientList:
    """Valid recipients (merged, in first-seen order) and one line per rejected entry."""

    recipients: tuple[Recipient, ...]
    problems: tuple[str, ...] = ()


def normalize_address(address: str) -> str:
    """The address as stored and mailed: validated, lower-cased; ValueError says why not."""
    try:
        valid = validate_email(address.strip(), check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as e:
        raise ValueError(f"{address!r} is not a valid email address: {e}") from None
    # The ASCII form (an internationalized domain as punycode): what SMTP and headers carry.
    return (valid.ascii_email or valid.normalized).lower()


def clean_name(name: str) -> str:
    """A display name on one line: CR, LF and runs of spaces collapse (no header injection)."""
    return " ".join(name.split())


def configured_recipients(settings: Settings) -> RecipientList:
    """The config list, then the recipients file; duplicates merged, bad entries reported.

    A recipients file that cannot be read is an error (DigestError), not an empty list:
    mailing only part of the list and calling the edition delivered would be worse.
    """
    delivery = settings.delivery
    listed = delivery.recipients
    if delivery.recipients_file and "recipients" not in delivery.model_fields_set:
        listed = []  # the built-in example address is not mailed beside a real list
    entries: list[tuple[str, Recipient | str]] = [
        (f"delivery.recipients[{index}]", _from_config_item(item))
        for index, item in enumerate(listed)
    ]
    if delivery.recipients_file:
        name = delivery.recipients_file
        entries.extend(read_csv(settings.resolve(name), label=name))
    return merge_recipients(entries)


def read_csv(path: Path, label: str = "") -> list[tuple[str, Recipient | str]]:
    """Rows of a CSV with an `email` column: (where, Recipient) or (where, raw bad address).

    Other columns than `email` and `name` are kept as the recipient's fields.
    """
    label = label or path.name
    try:
        with path.open(newline="", encoding="utf-8-sig") as file:
            return list(_csv_rows(file, label))
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise DigestError(f"{label}: cannot read the recipients file: {e}") from e


def _csv_rows(lines: Iterable[str], label: str) -> Iterable[tuple[str, Recipient | str]]:
    reader = csv.DictReader(lines)
    columns = {(c or "").strip().lower(): c for c in reader.fieldnames or []}
    if "email" not in columns:
        raise DigestError(f"{label} line 1: the header has no 'email' column")
    email_key, name_key = columns["email"], columns.get("name")
    for row in reader:
        where = f"{label} line {reader.line_num}"
        address = (row.get(email_key) or "").strip()
        if not address and not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue  # a blank line
        fields = {
            clean_name(k): (v or "").strip()
            for k, v in row.items()
            if k and k not in (email_key, name_key) and isinstance(v, str)
        }
        name = clean_name(row.get(name_key) or "") if name_key else ""
        yield where, Recipient(email=address, name=name, fields=fields)


def _from_config_item(item: str) -> Recipient:
    """`"reader@example.com"` or `"Jane Doe <jane@example.com>"`."""
    name, address = parseaddr(item)
    if "<" in item and address:
        return Recipient(email=address, name=clean_name(name))
    return Recipient(email=item.strip())


def merge_recipients(entries: Iterable[tuple[str, Recipient | str]]) -> RecipientList:
    """Validate each entry; the first occurrence of an address wins, later ones fill gaps."""
    merged: dict[str, Recipient] = {}
    problems: list[str] = []
    for where, entry in entries:
        recipient = entry if isinstance(entry, Recipient) else Recipient(email=entry)
        try:
            address = normalize_address(recipient.email)
        except ValueError as e:
            problems.append(f"{where}: {e}")
            continue
        known = merged.get(address)
        if known is None:
            merged[address] = Recipient(address, recipient.name, dict(recipient.fields))
        else:
            fields = {**recipient.fields, **known.fields}
            merged[address] = Recipient(address, known.name or recipient.name, fields)
    return RecipientList(tuple(merged.values()), tuple(problems))
