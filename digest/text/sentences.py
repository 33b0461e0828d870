"""Split story text into sentences and tell prose from page leftovers.

Knows abbreviations ("U.S.", "Gov."), decimals ("0.3%"), initials and quotes.
It does not score or choose sentences; `summarize` does that.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from digest.text.terms import CJK, word_count, words

# Titles before a name ("Gov. Newsom", "Dr. He Jiankui", "e.g."): the period never ends a sentence.
TITLES = words(
    """
    mr mrs ms dr prof gov sen rep gen col lt sgt capt cmdr adm maj rev hon pres supt det
    insp amb messrs mt vs e.g i.e
    """
)
# Trailing short forms ("Ford Motor Co.", "King Jr.", "St. Louis"): a period ends the sentence
# only when a common sentence opener follows ("Co. The shares", not "Co. Chief Executive").
_SUFFIXES = words("inc ltd corp co bros llc plc al jr sr st ft dept univ ave blvd rd")
# Short forms before a number ("No. 10", "Jan. 5", "Fig. 3"): anything else follows a full stop
# ("the minister said no. The opposition").
_NUMBERED = words("no nos fig est approx jan feb mar apr jun jul aug sep sept oct nov dec")
# After "U.S.", "p.m." or "Co." a new sentence only starts with one of these words; an office
# ("U.S. President", "U.K. Prime Minister", "U.N. Secretary-General") continues the sentence.
_STARTERS = words(
    """
    the a an he she it they we i you his her its their our this that these those there
    but and however yet so meanwhile in on at for after before while when if as by with
    some many most one two three officials police shares analysts investors
    """
)
_NOT_PLACES = words(
    "last each every next any no one some other first that this extra injury stoppage prime "
    "half full over part double added real play game"
)
_SUBJECT_VERBS = words("said says has have had will would is was are were announced responded")
# Capitals, countries and blocs that answer the U.S. or the U.K. in the news: after "the U.S."
# one of them with a verb starts the next sentence ("... on the U.S. Beijing said ...").
_CAPITALS = words(
    """
    Beijing China Moscow Russia Kremlin Tokyo Japan Seoul Pyongyang Taipei Taiwan Tehran Iran
    Israel Kyiv Ukraine Brussels Europe Berlin Germany Paris France London Britain Ottawa
    Canada Mexico Delhi India Ankara Turkey Riyadh Hamas Hezbollah NATO Washington
    """
)
# After "a.m." or "p.m." a capitalized word starts a new sentence ("at 9 a.m. Trump will
# speak") unless it says which clock or day the time is on ("9 a.m. Eastern", "9 a.m. Friday").
_CLOCKS = words("a.m p.m")
_CLOCK_WORDS = words(
    """
    et est edt ct cst cdt mt mst mdt pt pst pdt gmt bst cet cest utc jst ist aest hkt sgt
    aedt acst acdt awst nzst nzdt kst wib christmas easter thanksgiving
    eastern central mountain pacific atlantic local monday tuesday wednesday thursday friday
    saturday sunday today tomorrow tonight january february march april may june july august
    september october november december jan feb mar apr jun jul aug sep sept oct nov dec
    """
)
# A quote closed by "?" or "!" whose sentence goes on with who said it ("“Why now?” Trump
# asked reporters.").
_SPEECH_TAG = re.compile(
    r"(?!(?:The|A|An|This|That|These|Those|It|He|She|They|We|I)\s)"
    r"(?:[A-Z][\w’'.-]*\s+){1,3}(?:said|says|asked|asks|wrote|writes|added|adds|told|"
    r"replied|tweeted|posted)\b"
)
_END = re.compile(r"""([.!?…]+)(["'”’)\]]*)\s+(?=["'“‘(\[]?[A-Z0-9가-힣])""")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")  # accented letters too: "für", "según"
_LEFTOVER = re.compile(
    r"\b(subscribe|subscription|sign up|newsletters?|read more|click here|cookies?|"
    r"all rights reserved|advertisement|follow us|share this|share on|log ?in|"
    r"inbox|download (the|our) app|terms of (use|service)|privacy policy|"
    r"use (the )?(promo |discount |coupon )?code|\d+% off (tickets|passes|registration|your)|"
    r"(buy|get|grab) (your )?tickets|our booth|say hello|(story|article|post) (was|has been) "
    r"updated|"
    r"views expressed|not investment advice|our (reporters|team|editors) will be|"
    r"(get|download|install)\b[^.]{0,60}\bapp|join \d[\d,]*\+? readers|"
    r"we may earn|affiliate links?|sponsored by|paid partnership|"
    # the same prompts on German, French, Spanish, Italian and Portuguese pages
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
    r"^(?:foto|fotos|photo|bild|imagen|immagine)\s*:|©|\(cc license\)|"
    # credits and pointers to the outlet's other pages
    r"contributed (?:to )?this (?:report|story|article)|contributed reporting|"
    r"^with (?:additional )?reporting (?:by|from)\b|"
    r"\b(?:check out|see|read|find|follow|watch|catch up on) our [^.]{0,60}"
    r"\b(?:here|coverage|live (?:page|blog|updates)|latest updates)\b|"
    r"\bfollow (?:the|our) (?:latest|live)\b|\bour full coverage\b|"
    r"REUTERS/|\bAP Photo\b|via Getty Images|\bAFP/|\bwant more (?:stories|news) like this\b|"
    r"delivered to your inbox|"
    r"^disclosures?:",
    re.IGNORECASE,
)
# The small words of running text in English and the other languages of Western European
# feeds (German, French, Spanish, Italian, Portuguese, Dutch): menus and tag lists have none.
_ENGLISH = words(
    """
    the a an is are was were be been has have had will would can could should may might
    to of in on at for with by from and that said says as it its not
    """
)
_FUNCTION = _ENGLISH | words(
    """
    der die das den dem des ein eine einen und ist sind war hat haben wird mit von zu auf
    für im nicht sich auch nach bei
    le la les un une des du et est sont était ont dans pour sur par pas au aux qui que
    el los las del y es son fue ha han en por para con al se lo que una
    il lo gli della dei e è sono ha hanno per con non nel alla che
    o os as do da dos das em no na um uma não foi são com pelo pela
    het een en van is zijn heeft hebben op met voor niet dat
    """
)
# Real news leads run to 90 words; longer "sentences" are glued blocks (lists, transcripts,
# failed splits) and could not fit the default 100-word summary anyway. Past _LONG words a
# sentence must also read as grammar, not a run of names.
_MAX_WORDS = 100
_HEADING_WORDS = 14
_LONG = 70
_TERMINAL = re.compile(r"""[.!?]["'”’)\]]*$""")
# Chinese and Japanese: a sentence ends at "。", "！" or "？" (and its closing quotes), spaced
# or not; one needs this many characters to be a sentence rather than a label.
# A quotation in 「」 or 『』 stays whole with its speaker, whatever ends inside it.
_CJK_SENTENCE = re.compile(
    r"""(?:「[^」]*」|『[^』]*』|[^。！？「『])+(?:[。！？]+[」』”’）)]*|$)|[「『][^。！？]*$"""
)
_CJK_TERMINAL = re.compile(r"""[。！？.!?][」』”’）)]*$""")
_CJK_MIN_WORDS = 4  # "美国官员表示满意。" (8 characters) is a sentence
# Page furniture in Chinese, Japanese and Korean: copyright, editors, share and sign-up prompts.
_CJK_LEFTOVER = re.compile(
    r"版权所有|责任编辑|本文来源|免责声明|相关阅读|上一篇|下一篇|二维码|公众号|无断|無断転載|"
    r"会員登録|ログイン|シェア|続きを読む|関連記事|저작권|무단\s?전재|구독|로그인|관련\s?기사"
)
# A heading over links to other articles or to events: what follows it in its block is theirs.
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
# "Watch: Live coverage ...", "Related: ...": a link to other content, not a heading.
_LABELLED = re.compile(
    r"(?:watch|related|video|listen|photos?|gallery|live|see also|read|opinion|podcast|"
    r"sponsored|advertisement|image|graphic)\s*[:|]",
    re.IGNORECASE,
)
_TRUNCATED = re.compile(r"""(\.\.\.|…)["'”’)\]]*$""")


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
    if token in TITLES:  # "Gov. Newsom"
        return False
    if re.fullmatch(r"[a-z]", token):  # "John F. Kennedy", but "Plan B. It failed."
        return following in _STARTERS and following not in {"a", "an"}
    if token in _NUMBERED:
        return not following[:1].isdigit()
    if token in _SUFFIXES:
        return following in _STARTERS
    if token in _CLOCKS and len(tokens) > 1 and tokens[-2][:1].isdigit():
        return following.rstrip(".,") not in _CLOCK_WORDS and not _zone(next_text)
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]", token):  # U.S., U.K., a.m., p.m.
        return len(tokens) > 1 and (following in _STARTERS or _new_subject(next_text))
    return True


def _zone(text: str) -> bool:
    """Whether `text` opens with a place's clock: "Beijing time", "New York time" (not "This
    time", "Last time", "Some time later")."""
    words = [w.rstrip(".,;") for w in text.split()[:3]]
    at = next((i for i, w in enumerate(words) if w.lower() == "time"), 0)
    place = words[:at]
    return bool(place) and all(
        w[:1].isupper() and w.lower() not in _STARTERS | _NOT_PLACES for w in place
    )


def _new_subject(text: str) -> bool:
    """Whether `text` opens a sentence with a country, capital or bloc and a verb ("Beijing
    said", "China has"), which no "U.S." or "U.K." runs into; any other name may belong to
    the abbreviation ("U.S. Steel has", "U.S. Capitol would", "U.K. Parliament will")."""
    words = text.split(None, 2)
    return (
        len(words) > 1
        and words[0].strip('"“‘') in _CAPITALS
        and words[1].rstrip(",") in _SUBJECT_VERBS
    )


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
        rest = paragraph[match.end() :]
        if match.group(1).endswith(".") and not _ends_sentence(piece, rest):
            continue
        if match.group(1)[-1] in "?!" and match.group(2) and _SPEECH_TAG.match(rest):
            continue
        sentences.append(piece.strip())
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def headings(text: str) -> list[str]:
    """The section headings of an article's text, in order: short lines of their own that start
    with a capital and end without a stop ("Talks in London Enter Second Day"), not page
    furniture ("Sign up for our newsletter", "Watch: ...", "Event | City | Dates") nor the
    titles listed under "More stories"."""
    return [
        line
        for _, line in _own_paragraphs(text)
        if 2 <= len(line.split()) <= _HEADING_WORDS
        and line[:1].isupper()
        and not _TERMINAL.search(line)
        and line[-1:] not in ":;,…"
        and not _LEFTOVER.search(line)
        and not _LABELLED.match(line)
        and " | " not in line
    ]


# A photo's caption, in the present tense without a reporting verb: "Bank of England Governor
# Andrew Bailey speaks during ...", "Rescuers dig through the rubble ...", or any present-tense
# scene ending with the picture's date after a comma (", June 18, 2025.").
_CAPTION = re.compile(
    r"^(?:(?:[A-Z][\w.'’-]*|of|the|and|a|an)\s+){1,10}(?:(?:speaks|gestures|poses|listens|"
    r"reacts|digs?) (?:during|as|at|to|for|while|through|outside|in front of)\b|looks on\b)"
    r"|\b(?:speaks|gestures|looks on|attends|arrives|waves|poses|listens|walks|holds|stands|"
    r"sits|reacts)\b[^.]{0,160}, (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? "
    r"\d{1,2}, \d{4}\.?$"
)
_REPORTED = re.compile(r"\b(?:said|says|will|would|has|have|had|was|were|is|are)\b")
# A byline: "Reporting by David Milliken and Andy Bruce; Editing by Catherine Evans."
_CREDIT = re.compile(
    r"^(?:Additional )?(?:[Rr]eporting|[Ww]riting|[Ee]diting) by (?:[A-Z][\w'’.-]*"
    r"(?:,|;| and| in| from)?\s*)+(?:[;.]|$)|\b[Ee]diting by [A-Z][\w'’. -]{0,60}\.?$"
)


def looks_like_prose(sentence: str) -> bool:
    """True for a complete sentence of running text; False for headings, captions, menus,
    truncated leads ("..."), promos ("Read more", "subscribe") and other page leftovers."""
    cjk = len(re.findall(f"[{CJK}\uff10-\uff5a]", sentence))  # full-width digits too
    if cjk and (
        cjk > len(sentence.replace(" ", "")) / 2 or sentence.rstrip("」』”’）)")[-1:] in "。！？"
    ):
        # Chinese, Japanese, Korean: no spaces to count words by
        return (
            _CJK_MIN_WORDS <= word_count(sentence) <= _MAX_WORDS
            and bool(_CJK_TERMINAL.search(sentence))
            and not _LEFTOVER.search(sentence)
            and not _CJK_LEFTOVER.search(sentence)
        )
    words = sentence.split()
    if not 6 <= len(words) <= _MAX_WORDS:
        return False
    if not _TERMINAL.search(sentence) or _TRUNCATED.search(sentence):
        return False
    if _LEFTOVER.search(sentence):
        return False
    if (_CAPTION.search(sentence) and not _REPORTED.search(sentence)) or _CREDIT.search(sentence):
        return False
    alpha = _WORD.findall(sentence)
    lower = [w for w in alpha if w[0].islower()]
    if len(lower) < 3 or len(lower) < 0.25 * len(alpha):
        return False
    if len(words) > _LONG and sum(w.lower() in _FUNCTION for w in alpha) < 0.1 * len(words):
        return False  # a long run of words with next to no grammar: glued menus or tags
    return any(w.lower() in _FUNCTION or w.endswith(("s", "ed")) for w in lower)


def english(sentence: str) -> bool:
    """Whether `sentence` reads as English rather than another European language: more
    English small words than others ("la", "der", "het"), or none of either."""
    small = [w.lower() for w in _WORD.findall(sentence)]
    ours = sum(w in _ENGLISH for w in small)
    theirs = sum(w in _FUNCTION and w not in _ENGLISH for w in small)
    return ours > theirs or ours == theirs == 0


def story_sentences(text: str) -> list[tuple[int, int, str]]:
    """(paragraph index, sentence index in the story, sentence) for every sentence of `text`
    (see `_own_paragraphs` for what is left out)."""
    result: list[tuple[int, int, str]] = []
    for p_index, paragraph in _own_paragraphs(text):
        for sentence in split_sentences(paragraph):
            result.append((p_index, len(result), sentence))
    return result


def _own_paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """(index, paragraph) of the story's own paragraphs: what follows a heading for other
    articles ("More stories", "Upcoming Events") in its block is theirs, and so is the heading."""
    p_index = 0
    for block in re.split(r"\n\s*\n", text):
        elsewhere = False
        for paragraph in paragraphs(block):
            p_index += 1
            elsewhere = elsewhere or bool(_ELSEWHERE.fullmatch(paragraph.rstrip(" :")))
            if not elsewhere:
                yield p_index - 1, paragraph
