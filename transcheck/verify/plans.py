"""Scoring plans: which window of audio each discrepancy is scored in, and the wordings scored there.

A plan holds one discrepancy with a few words of context either side; its request scores the
words as heard and the official words in their place, each as written and in spoken form
(numbers written out), over the same stretch of audio.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ..engines import ScoreRequest
from ..models import Discrepancy, Token

WINDOW = 28.0  # longest stretch scored (Whisper sees 30 s)
BEFORE = 3  # context words before a discrepancy
AFTER = 3  # context words after it
PAD = 0.2  # seconds before the first context word


@dataclass
class Plan:
    disc: Discrepancy
    first: int  # first context token (recording side)
    stop: int  # one past the last context token after the discrepancy
    official_words: str
    official_norm: str
    number: bool = False  # a number on either side: the wordings are compared spoken out only
    start: float = 0.0
    end: float = 0.0
    window: int = -1


def plan_for(d: Discrepancy, rec: Sequence[Token], off: Sequence[Token]) -> Plan:
    r0, r1 = d.rec_tokens
    o0, o1 = d.off_tokens
    first = max(0, r0 - BEFORE)
    stop = min(len(rec), r1 + AFTER)
    words = " ".join(t.text for t in off[o0:o1] if not t.filler)
    norm = " ".join(t.norm for t in off[o0:o1] if not t.filler)
    number = any(ch.isdigit() for t in (*rec[r0:r1], *off[o0:o1]) for ch in t.norm)
    return Plan(d, first, stop, words, norm, number)


def _text(rec: Sequence[Token], a: int, b: int) -> str:
    return " ".join(t.text for t in rec[a:b])


def build_requests(plans: list[Plan], rec: Sequence[Token], duration: float) -> tuple[list[ScoreRequest], list[Plan]]:
    """One window per discrepancy: its words with a few words of context either side."""
    requests: list[ScoreRequest] = []
    too_long: list[Plan] = []
    for plan in plans:
        r0, r1 = plan.disc.rec_tokens
        begin = max(0.0, rec[plan.first].start - PAD)
        if plan.first > 0:
            begin = max(begin, min(rec[plan.first - 1].end, rec[plan.first].start))
        end = min(duration, rec[plan.stop - 1].end + PAD)
        if end - begin > WINDOW:
            too_long.append(plan)
            continue
        before, after = _text(rec, plan.first, r0), _text(rec, r1, plan.stop)
        heard_norm = " ".join(t.norm for t in rec[r0:r1] if not t.filler)
        # each wording as written and in its normalised form ("mak'st" -> "makest"), numbers spelled
        # out the same way on both sides ("3 800" and "four thousand eight hundred")
        # (with a number, the forms as written are not compared: they repeat the spoken ones, so
        # they are scored once)
        heard, official = spoken(heard_norm), spoken(plan.official_norm)
        texts = tuple(" ".join(x for x in (before, middle, after) if x) for middle in (
            heard if plan.number else plan.disc.rec_text, heard, spoken(heard_norm, years=True),
            official if plan.number else plan.official_words, official, spoken(plan.official_norm, years=True)))
        plan.window, plan.start, plan.end = len(requests), begin, max(end, begin + 0.1)
        requests.append(ScoreRequest(plan.start, plan.end, texts))
    return requests, too_long


_NUMBER_RE = re.compile(r"(\$)?(\d+(?:\.\d+)?)(st|nd|rd|th|s)?(%)?")


def spoken(text: str, years: bool = False) -> str:
    """Digits in a normalised wording written out as words: '$5000000' -> 'five million dollars'.

    With `years`, four-digit numbers are read in pairs, as people say years and dates
    ('2250' -> 'twenty-two fifty', '1500' -> 'fifteen hundred').
    """
    from num2words import num2words

    def words(m: re.Match) -> str:
        value = float(m.group(2)) if "." in m.group(2) else int(m.group(2))
        try:
            if m.group(3) in ("st", "nd", "rd", "th"):
                said = num2words(int(value), to="ordinal")
            elif m.group(3) == "s" or (years and isinstance(value, int) and 1100 <= value <= 9999
                                        and value % 1000):
                said = num2words(value, to="year") + ("s" if m.group(3) == "s" else "")
            else:
                said = num2words(value)
        except (OverflowError, ValueError, NotImplementedError):
            return m.group(0)
        said = said.replace(",", "").replace("-", " ")
        return f"{said}{' percent' if m.group(4) else ''}{' dollars' if m.group(1) else ''}"

    return _NUMBER_RE.sub(words, text)
