"""Fit a supervised sentence scorer on NeuS and judge it on AllSides (an experiment, issue #5).

Generic features only (position, centrality, overlap with the other sources and the titles,
length, numbers, quotes; no vocabulary). NeuS events that are also AllSides clusters are left out
of training. Models: ridge regression on each sentence's own ROUGE-1/2 F1, logistic regression on
greedy-oracle membership (both numpy), and an article-choice model (which story's lead does the
reference follow?). Each learned score replaces `extractive.salience` inside the real MMR
selection. Prints the overlap count, the weights, NeuS 5-fold CV and AllSides ROUGE-1/2 beside the
hand-made salience (count-based ROUGE with rouge-score's tokenizer and stemmer). Usage:
    .venv/bin/python bench/train_summary_scorer.py
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
from rouge_score import rouge_scorer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from summary_quality import DATA, allsides_events, neus_events

from digest.models import Thread
from digest.summary import extractive as ex
from digest.text import terms as t

BUDGET = 100
FOLDS = 5
FEATURES = (
    "lead", "second", "inv_position", "relative_position", "centroid", "others", "titles",
    "own_title", "article_centrality", "article_top", "lead_of_top", "words", "number", "date",
    "quote", "first_person", "dangling", "hand_salience",
)  # fmt: skip
_DATE = re.compile(
    r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|January|"
    r"February|March|April|May|June|July|August|September|October|November|December)\b"
)
_FIRST_PERSON = re.compile(r"\b(I|we|We|my|our|Our|My|I'm|I’m)\b|[!?]")
_TOKENIZER = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)._tokenizer
Grams = tuple[Counter[str], Counter[tuple[str, str]]]
Matrix = np.ndarray


def _sum(vectors: Sequence[t.Vector]) -> t.Vector:
    total: dict[str, float] = {}
    for vec in vectors:
        for term, value in vec.items():
            total[term] = total.get(term, 0.0) + value
    norm = sum(v * v for v in total.values()) ** 0.5
    return {k: v / norm for k, v in total.items()} if norm else {}


def article_centrality(
    pool: Sequence[ex.Candidate],
) -> tuple[dict[str, t.Vector], dict[str, float]]:
    """Each story's vector and its mean cosine to the other stories' vectors."""
    by_story: dict[str, list[t.Vector]] = {}
    for c in pool:
        by_story.setdefault(c.story.id, []).append(c.vec)
    vectors = {sid: _sum(vecs) for sid, vecs in by_story.items()}
    centrality = {}
    for sid, vec in vectors.items():
        others = [t.cosine(vec, o) for oid, o in vectors.items() if oid != sid]
        centrality[sid] = sum(others) / len(others) if others else 1.0
    return vectors, centrality


def features(pool: Sequence[ex.Candidate], centre: t.Vector) -> list[list[float]]:
    """One row of `FEATURES` per candidate (vectors already weighed)."""
    vectors, centrality = article_centrality(pool)
    top = max(centrality, key=lambda sid: (centrality[sid], sid), default="")
    last: dict[str, int] = {}
    for c in pool:
        last[c.story.id] = max(last.get(c.story.id, 0), c.index, 1)
    title_vecs = {c.story.id: t.vector(t.terms(c.story.title), {}) for c in pool}
    titles = _sum(list(title_vecs.values()))
    others = {sid: _sum([v for o, v in vectors.items() if o != sid]) for sid in vectors}
    rows = []
    for c in pool:
        sid, inv = c.story.id, 1.0 / (1.0 + c.index)
        is_top = float(sid == top and len(vectors) > 1)
        flags = [bool(re.search(r"\d", c.text)), bool(_DATE.search(c.text))]
        flags += [bool(re.search('["“”]', c.text)), bool(_FIRST_PERSON.search(c.text))]
        rows.append(
            [
                *(float(c.index == 0), float(c.index == 1), inv, c.index / last[sid]),
                *(t.cosine(c.vec, centre), t.cosine(c.vec, others[sid]), t.cosine(c.bag, titles)),
                *(t.cosine(c.bag, title_vecs[sid]), centrality[sid], is_top, is_top * inv),
                *(min(c.words, 60) / 30.0, *map(float, flags), float(c.dangling)),
                ex.salience(c, centre),
            ]
        )
    return rows


def grams(tokens: Sequence[str]) -> Grams:
    return Counter(tokens), Counter(itertools.pairwise(tokens))


def _f1(
    pred: Counter[str] | Counter[tuple[str, str]], ref: Counter[str] | Counter[tuple[str, str]]
) -> float:
    hit = sum((pred & ref).values())  # type: ignore[operator]
    if not hit:
        return 0.0
    p, r = hit / sum(pred.values()), hit / sum(ref.values())
    return 2 * p * r / (p + r)


def rouge12(tokens: Sequence[str], ref: Grams) -> tuple[float, float]:
    one, two = grams(tokens)
    return _f1(one, ref[0]), _f1(two, ref[1])


@dataclass
class Event:
    """One thread ready for scoring: candidates, features, labels, greedy-oracle membership."""

    pool: list[ex.Candidate]
    centre: t.Vector
    rows: Matrix
    labels: Matrix
    oracle: Matrix
    reference: Grams
    tokens: list[list[str]]

    def rouge(self, chosen: Sequence[int]) -> tuple[float, float]:
        return rouge12([tok for i in chosen for tok in self.tokens[i]], self.reference)


def prepare(thread: Thread, reference: str) -> Event:
    """Candidates, vectors and centre exactly as `ExtractiveSummarizer` builds them."""
    pool = ex.weigh(ex.candidates(thread.stories), [])
    centre = ex.centroid(pool, [s.title for s in thread.stories])
    ref = grams(_TOKENIZER.tokenize(reference))
    tokens = [_TOKENIZER.tokenize(c.text) for c in pool]
    labels = np.array([sum(rouge12(tok, ref)) / 2 for tok in tokens])
    rows = np.array(features(pool, centre)).reshape(len(pool), len(FEATURES))
    event = Event(pool, centre, rows, labels, np.zeros(len(pool)), ref, tokens)
    event.oracle[_greedy_oracle(event)] = 1.0
    return event


def _greedy_oracle(e: Event) -> list[int]:
    chosen: list[int] = []
    used, best = 0, 0.0
    while True:
        pick = None
        for i, c in enumerate(e.pool):
            if i not in chosen and used + c.words <= BUDGET:
                value = sum(e.rouge([*chosen, i]))
                if value > best:
                    pick, best = i, value
        if pick is None:
            return chosen
        chosen.append(pick)
        used += e.pool[pick].words


def normalized(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", text.lower().replace("’", "'")).split())


def overlapping_neus_ids() -> set[str]:
    """NeuS events sharing a document title or lead, the headline or the reference's opening
    with an AllSides cluster (normalized text)."""
    keys: set[str] = set()
    for line in (DATA / "allsides" / "articles.jsonl").open(encoding="utf-8"):
        a = json.loads(line)
        keys |= {normalized(a["title"]), normalized(a["text"])[:100]}
    for line in (DATA / "allsides" / "clusters.jsonl").open(encoding="utf-8"):
        c = json.loads(line)
        keys |= {normalized(c["headline"]), normalized(c["summary"])[:100]}
    found = set()
    for line in (DATA / "neus" / "val.jsonl").open(encoding="utf-8"):
        e = json.loads(line)
        mine = {normalized(e["reference_title"]), normalized(e["reference_summary"])[:100]}
        for d in e["documents"]:
            mine |= {normalized(d["title"]), normalized(d["text"])[:100]}
        if mine & keys:
            found.add(e["id"])
    return found


Model = tuple[Matrix, float]
Trainer = Callable[[Sequence[Event]], Model]


def _standardized(events: Sequence[Event]) -> tuple[Matrix, Matrix, Matrix]:
    x = np.vstack([e.rows for e in events])
    return x, x.mean(axis=0), x.std(axis=0) + 1e-9


def fit_ridge(events: Sequence[Event], ridge: float = 1.0) -> Model:
    """Ridge regression of each sentence's own ROUGE on the features, in raw feature units."""
    x, mean, std = _standardized(events)
    y = np.concatenate([e.labels for e in events])
    z = (x - mean) / std
    w = np.linalg.solve(z.T @ z + ridge * np.eye(z.shape[1]), z.T @ (y - y.mean())) / std
    return w, float(y.mean() - w @ mean)


def fit_logistic(events: Sequence[Event], l2: float = 1e-3, steps: int = 500) -> Model:
    """Logistic regression of greedy-oracle membership (gradient descent), raw feature units."""
    x, mean, std = _standardized(events)
    y = np.concatenate([e.oracle for e in events])
    z = np.column_stack([(x - mean) / std, np.ones(len(x))])
    w = np.zeros(z.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ w)))
        w -= 1.0 * (z.T @ (p - y) / len(y) + l2 * w)
    weights = w[:-1] / std
    return weights, float(w[-1] - weights @ mean)


def summarize(e: Event, model: Model | None) -> list[int]:
    """Indexes of the sentences MMR chooses with `model`'s score (rescaled to the hand-made
    salience's range) standing in for `extractive.salience`; None: the hand-made one."""
    original = ex.salience
    if model is not None:
        raw = e.rows @ model[0] + model[1]
        top = e.rows[:, FEATURES.index("hand_salience")].max()
        scaled = top * (raw - raw.min()) / (np.ptp(raw) + 1e-9)
        by_id = {id(c): float(s) for c, s in zip(e.pool, scaled, strict=True)}
        ex.salience = lambda c, centre: by_id[id(c)]
    try:
        chosen = ex.select(e.pool, e.centre, BUDGET)
    finally:
        ex.salience = original
    position = {id(c): i for i, c in enumerate(e.pool)}
    return [position[id(c)] for c in chosen]


def evaluate(events: Sequence[Event], pick: Callable[[Event], list[int]]) -> Matrix:
    return 100 * np.asarray(np.mean([e.rouge(pick(e)) for e in events], axis=0), dtype=float)


def cross_validate(events: Sequence[Event], train: Trainer) -> Matrix:
    total = np.zeros(2)
    for k in range(FOLDS):
        model = train([e for i, e in enumerate(events) if i % FOLDS != k])
        test = [e for i, e in enumerate(events) if i % FOLDS == k]
        total += evaluate(test, partial(summarize, model=model)) * len(test)
    return total / len(events)


def story_lead(e: Event, sid: str) -> list[int]:
    """The story's candidates in article order while they fit the budget."""
    chosen, used = [], 0
    for i, c in enumerate(e.pool):
        if c.story.id == sid and used + c.words <= BUDGET:
            chosen.append(i)
            used += c.words
    return chosen


def article_rows(e: Event) -> tuple[list[str], Matrix, Matrix]:
    """Per story: (centrality, lead-to-centre, lead-to-others, title fit, log length) and the
    ROUGE-1/2 mean of its lead."""
    vectors, centrality = article_centrality(e.pool)
    sids = list(vectors)
    rows, labels = [], []
    for sid in sids:
        lead = story_lead(e, sid)
        vec = _sum([e.pool[i].vec for i in lead])
        others = _sum([v for o, v in vectors.items() if o != sid])
        title_fit = e.rows[lead[0], FEATURES.index("titles")] if lead else 0.0
        size = sum(c.story.id == sid for c in e.pool)
        rows.append([centrality[sid], t.cosine(vec, e.centre), t.cosine(vec, others), title_fit])
        rows[-1].append(float(np.log(size)))
        labels.append(sum(e.rouge(lead)) / 2)
    return sids, np.array(rows), np.array(labels)


def fit_article_choice(events: Sequence[Event]) -> Matrix:
    """Ridge on within-thread-centred article features and lead ROUGE."""
    data = [article_rows(e) for e in events]
    x = np.vstack([rows - rows.mean(axis=0) for _, rows, _ in data])
    y = np.concatenate([labels - labels.mean() for *_, labels in data])
    std = x.std(axis=0) + 1e-9
    z = x / std
    return np.asarray(np.linalg.solve(z.T @ z + np.eye(z.shape[1]), z.T @ y) / std)


def choose_article(e: Event, weights: Matrix) -> list[int]:
    sids, rows, _ = article_rows(e)
    return story_lead(e, sids[int(np.argmax(rows @ weights))])


def best_article(e: Event) -> list[int]:
    return max((story_lead(e, sid) for sid in article_rows(e)[0]), key=lambda c: e.rouge(c)[0])


def report(name: str, neus_cv: Matrix, allsides: Matrix) -> None:
    print(f"{name:34} NeuS R1 {neus_cv[0]:4.1f} R2 {neus_cv[1]:4.1f}", end="")
    print(f"   AllSides R1 {allsides[0]:4.1f} R2 {allsides[1]:4.1f}")


def load(events: Iterator[tuple[Thread, str]], skip: set[str]) -> list[Event]:
    return [prepare(thread, ref) for thread, ref in events if thread.id not in skip]


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    if not (DATA / "neus").is_dir() or not (DATA / "allsides").is_dir():
        sys.exit(f"no training data at {DATA} (it is not part of the project)")
    overlap = overlapping_neus_ids()
    neus = load(neus_events(), overlap)
    allsides = load(allsides_events(), set())
    print(f"NeuS events overlapping AllSides (left out): {len(overlap)}; training on {len(neus)}")
    trainers: dict[str, Trainer] = {
        "ridge on own ROUGE": fit_ridge,
        "logistic on oracle": fit_logistic,
    }
    for name, train in trainers.items():
        weights, bias = train(neus)
        print(
            f"{name}: bias {bias:+.4f}  "
            + "  ".join(f"{f} {w:+.3f}" for f, w in zip(FEATURES, weights, strict=True))
        )
    hand = evaluate(neus, lambda e: summarize(e, None))
    report(
        "hand-made salience (no training)", hand, evaluate(allsides, lambda e: summarize(e, None))
    )
    for name, train in trainers.items():
        model = train(neus)
        report(
            f"{name} (NeuS CV)",
            cross_validate(neus, train),
            evaluate(allsides, partial(summarize, model=model)),
        )
    article = fit_article_choice(neus)
    print("article choice weights: " + " ".join(f"{w:+.3f}" for w in article))
    cv = np.zeros(2)
    for k in range(FOLDS):
        w = fit_article_choice([e for i, e in enumerate(neus) if i % FOLDS != k])
        test = [e for i, e in enumerate(neus) if i % FOLDS == k]
        cv += evaluate(test, partial(choose_article, weights=w)) * len(test)
    report(
        "article choice, its lead (NeuS CV)",
        cv / len(neus),
        evaluate(allsides, lambda e: choose_article(e, article)),
    )
    report(
        "best article's lead (ceiling)",
        evaluate(neus, best_article),
        evaluate(allsides, best_article),
    )
    report(
        "greedy oracle (ceiling)",
        evaluate(neus, lambda e: list(np.flatnonzero(e.oracle))),
        evaluate(allsides, lambda e: list(np.flatnonzero(e.oracle))),
    )


if __name__ == "__main__":
    main()
