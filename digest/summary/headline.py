"""A thread's headline (the clearest source title, cleaned) and its one-line dek.

Both fit an email: the headline a subject line, the dek an inbox preheader.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from digest.models import Story
from digest.text import terms as t
from digest.text.sentences import headings

HEADLINE_CHARS = 90
DEK_CHARS = 140
#: Words a section heading shares with the headline and summary to be about the event (not
#: another article's headline left on the page).
SECTION_SHARED_WORDS = 2
#: Content words a title must add to the headline to be read as news rather than a rewording.
DEK_NEW_WORDS = 2
_OUTLET_SUFFIX = re.compile(r"\s+[-–—|]\s+([^-–—|]{2,40})$")
# Where a clause ends inside a title: ", killing ...", " — ...", "; ...", " while ...".
_CLAUSE_END = re.compile(r"[,;:]\s|\s[—–-]\s|\s(?=(?i:while|as|after|amid|but|and)\s)")
_LABEL_PREFIX = re.compile(
    r"^(?:BREAKING(?: NEWS)?|UPDATE|UPDATED|WATCH|LIVE(?: UPDATES?| BLOG| COVERAGE)?|EXCLUSIVE|"
    r"OPINION|ANALYSIS|EXPLAINER|FACTBOX|FACT CHECK|STOCK MARKET TODAY|MARKETS? TODAY|"
    r"MARKETS? WRAP)(?:\s*[:|]\s*|\s+[-–—]\s+)",  # not "Live-action", "Opinion polls"
    re.IGNORECASE,
)


def clean_title(title: str, outlets: Sequence[str] = ()) -> str:
    """Strip " - Outlet" / "| Site" tails, "BREAKING:" labels and a trailing period."""
    title = " ".join(title.split())
    title = _LABEL_PREFIX.sub("", title)
    match = _OUTLET_SUFFIX.search(title)
    # A tail names a site after "|" or when it names an outlet; any other tail may be the
    # headline's own second half ("- Trade War Ends").
    if match and (
        "|" in match.group(0) or any(o and o.lower() in match[1].lower() for o in outlets)
    ):
        title = title[: match.start()]
    return title.rstrip(" .;:,")


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters: at the end of a clause ("..., killing 24")
    when one ends past the middle, else at a word boundary with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    clauses = [
        m.start() for m in _CLAUSE_END.finditer(text[: limit + 1]) if m.start() >= limit // 2
    ]
    if clauses:
        return text[: clauses[-1]]
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–—")
    return cut + "…"


def choose_headline(stories: Sequence[Story], centre: t.Vector) -> str:
    """The title that best covers the thread, preferring subject-line length."""
    outlets = [s.source for s in stories]
    best, best_score = "", float("-inf")
    for story in stories:
        title = clean_title(story.title, outlets)
        if t.word_count(title) < 3:
            continue
        fit = t.cosine(t.vector(t.terms(title), {}), centre)
        # A title that is only the story's opening sentence (a source without a headline)
        # would be repeated by the summary's lead: a written headline is preferred.
        derived = 0.15 if " ".join(story.text.split()).startswith(title) else 0.0
        score = fit - derived + 0.02 * min(t.word_count(title), 12)
        if score > best_score:
            best, best_score = title, score
    return shorten(best, HEADLINE_CHARS) if best else ""


def choose_dek(stories: Sequence[Story], headline: str, summary: Sequence[str]) -> str:
    """The first standfirst among `stories`, else another outlet's title for the event, else
    the first section heading a story's text gives, cut to a preheader's length; "" when there
    is none.

    Never a body sentence: the summary says those, each with its source. A line that only
    repeats the headline or a summary sentence is passed over.
    """
    outlets = [s.source for s in stories]
    standfirsts = [story.dek for story in stories]
    titles = [clean_title(story.title, outlets) for story in stories]
    about = set(t.terms(" ".join([headline, *summary])))
    sections = [
        line
        for story in stories
        for line in headings(story.text)
        if len(set(t.terms(line)) & about) >= SECTION_SHARED_WORDS
    ]
    # A title adding to the headline ("Hochul to be first female governor" beside "Cuomo
    # resigns"), before a section heading; never one that only rewords the headline.
    adding = [title for title in titles if _adds(title, headline, DEK_NEW_WORDS)]
    for line in [*standfirsts, *adding, *sections]:
        line = " ".join(line.split())
        if line and _adds(line, headline) and not _said(line, summary):
            return shorten(line, DEK_CHARS)
    return ""


def _said(line: str, summary: Sequence[str]) -> bool:
    """Whether a summary sentence already says `line`, or `line` opens with one (a standfirst
    that is the article's first paragraph)."""
    plain, said = " ".join(t.terms(line)), [" ".join(t.terms(s)) for s in summary]
    return any(s.startswith(plain) or plain.startswith(s) for s in said if s)


_ABBREVIATED = {"gov": "governor", "sen": "senator", "rep": "representative", "pm": "prime"}


def _adds(line: str, headline: str, words: int = 1) -> bool:
    """Whether `line` says more than the headline: `words` content words it lacks, and, for
    a line sharing most of the headline's words, at least DEK_NEW_WORDS ("Pope Francis dies
    at 88 after stroke" under "Pope Francis dies")."""
    if line.startswith(headline.removesuffix("…")):
        return False  # the headline's own title, which the headline cuts short
    ours, theirs = _keys(line), _keys(headline)
    new = len(ours - theirs)
    if not ours or not theirs:
        return False
    if len(ours & theirs) >= 0.8 * min(len(ours), len(theirs)):
        return new >= DEK_NEW_WORDS
    return new >= words


def _keys(text: str) -> set[str]:
    """Content words by their first six letters: "resigns" and "resignation", "Afghan" and
    "Afghanistan" meet, "interest" and "international" do not."""
    return {_ABBREVIATED.get(term, term)[:6] for term in t.terms(text)}
