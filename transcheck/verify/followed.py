"""Does the recogniser follow this recording at all?

Where it cannot follow most of the passages it was asked to check (radio, a noisy hall, a language
it does not know), its hearing is no evidence anywhere in the recording, even where its own scores
look sure: on the Apollo 11 radio, tiny.en "clearly" heard "we're going to" where "whatever you
can" was said, and a looping "I was there I was there". Every verdict there is set aside as the
recogniser's, except what voice-activity detection found, which does not rest on it. The
accuracy benchmark calls a recording "followed" by the same test.

Passages are scored the most doubtful first (`doubt`), a share at a time (`still_needed`): once
half of all of them are lost, the recording is not followed whatever the rest would score, and
the rest are not scored at all (their verdict is the same; only the time is saved).
"""

from __future__ import annotations

import math
from typing import Mapping, Optional

from ..models import NOT_FOLLOWED, Discrepancy

NOT_FOLLOWED_SHARE = 0.5  # this share of the checked passages or more, judged not followed...
MIN_CHECKED = 5  # ...out of at least this many


def lost(verdicts: Mapping[str, tuple[str, dict]]) -> int:
    """Passages whose window the recogniser does not follow."""
    return sum(evidence.get("basis") == NOT_FOLLOWED for _, evidence in verdicts.values())


def recording_followed(verdicts: Mapping[str, tuple[str, dict]], passages: Optional[int] = None) -> bool:
    """From the first verdicts of a recording's passages (of `passages` in all, where only some were
    scored): does the recogniser follow it?"""
    passages = len(verdicts) if passages is None else passages
    return passages < MIN_CHECKED or lost(verdicts) < NOT_FOLLOWED_SHARE * passages


def still_needed(verdicts: Mapping[str, tuple[str, dict]], passages: int) -> int:
    """How many more passages must be scored before the recording could be known not followed
    (0: it is known already)."""
    return max(0, math.ceil(NOT_FOLLOWED_SHARE * passages) - lost(verdicts))


def doubt(d: Discrepancy) -> float:
    """The order passages are scored in: the least sure hearing first (those most likely lost)."""
    p = d.evidence.get("mean_probability")
    return 1.0 if p is None else p
