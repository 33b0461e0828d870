"""Content terms of a text and the sparse vectors built from them, for the summarizer.

Lower-cased, stop words dropped, a light suffix stemmer. No model, no corpus.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping

from digest.text.lexicon import STOP_WORDS as STOP_WORDS
from digest.text.lexicon import words as words

Vector = dict[str, float]


#: Scripts written without spaces (Chinese, Japanese, Korean): their runs become character
#: pairs, the usual unit for matching such text without a dictionary.
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
CJK_RUN = re.compile(f"[{CJK}]+")
_LETTER = f"[^\\W_{CJK}]"
_TOKEN = re.compile(f"([{CJK}]+)|{_LETTER}(?:[^\\W{CJK}'’&.-]|['’&.-]+(?={_LETTER}))*")


def cjk_pairs(run: str) -> list[str]:
    """ "日本銀行" -> ["日本", "本銀", "銀行"]; a lone character stands for itself."""
    return [run[i : i + 2] for i in range(max(1, len(run) - 1))]


def has_cjk(text: str) -> bool:
    """Whether `text` holds Chinese, Japanese or Korean characters."""
    return not text.isascii() and CJK_RUN.search(text) is not None


def word_count(text: str) -> int:
    """Words of `text`, counting about two characters of Chinese or Japanese as one word."""
    if text.isascii():
        return len(text.split())
    cjk = sum(len(run) for run in CJK_RUN.findall(text))
    rest = CJK_RUN.sub(" ", text).split()
    return len(rest) + (cjk + 1) // 2


def stem(word: str) -> str:
    """A light suffix stemmer: enough to match "talks"/"talk", "restrictions"/"restriction"."""
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + repl
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def terms(text: str) -> list[str]:
    """The stemmed content words of `text`, in order."""
    result = []
    for match in _TOKEN.finditer(text.lower().replace("’", "'")):
        if match.group(1):
            result += cjk_pairs(match.group(1))
            continue
        word = match.group(0).removesuffix("'s").replace(".", "")
        if word and word not in STOP_WORDS:
            result.append(stem(word))
    return result


def vector(tokens: Iterable[str], weights: Mapping[str, float]) -> Vector:
    """A unit-length tf-weight vector of `tokens`; unknown terms weigh 1."""
    counts = Counter(tokens)
    vec = {t: c * weights.get(t, 1.0) for t, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {t: v / norm for t, v in vec.items()} if norm else {}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Dot product of two unit vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def idf(documents: list[set[str]]) -> dict[str, float]:
    """Smoothed inverse document frequency over `documents` (sets of terms)."""
    df: Counter[str] = Counter()
    for doc in documents:
        df.update(doc)
    n = len(documents)
    return {t: math.log(1 + n / c) for t, c in df.items()}
