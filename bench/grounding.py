"""How well the support check (`digest.summary.support`) tells a grounded sentence from a
corrupted one, on the NeuS validation split (editors' neutral summaries of 3 articles each).

Positives: every sentence of a reference summary as written, checked against the event's 3 source
documents (title and lead): the share accepted is reported. Negatives: the same sentence with one
number changed, one named entity swapped for another of the same kind (a person's surname, a place,
an organisation, drawn from the whole split), or one change turned the other way ("rose" ->
"fell"): the share rejected is reported, over all negatives and over those whose sentence as
written was accepted (where the check has to notice the one change). Both thresholds are scored:
`lenient` (plug-ins, which cite whole stories) and `strict` (the language model). Usage:
    .venv/bin/python bench/grounding.py [--limit N] [--show N]
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from digest.summary.support import unsupported
from digest.text.sentences import split_sentences


def listed(names: str) -> list[str]:
    return names.split("|")


DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "neus" / "val.jsonl"
PLACES = listed(
    "United States|America|China|Russia|Ukraine|Iran|Iraq|Israel|Syria|Afghanistan|Mexico|"
    "Canada|Germany|France|Britain|Japan|India|Pakistan|Taiwan|Cuba|Venezuela|Brazil|"
    "Australia|Italy|Spain|Turkey|Egypt|Saudi Arabia|North Korea|South Korea|Hong Kong|Gaza|"
    "Europe|Asia|Africa|California|Texas|Florida|New York|Georgia|Arizona|Michigan|"
    "Pennsylvania|Ohio|Wisconsin|Nevada|Iowa|Virginia|Minnesota|Illinois|Colorado|Alabama|"
    "Louisiana|Kentucky|Tennessee|Washington|Chicago|Minneapolis|Los Angeles|San Francisco|"
    "Seattle|Portland|Atlanta|Boston|Houston|Philadelphia|Detroit|Miami|Kabul|Beijing|Moscow|"
    "London|Paris|Jerusalem|Tehran"
)
ORGANISATIONS = listed(
    "Senate|House|Congress|Supreme Court|White House|Pentagon|FBI|CIA|CDC|FDA|WHO|NATO|EU|"
    "United Nations|Justice Department|Department of Justice|Democrats|Republicans|GOP|"
    "Democratic Party|Republican Party|Federal Reserve|Fed|Treasury|Facebook|Twitter|Google|"
    "Amazon|Apple|Microsoft|Pfizer|Moderna|Johnson & Johnson|Boeing|Tesla|CNN|Fox News|"
    "Taliban|Hamas|Border Patrol|ICE|Capitol Police|National Guard|IRS|EPA|Census Bureau"
)
_TITLE = re.compile(
    r"\b(?:President|Sen\.|Senator|Rep\.|Gov\.|Governor|Secretary|Speaker|Justice|Judge|Mayor|"
    r"Leader|Minister|Chancellor|Attorney General|former President|Vice President)\s+"
    r"(?:[A-Z][a-z]+\s+)?([A-Z][a-z]{2,})\b"
)
FLIPS = dict(
    pair.split("/")
    for pair in [
        "rose/fell",
        "rise/fall",
        "rises/falls",
        "risen/fallen",
        "rising/falling",
        "increased/decreased",
        "increase/decrease",
        "increases/decreases",
        "increasing/decreasing",
        "grew/shrank",
        "grow/shrink",
        "growing/shrinking",
        "jumped/dropped",
        "jump/drop",
        "climbed/declined",
        "gained/lost",
        "gains/losses",
        "surged/plunged",
        "soared/plummeted",
        "raised/lowered",
        "raise/lower",
        "raising/lowering",
        "higher/lower",
        "more/fewer",
        "boosted/cut",
        "expanded/reduced",
        "expand/reduce",
    ]
)
FLIPS |= {b: a for a, b in FLIPS.items()}


def events(limit: int | None) -> Iterator[tuple[list[str], list[str]]]:
    """(reference sentences, source documents) per event."""
    with DATA.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if limit is not None and number >= limit:
                return
            e = json.loads(line)
            documents = [f"{d['title']}\n\n{d['text']}" for d in e["documents"]]
            yield split_sentences(" ".join(e["reference_summary"].split())), documents


def people(limit: int | None) -> list[str]:
    """Surnames the references give after a title ("Sen. Bernie Sanders" -> "Sanders")."""
    found: set[str] = set()
    for sentences, _ in events(limit):
        for sentence in sentences:
            found.update(_TITLE.findall(sentence))
    return sorted(found)


def change_number(sentence: str, rng: random.Random) -> str | None:
    numbers = list(re.finditer(r"(?<![\w.,])\d+(?:[.,]\d+)*", sentence))
    if not numbers:
        return None
    match = rng.choice(numbers)
    text = match.group()
    value = float(text.replace(",", ""))
    if 1900 <= value <= 2100 and "." not in text:
        new = str(int(value) + rng.choice((-2, -1, 1, 2)))
    elif "." in text:
        new = f"{value * rng.choice((0.5, 1.5, 2)):.{len(text.split('.')[1])}f}"
    else:
        new = f"{int(value) + max(1, round(value * rng.choice((0.25, 0.5, 1)))):,}"
    return None if new == text else sentence[: match.start()] + new + sentence[match.end() :]


def swap_entity(sentence: str, rng: random.Random, kinds: list[list[str]]) -> str | None:
    options = [
        (m, kind)
        for kind in kinds
        for name in kind
        for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", sentence)
    ]
    if not options:
        return None
    match, kind = rng.choice(options)
    other = rng.choice([name for name in kind if name != match.group()])
    return sentence[: match.start()] + other + sentence[match.end() :]


def flip_direction(sentence: str, rng: random.Random) -> str | None:
    words = list(re.finditer(r"\b[a-z]+\b", sentence))
    options = [m for m in words if m.group() in FLIPS]
    if not options:
        return None
    match = rng.choice(options)
    return sentence[: match.start()] + FLIPS[match.group()] + sentence[match.end() :]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="events to read")
    parser.add_argument("--show", type=int, default=0, help="print N missed negatives per kind")
    args = parser.parse_args()
    if not DATA.exists():
        raise SystemExit(f"{DATA} is not here: the shared NeuS data is needed")
    rng = random.Random(18)
    kinds = [PLACES, ORGANISATIONS, people(args.limit)]
    corrupt: dict[str, Callable[[str], str | None]] = {
        "number": lambda s: change_number(s, rng),
        "entity": lambda s: swap_entity(s, rng, kinds),
        "direction": lambda s: flip_direction(s, rng),
    }
    for mode, strict in (("lenient", False), ("strict", True)):
        score(mode, strict, args.limit, corrupt, args.show)


def score(
    mode: str,
    strict: bool,
    limit: int | None,
    corrupt: dict[str, Callable[[str], str | None]],
    show: int,
) -> None:
    positives = accepted = 0
    tried = {kind: 0 for kind in corrupt}
    rejected = {kind: 0 for kind in corrupt}
    tried_ok = {kind: 0 for kind in corrupt}  # negatives of accepted positives
    rejected_ok = {kind: 0 for kind in corrupt}
    missed: dict[str, list[tuple[str, str]]] = {kind: [] for kind in corrupt}
    for sentences, documents in events(limit):
        for sentence in sentences:
            positives += 1
            ok = not unsupported(sentence, documents, strict)
            accepted += ok
            for kind, make in corrupt.items():
                negative = make(sentence)
                if negative is None:
                    continue
                caught = bool(unsupported(negative, documents, strict))
                tried[kind] += 1
                rejected[kind] += caught
                tried_ok[kind] += ok
                rejected_ok[kind] += ok and caught
                if ok and not caught:
                    missed[kind].append((sentence, negative))
    all_tried, all_rejected = sum(tried.values()), sum(rejected.values())
    ok_tried, ok_rejected = sum(tried_ok.values()), sum(rejected_ok.values())
    print(
        f"{mode:<8} positives {positives} accepted {pct(accepted, positives)}"
        f" | negatives {all_tried} rejected {pct(all_rejected, all_tried)}"
        f" | of accepted positives' negatives ({ok_tried}) rejected {pct(ok_rejected, ok_tried)}"
    )
    for kind in corrupt:
        print(
            f"         {kind:<9} {tried[kind]:>4} rejected {pct(rejected[kind], tried[kind])}"
            f"   of accepted positives' ({tried_ok[kind]:>3})"
            f" {pct(rejected_ok[kind], tried_ok[kind])}"
        )
        for original, negative in missed[kind][:show]:
            print(f"           missed: {original!r}\n               as: {negative!r}")


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "  n/a"


if __name__ == "__main__":
    main()
