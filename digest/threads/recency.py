"""How time and what stories say damp similarity: between two new stories of one ingest
(digest.threads.clustering) and between new stories and a stored thread (digest.threads.linking).

Pure functions of a publication gap and of how much the stories compared say.
"""

from __future__ import annotations

import math

#: The pull of a thread fades with the publication gap (not clock time): what it adds to its
#: floor falls by e every TIME_SCALE_DAYS (about five hours: outlets cover a happening within
#: hours of each other, and one subject written up hours later is often a new event). Past
#: TIME_FLOOR nothing fades, so a story sharing most of a thread's words continues it anywhere
#: within the horizon (threads.horizon_days).
#: A thread an earlier edition carried is continued on less: for CONTINUE_DAYS after its last
#: story (a news day and the next), a report with a lead paragraph meets a floor of up to
#: RICH_FLOOR, as full reports a day apart that share two fifths of their words are one story
#: developing. Within one edition the floor stays TIME_FLOOR: merging two events there would
#: hide one, while a joined follow-up is still summarized by what is new.
TIME_SCALE_DAYS = 0.2
TIME_FLOOR = 0.3
RICH_FLOOR = 0.5
CONTINUE_DAYS = 1.5
#: Within one ingest: outlets cover a happening within hours of each other, and a story
#: hours later on the same subject is often another event. A pair's score keeps all of its
#: similarity at no gap, half of what it has above PAIR_FLOOR at PAIR_SCALE_HOURS, and
#: PAIR_FLOOR however far apart: slow rewrites of one event still meet on their words.
PAIR_SCALE_HOURS = 4.0
PAIR_FLOOR = 0.5
#: Terms in a story's vector at which it says nothing beyond a headline (0 evidence), and as
#: much as a lead paragraph (1): headlines have 4-10, leads 40-48.
HEADLINE_TERMS = 12
LEAD_TERMS = 36


def damping(gap_days: float, evidence: float, stored: float | None = None) -> float:
    """The most a similarity can count across `gap_days`: 1 at no gap, down to a floor.

    `evidence` is what the new story (or piece) says; `stored` what the thread's fullest story
    says when an earlier edition carried the thread, None for a thread of this edition.
    """
    floor = TIME_FLOOR
    if stored is not None:
        floor += (RICH_FLOOR - TIME_FLOOR) * min(evidence, stored) * _continues(gap_days)
    return floor + (1 - floor) * fade(gap_days)


def pair_damping(gap_hours: float) -> float:
    """What the similarity of two new stories `gap_hours` apart counts: 1 down to PAIR_FLOOR."""
    return PAIR_FLOOR + (1 - PAIR_FLOOR) / (1 + (gap_hours / PAIR_SCALE_HOURS) ** 2)


def fade(gap_days: float) -> float:
    """What is left of a thread's pull above its floor: 1 at no gap, 1/e every TIME_SCALE_DAYS."""
    return math.exp(-gap_days / TIME_SCALE_DAYS)


def evidence(terms: int) -> float:
    """0 for a headline's handful of terms, 1 for a lead paragraph's: how much a story says."""
    return min(1.0, max(0.0, (terms - HEADLINE_TERMS) / (LEAD_TERMS - HEADLINE_TERMS)))


def _continues(gap_days: float) -> float:
    """1 while a report may still continue a stored thread on less in common, falling to 0
    from CONTINUE_DAYS to twice that."""
    return min(1.0, max(0.0, 2 - gap_days / CONTINUE_DAYS))
