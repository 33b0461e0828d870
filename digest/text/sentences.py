"""Split story text into paragraphs and sentences, and tell running prose from headings and
labels by its grammar. Knows abbreviations ("U.S.", "Gov."), decimals ("0.3%"), initials and
quotes. Page furniture is removed at ingest (`digest.sources.pagetext`), not here; choosing
sentences is `digest.summary`'s job. Each rule is measured by bench/rules_quality.py.
"""

from __future__ import annotations

import re

from digest.text.lexicon import NAME_SUFFIXES, NUMBERED, STARTERS, TITLES
from digest.text.terms import CJK, word_count

_END = re.compile(r"""([.!?…]+)(["'”’)\]]*)\s+(?=["'“‘(\[]?[A-Z0-9가-힣])""")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")  # accented letters too: "für", "según"
_TERMINAL = re.compile(r"""[.!?]["'”’)\]]*$""")
# Chinese and Japanese: a sentence ends at "。", "！" or "？" (and its closing quotes), spaced
# or not; one needs this many characters to be a sentence rather than a label.
# A quotation in 「」 or 『』 stays whole with its speaker, whatever ends inside it.
_CJK_SENTENCE = re.compile(
    r"""(?:「[^」]*」|『[^』]*』|[^。！？「『])+(?:[。！？]+[」』”’）)]*|$)|[「『][^。！？]*$"""
)
_CJK_TERMINAL = re.compile(r"""[。！？.!?][」』”’）)]*$""")
_CJK_MIN_WORDS = 4  # "美国官员表示满意。" (8 characters) is a sentence
_TRUNCATED = re.compile(r"""(\.\.\.|…)["'”’)\]]*$""")
_HEADING_WORDS = 14


def paragraphs(text: str) -> list[str]:
    """Paragraphs of `text`: blank lines separate them; so does a line that ends a sentence
    or is too short to be hard-wrapped prose (a heading)."""
    result: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        current: list[str] = []
        for line in block.splitlines():
            line = line.strip()
            if not line:
                continue
            current.append(line)
            if _TERMINAL.search(line) or len(line) < 60:
                result.append(" ".join(current))
                current = []
        if current:
            result.append(" ".join(current))
    return result


def _ends_sentence(before: str, next_text: str) -> bool:
    """Whether the period at the end of `before` closes a sentence, given what follows."""
    tokens = before.split()
    token = tokens[-1].rstrip(".").lstrip("\"'“‘(").lower() if tokens else ""
    following = next_text.split(None, 1)[0].strip("\"'“‘(").lower() if next_text else ""
    if token in TITLES or re.fullmatch(r"[a-z]", token):  # "Gov. Newsom", "John F. Kennedy"
        return False
    if token in NUMBERED:  # "No. 10", "Jan. 5"
        return not following[:1].isdigit()
    if token in NAME_SUFFIXES or re.fullmatch(r"(?:[a-z]\.)+[a-z]", token):  # Co., U.S., p.m.
        return following in STARTERS
    return True


def split_sentences(paragraph: str) -> list[str]:
    """The sentences of one paragraph, whitespace-normalized, in order."""
    paragraph = " ".join(paragraph.split())
    pieces = [p.strip() for p in _CJK_SENTENCE.findall(paragraph)]  # "。" ends one, spaced or not
    return [sentence for piece in pieces if piece for sentence in _split_latin(piece)]


def _split_latin(paragraph: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for match in _END.finditer(paragraph):
        end = match.end(2)
        piece = paragraph[start:end]
        if match.group(1).endswith(".") and not _ends_sentence(piece, paragraph[match.end() :]):
            continue
        sentences.append(piece.strip())
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def headings(text: str) -> list[str]:
    """The section headings of an article's text, in order: short lines of their own that start
    with a capital and end without a stop ("Talks in London Enter Second Day"), not a label
    line ("Event | City | Dates")."""
    return [
        line
        for line in paragraphs(text)
        if 2 <= len(line.split()) <= _HEADING_WORDS
        and line[:1].isupper()
        and not _TERMINAL.search(line)
        and line[-1:] not in ":;,…"
        and " | " not in line
    ]


def looks_like_prose(sentence: str) -> bool:
    """True for a complete sentence of running text; False for headings, menus, labels and
    truncated leads ("..."). Grammar only: page furniture is removed at ingest."""
    cjk = len(re.findall(f"[{CJK}\uff10-\uff5a]", sentence))  # full-width digits too
    if cjk and (
        cjk > len(sentence.replace(" ", "")) / 2 or sentence.rstrip("」』”’）)")[-1:] in "。！？"
    ):  # Chinese, Japanese, Korean: no spaces to count words by
        return word_count(sentence) >= _CJK_MIN_WORDS and bool(_CJK_TERMINAL.search(sentence))
    if not _TERMINAL.search(sentence) or _TRUNCATED.search(sentence):
        return False
    alpha = _WORD.findall(sentence)
    lower = [w for w in alpha if w[0].islower()]
    return len(lower) >= 3 and len(lower) >= 0.25 * len(alpha)


def story_sentences(text: str) -> list[str]:
    """Every sentence of `text`, in order (a sentence's index is its place in the story)."""
    return [sentence for paragraph in paragraphs(text) for sentence in split_sentences(paragraph)]
