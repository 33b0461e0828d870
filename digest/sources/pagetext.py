"""Captured web pages as plain text -> (title, dek, body), and page furniture removed from any
story's text at ingest (`strip_furniture`), so later stages read only the article.

The article body is the longest run of prose paragraphs (sentence-like: ending in terminal
punctuation), bridging single headings between substantial prose. Short labels ("share",
"Tags"), link lists, teasers and calls to action fall outside it. Furniture is recognised by
what sites print on every page (calls to action, credits, copyright), never by one site's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from digest.text.sentences import split_sentences

_TERMINAL = re.compile(r"[.!?…]$")
_CLOSERS = "\"'”’»)]*_ "
# Page furniture: what a site prints around every article, on any site and in the languages of
# Western European and East Asian feeds: calls to action, promos, credits and bylines, copyright,
# photo credits, pointers to other pages. Gathered from the pages and feeds the summarizer met
# (seeds/000_*, test feeds); removed here, once, so later stages read only the article.
# Written in lower case and matched against lower-cased text (`_furniture`): IGNORECASE made
# this alternation twice as slow, and every sentence of every story passes it.
_FURNITURE = re.compile(
    r"\b(?:subscribe|subscription|sign ?up|sign in|log ?in (?:to|or|with)|click here|follow us|"
    r"skip to|newsletters?|read more|cookies?|all rights reserved|advertisement|"
    r"sponsored (?:content|post|story|links?)|"
    r"share (?:this|on)|(?:in|to) your inbox|download (?:the|our) app|terms of (?:use|service)|"
    r"privacy policy|use (?:the )?(?:promo |discount |coupon )?code|"
    r"\d+% off (?:tickets|passes|registration|your)|"
    r"(?:buy|get|grab) (?:your )?tickets|our booth|say hello|"
    r"(?:story|article|post) (?:was|has been) updated|views expressed|not investment advice|"
    r"our (?:reporters|team|editors) will be|(?:get|download|install)\b[^.]{0,60}\bapp|"
    r"join \d[\d,]*\+? readers|we may earn|affiliate links?|paid partnership|"
    r"jetzt abonnieren|newsletter abonnieren|abonnez-vous|inscrivez-vous|suscr[íi]bete|"
    r"iscriviti|assine|anzeige|publicit[ée]|publicidad|pubblicit[àa]|werbung|"
    r"alle rechte vorbehalten|tous droits r[ée]serv[ée]s|todos los derechos reservados|"
    r"tutti i diritti riservati|todos os direitos reservados|"
    r"(?:dieser|der|cet|este|questo|dit|deze|this) (?:artikel|article|art[íi]culo|articolo|"
    r"artigo) (?:ist|est|es|è|é|is|was|has|wurde|a été|fue|foi|werd)|zuerst [^.]{0,40}erschienen|"
    r"kommentarfunktion|zur startseite|zum anh[öo]ren|lees (?:het volledige|ook|meer)|"
    r"leggi anche|ricevi le notizie|leia (?:mais|tamb[ée]m)|lee tambi[ée]n|"
    r"t[ée]l[ée]chargez l['’]application|r[ée]serv[ée] aux abonn[ée]s|connectez-vous|"
    r"tradotto automaticamente|recevez nos alertes|nieuwsbrief|boletín|meld je aan|"
    r"ontvang het|volg ons|folgen sie uns|suivez-nous|s[íi]guenos|seguici|siga-nos|"
    r"leggi l['’]articolo|lire l['’]article|lesen sie (?:den|weiter)|lea el art[íi]culo|"
    r"leia o artigo)\b|"
    r"^(?:foto|fotos|photo|bild|imagen|immagine)\s*:|©|\(cc license\)|^disclosures?:|"
    r"^(?:sponsored|log ?in)\b|"
    r"contributed (?:to )?this (?:report|story|article)|contributed reporting|"
    r"^with (?:additional )?reporting (?:by|from)\b|"
    r"\b(?:check out|see|read|find|follow|watch|catch up on) our [^.]{0,60}"
    r"\b(?:here|coverage|live (?:page|blog|updates)|latest updates)\b|"
    r"\bfollow (?:the|our) (?:latest|live)\b|\bour full coverage\b|"
    r"reuters/|\bap photo\b|via getty images|\bafp/|\bwant more (?:stories|news) like this\b|"
    r"版权所有|责任编辑|本文来源|免责声明|相关阅读|上一篇|下一篇|二维码|公众号|無断転載|"
    r"会員登録|ログイン|シェア|続きを読む|関連記事|저작권|무단\s?전재|구독|로그인|관련\s?기사",
)
# A byline: "Reporting by David Milliken and Andy Bruce; Editing by Catherine Evans."
_CREDIT = re.compile(
    r"^(?:Additional )?(?:[Rr]eporting|[Ww]riting|[Ee]diting) by (?:[A-Z][\w'’.-]*"
    r"(?:,|;| and| in| from)?\s*)+(?:[;.]|$)|\b[Ee]diting by [A-Z][\w'’. -]{0,60}\.?$"
)
# A photo's caption: a present-tense scene without a reporting verb ("Bank of England Governor
# Andrew Bailey speaks during ...", "... holds a news conference in Washington, June 18, 2025.").
_CAPTION = re.compile(
    r"^(?:(?:[A-Z][\w.'’-]*|of|the|and|a|an)\s+){1,10}(?:(?:speaks|gestures|poses|listens|"
    r"reacts|digs?) (?:during|as|at|to|for|while|through|outside|in front of)\b|looks on\b)"
    r"|\b(?:speaks|gestures|looks on|attends|arrives|waves|poses|listens|walks|holds|stands|"
    r"sits|reacts)\b[^.]{0,160}, [A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}\.?$"
)
_REPORTED = re.compile(r"\b(?:said|says|will|would|has|have|had|was|were|is|are)\b")
# "Watch: Live coverage ...", "Related: ...": a link to other content.
_LABELLED = re.compile(
    r"(?:watch|related|video|listen|photos?|gallery|live|see also|read|opinion|podcast|"
    r"sponsored|advertisement|image|graphic)\s*[:|]",
    re.IGNORECASE,
)
# A heading over links to other articles or to events: the rest of its block is theirs.
_ELSEWHERE = re.compile(
    r"(?:more|other|latest|top|related|recommended|popular|trending) (?:stories|news|articles|"
    r"coverage|reads?|headlines)(?: (?:from|on|in|about) .{1,40})?|more (?:from|on) .{1,40}|"
    r"related|most (?:read|popular|viewed|shared)|upcoming events|events|read (?:next|more)|"
    r"you (?:may|might) also like|also read|further reading|editor['’]?s picks|"
    r"in other news|trending now|what to read next|recommended for you|"
    r"mehr zum thema|lesen sie auch|das k[öo]nnte sie (?:auch )?interessieren|lire aussi|"
    r"[àa] lire aussi|sur le m[êe]me sujet|le plus lu|leer m[áa]s|te puede interesar|"
    r"lo m[áa]s le[íi]do|leggi anche|i pi[ùu] letti|leia tamb[ée]m|mais lidas",
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
    return len(line.split()) < 40 and _furniture(line)


def _furniture(text: str) -> bool:
    return bool(_FURNITURE.search(text.lower()))


def is_furniture(sentence: str) -> bool:
    """Whether a sentence or line is the page's, not the article's: a promo, credit, byline,
    copyright or photo credit, a caption, or a labelled link ("Watch: ...")."""
    return bool(
        _furniture(sentence)
        or _CREDIT.search(sentence)
        or (_CAPTION.search(sentence) and not _REPORTED.search(sentence))
        or (_LABELLED.match(sentence) and len(sentence.split()) <= _HEADING_WORDS)
    )


def strip_furniture(text: str) -> str:
    """`text` (paragraphs split by blank lines, lines by newlines) without page furniture:
    furniture sentences are dropped, and so is a heading for other articles ("More stories",
    "Upcoming Events") with the rest of its block."""
    blocks = []
    for block in re.split(r"\n\s*\n", text):
        kept = []
        for line in block.split("\n"):
            if _ELSEWHERE.fullmatch(line.strip().rstrip(" :")):
                break
            sentences = [s for s in split_sentences(line) if not is_furniture(s)]
            if sentences:
                kept.append(" ".join(sentences))
        if kept:
            blocks.append("\n".join(kept))
    return "\n\n".join(blocks)


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
