"""The seeds' editions, made by the whole pipeline, are exactly the committed golden files.

A deliberate change to any stage shows up here as a diff: review it, then `make golden`.
"""

from __future__ import annotations

import pytest

from tests.golden_edition import GOLDEN, golden_files

NAMES = sorted(p.name for p in GOLDEN.iterdir())


@pytest.fixture(scope="module")
def fresh() -> dict[str, str]:
    return golden_files()


def test_the_golden_set_is_complete(fresh: dict[str, str]) -> None:
    assert sorted(fresh) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_seeds_edition_matches_the_golden_file(fresh: dict[str, str], name: str) -> None:
    expected = (GOLDEN / name).read_text(encoding="utf-8")
    assert fresh[name] == expected, f"{name} changed: review the diff, then run `make golden`"


def test_day_two_marks_the_thread_developing_and_leads_with_the_new_report(
    fresh: dict[str, str],
) -> None:
    day2 = fresh["day2.txt"]
    assert "DEVELOPING · DAY 2" in day2
    body = " ".join(day2.split("DEVELOPING · DAY 2", 1)[1].split())  # unwrap the text lines
    # Only the new report is cited, with what it alone says; yesterday's facts are not repeated.
    assert "[1] Second-day report" in body and "[2]" not in body
    assert "Lancaster House" in body and "top dogs" not in body
    assert "Beijing believes the U.S. should recognize progress" in body  # the stance
