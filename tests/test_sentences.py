"""Sentence splitting and the prose filter, on the cases news text throws at them."""

from __future__ import annotations

import pytest

from digest.sentences import looks_like_prose, paragraphs, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The U.S. said it would act. The S&P 500 rose 0.3% on Monday.",
            ["The U.S. said it would act.", "The S&P 500 rose 0.3% on Monday."],
        ),
        (
            "Gov. Gavin Newsom met Sen. Joe Manchin. They spoke for an hour.",
            ["Gov. Gavin Newsom met Sen. Joe Manchin.", "They spoke for an hour."],
        ),
        (
            "John F. Kennedy spoke in the U.S. Senate about it.",
            ["John F. Kennedy spoke in the U.S. Senate about it."],
        ),
        (
            "The talks ended at 8 p.m. The next round starts at 10 a.m. local time.",
            ["The talks ended at 8 p.m.", "The next round starts at 10 a.m. local time."],
        ),
        (
            "Bessent called it “good.” Lutnick said “productive!” and left. Then what?",
            ["Bessent called it “good.”", "Lutnick said “productive!” and left.", "Then what?"],
        ),
        ("“Stop!” she said. “Now.” He stopped.", ["“Stop!” she said.", "“Now.”", "He stopped."]),
        (
            "Prices rose 4.2 percent, the most since 2008. It cost $1.9 trillion.",
            ["Prices rose 4.2 percent, the most since 2008.", "It cost $1.9 trillion."],
        ),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_paragraphs_break_at_blank_lines_headings_and_sentence_ends() -> None:
    text = (
        "First paragraph ends here.\nTalks in London Enter Second Day\n"
        "A hard-wrapped line of running prose that goes on past sixty chars and\n"
        "continues on the next line.\n\nLast one."
    )
    assert paragraphs(text) == [
        "First paragraph ends here.",
        "Talks in London Enter Second Day",
        "A hard-wrapped line of running prose that goes on past sixty chars and "
        "continues on the next line.",
        "Last one.",
    ]


@pytest.mark.parametrize(
    "leftover",
    [
        "share",
        "article-image",
        "Read more",
        "Tags",
        "UPCOMING EVENTS AND MORE FROM OUR TEAM TODAY.",
        "To read full editions, subscribe.",
        "Get the news in your inbox.",
        "Talks in London Enter Second Day",
        "Here’s hoping.",
        "The controversial podcaster, who has drawn criticism for past statements about...",
        'US Commerce Secretary Howard Lutnick | The White House/"P2025.jpg" (CC license)',
    ],
)
def test_page_leftovers_are_not_prose(leftover: str) -> None:
    assert not looks_like_prose(leftover)


@pytest.mark.parametrize(
    "sentence",
    [
        "China’s delegation includes vice premier He Lifeng.",
        "Representing the U.S. in the negotiations are Treasury Secretary Scott Bessent, "
        "Commerce Secretary Howard Lutnick, and Trade Representative Jamieson Greer.",
        "The S&P 500 approached its February high with a 2% gain.",
    ],
)
def test_news_sentences_are_prose(sentence: str) -> None:
    assert looks_like_prose(sentence)
