"""Every word list the summarizer reads, once, each with where it came from.

Only lists that move a measure (bench/rules_quality.py, bench/summary_quality.py) stay here;
no logic. Lists are lower-case frozensets; `words` builds them from one string.
"""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """A word list written as one string."""
    return frozenset(text.split())


# The news agencies' short forms of English month names, "Sept." included.
MONTH_ABBREVIATIONS = words("jan feb mar apr jun jul aug sep sept oct nov dec")

# English stop words: hand-written with the first summarizer (commit 6998110), a short
# function-word list plus the reporting verbs ("said", "according") that every story repeats.
STOP_WORDS = words(
    """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his
    how i if in into is it its itself just me more most my myself no nor not now of off
    on once only or other our ours ourselves out over own same she should so some such
    than that the their theirs them themselves then there these they this those through
    to too under until up very was we were what when where which while who whom why will
    with would you your yours yourself yourselves s t said says say told according would
    could may might must shall one two also mr mrs ms us its it's that's there's who's
    """
)

# Titles before a name ("Gov. Newsom", "Dr. He Jiankui", "e.g."): their period ends no sentence.
# Hand-written with the first splitter (commit 6998110); without it the splitter's errors on
# ECB+ rise from 49 to 111.
TITLES = words(
    """
    mr mrs ms dr prof gov sen rep gen col lt sgt capt cmdr adm maj rev hon pres supt det
    insp amb messrs mt vs e.g i.e
    """
)
# Short forms that end a name ("Ford Motor Co.", "King Jr.", "St. Louis"): a sentence ends there
# only before a common opener. Commit 3d9283e; without it ECB+ errors rise from 49 to 52.
NAME_SUFFIXES = words("inc ltd corp co bros llc plc al jr sr st ft dept univ ave blvd rd")
# Short forms before a number ("No. 10", "Jan. 5", "Fig. 3"). Commit 3d9283e; without them
# ECB+ errors rise from 49 to 94.
NUMBERED = words("no nos fig est approx") | MONTH_ABBREVIATIONS
# Words that open a sentence after "U.S.", "Co." or an initial: the commonest English sentence
# openers, hand-written with the first splitter (commit 6998110).
STARTERS = words(
    """
    the a an he she it they we i you his her its their our this that these those there
    but and however yet so meanwhile in on at for after before while when if as by with
    some many most one two three officials police shares analysts investors
    """
)

# Bounds on a figure: "more than 200" agrees with 249, "under 5%" with 4.2%. Commit c46ef8b;
# without them the figure pairs gain a false flag.
UPPER_BOUNDS = ("more than", "over", "at least")
LOWER_BOUNDS = ("less than", "under", "up to")
APPROXIMATE = ("around", "about", "nearly", "roughly", "almost", "approximately", "some")
QUALIFIERS = UPPER_BOUNDS + LOWER_BOUNDS + APPROXIMATE

# Things a bare number counts ("24 people", "250,000 jobs", "25 basis points"), from the nouns
# that news counts (commit be703bb): the noun is the figure's unit.
COUNTED_NOUNS = words(
    """
    people persons deaths dead fatalities victims casualties injured injuries wounded jobs
    workers employees votes seats delegates migrants refugees troops soldiers civilians
    children passengers students patients hostages prisoners arrests cases homes houses
    buildings barrels vehicles cars units residents members customers users subscribers
    flights points
    """
)
# Which way a change went, for the support check ("rose 5%" is not "fell 5%", "more" is not
# "fewer"). Commit ad034b9; the comparatives and -ing forms were support.py's own list until
# one reader read both (same verdicts on bench/grounding.py). Not "up" or "down": "shut down"
# and "set up" are no changes (with them 3 more NeuS sentences as written are refused).
RISE_VERBS = words(
    """
    rose rise rises risen climbed climbs grew grow grows increased increases jumped jumps
    gained gains surged soared raised raises raise hiked higher
    more increase increasing boost boosted expand expanded expanding gain growing raising rising
    """
)
FALL_VERBS = words(
    """
    fell fall falls fallen dropped drops declined declines decreased slipped slid plunged
    tumbled sank cut cuts lowered lost shrank lower
    fewer less lowering decrease decreases decreasing reduce reduced reducing lose losing shrink
    shrinking shrinks falling declining
    """
)
