"""Does the recogniser follow this recording at all?

Where it cannot follow most of the passages it was asked to check (radio, a noisy hall, a language
it does not know), its hearing is no evidence anywhere in the recording, even where its own scores
look sure: on the Apollo 11 radio, tiny.en "clearly" heard "we're going to" where "whatever you
can" was said, and a looping "I was there I was there". Every verdict there is set aside as the
recogniser's, except what voice-activity detection found, which does not rest on it. The
accuracy benchmark calls a recording "followed" by the same test.
"""

from __future__ import annotations

from typing import Mapping

from ..models import NOT_FOLLOWED

NOT_FOLLOWED_SHARE = 0.5  # this share of the checked passages or more, judged not followed...
MIN_CHECKED = 5  # ...out of at least this many


def recording_followed(verdicts: Mapping[str, tuple[str, dict]]) -> bool:
    """From the first verdicts of a recording's passages: does the recogniser follow it?"""
    lost = sum(evidence.get("basis") == NOT_FOLLOWED for _, evidence in verdicts.values())
    return len(verdicts) < MIN_CHECKED or lost < NOT_FOLLOWED_SHARE * len(verdicts)
