"""The seeds' edition, rendered, is exactly the committed golden HTML and text."""

from __future__ import annotations

import pytest

from tests.golden_edition import GOLDEN, render_seeds


@pytest.mark.parametrize("part", ["html", "text"])
def test_seeds_edition_matches_the_golden_files(part: str) -> None:
    rendered = render_seeds()
    name = "seeds.html" if part == "html" else "seeds.txt"
    expected = (GOLDEN / name).read_text(encoding="utf-8")

    actual = rendered.html if part == "html" else rendered.text

    assert actual == expected, f"{name} changed: review, then run `make golden`"
