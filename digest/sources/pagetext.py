"""Captured web pages as plain text -> (title, dek, body), the page's leftovers dropped.

The general rule: the article body is the longest run of prose paragraphs (sentence-like:
ending in terminal punctuation), bridging single headings between substantial prose.
Short labels ("share", "Tags"), link lists, teasers and calls to action fall outside it.
No site-specific strings: the rule knows what prose looks like, not what a site prints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TERMINAL = re.compile(r"[.!?…]$")
_CLOSERS = "\"'”’»)]*_ "
# Calls to action that mark a promo line on any site, not the wording of one page.
_PROMO = re.compile(
    r"\b(subscribe|subscription|sign ?up|sign in|log ?in|click here|follow us"
    r"|download (our|the) app|advertisement|sponsored|all rights reserved|cookies?|skip to)\b",
    re.IGNORECASE,
)
_MAX_GAP = 2  # short lines (headings, captions) bridged between two substantial runs
_HEADING_WORDS = 12
_MIN_SIDE_WORDS = 20  # a lone teaser sentence after a heading is not article


@dataclass(frozen=True)
class Article:
    title: str
    dek: str
    #: Body paragraphs joined by blank lines.
    body: str


def paragraphs(text: str) -> list[str]:
    """Blocks split on blank lines; a block of hard-wrapped lines is one paragraph."""
    result: list[str] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        lines = [line for line in lines if line]
        if len(lines) > 1 and all(len(ln) >= 50 and not is_sentence(ln) for ln in lines[:-1]):
            result.append(" ".join(lines))
        else:
            result.extend(lines)
    return result


def is_sentence(line: str) -> bool:
    return bool(_TERMINAL.search(line.rstrip(_CLOSERS))) and len(line.split()) >= 2


def is_promo(line: str) -> bool:
    return len(line.split()) < 40 and bool(_PROMO.search(line))


def extract_article(text: str) -> Article:
    """Title (the first line), dek (a heading-like second line) and the body run."""
    paras = paragraphs(text)
    if not paras:
        return Article("", "", "")
    first = paras[0]
    title = first if not is_sentence(first) else _first_sentence(first)
    start, end = body_span(paras)
    dek = ""
    if start >= 2 and _is_heading(paras[1], 40) and len(paras[1].split()) >= 4:
        dek = paras[1]
    body = [p for p in paras[start:end] if not is_promo(p)]
    if body and body[0] == title:
        body = body[1:]
    return Article(title, dek, "\n\n".join(body))


def body_span(paras: list[str]) -> tuple[int, int]:
    """[start, end) of the article body within the paragraphs: the best run of prose."""
    runs = _prose_runs(paras)
    if not runs:
        return 0, len(paras)
    merged = [runs[0]]
    for start, end in runs[1:]:
        prev_start, prev_end = merged[-1]
        gap = paras[prev_end:start]
        if (
            len(gap) <= _MAX_GAP
            and all(_is_heading(g, _HEADING_WORDS) for g in gap)
            and _bridgeable(paras[prev_start:prev_end], paras[start:end])
        ):
            merged[-1] = (prev_start, end)
        else:
            merged.append((start, end))
    return max(merged, key=lambda r: sum(len(p) for p in paras[r[0] : r[1]]))


def _prose_runs(paras: list[str]) -> list[tuple[int, int]]:
    """Maximal runs of sentence paragraphs; promo lines inside a run do not break it."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for i, para in enumerate([*paras, ""]):
        prose = is_sentence(para) and not (is_promo(para) and start is None)
        if prose and start is None:
            start = i
        elif not prose and start is not None:
            runs.append((start, i))
            start = None
    return runs


def _bridgeable(before: list[str], after: list[str]) -> bool:
    """Prose on both sides of a heading, at least one side a real stretch of article."""
    words = [sum(len(p.split()) for p in run) for run in (before, after)]
    return min(words) >= _MIN_SIDE_WORDS and (_substantial(before) or _substantial(after))


def _substantial(run: list[str]) -> bool:
    words = sum(len(p.split()) for p in run)
    return words >= 60 or (len(run) >= 2 and words >= 40)


def _is_heading(line: str, max_words: int) -> bool:
    return not is_sentence(line) and len(line.split()) <= max_words and not is_promo(line)


def _first_sentence(line: str) -> str:
    match = re.match(r"(.+?[.!?])\s", line + " ")
    sentence = (match.group(1) if match else line).rstrip(".")
    return sentence if len(sentence) <= 140 else sentence[:137].rsplit(" ", 1)[0] + "…"
