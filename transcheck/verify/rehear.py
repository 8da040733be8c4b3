"""A second hearing: transcribe a garbled passage's window again, on its own, and look for edits in it.

Transcribing a long recording, Whisper sometimes skips or garbles a passage ("Robbie" for a whole
sentence). The audio check then rightly finds that the printed words fit the audio better than
what was heard and calls the difference a recognition error, but an edit inside the printed
passage (a changed date, a dropped "not") would hide behind that verdict. Heard again on its own,
the window is usually transcribed faithfully; whatever still differs from the printed words gets
its own audio check, and the passage takes the strongest verdict found inside it.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Sequence

from ..align import align_tokens
from ..classify import classify
from ..models import Discrepancy, OfficialText, Token, Word
from ..normalize import normalize_recording
from .plans import AFTER, BEFORE, plan_for
from .verdicts import Scene, judge

MIN_WORDS = 4  # printed words in a passage worth hearing again; shorter ones are single mishearings
STRENGTH = {"recognition-error": 0, "uncertain": 1, "confirmed": 2}


def worth_rehearing(d: Discrepancy, verdict: str, evidence: dict) -> bool:
    """A passage of printed words that the audio supports better than what the recogniser heard."""
    return (verdict == "recognition-error" and evidence.get("basis") == "score margin"
            and "window" in evidence and len(d.off_text.split()) >= MIN_WORDS)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a[0] == a[1]:  # an empty range (nothing printed or heard) touches b at its position
        return b[0] <= a[0] <= b[1]
    return a[0] < b[1] and b[0] < a[1]


def hear_again(scene: Scene, start: float, end: float) -> list[Token]:
    """The window [start, end) transcribed on its own, as normalised tokens on the recording's clock."""
    audio = scene.audio
    rate = audio.sample_rate
    piece = replace(audio, samples=audio.samples[int(start * rate): int(math.ceil(end * rate))])
    heard = scene.engine.transcribe(piece)
    words = tuple(Word(w.text, round(w.start + start, 3), round(w.end + start, 3), w.probability)
                  for w in heard.words)
    return normalize_recording(replace(heard, words=words, duration=audio.duration))


def rehear(d: Discrepancy, verdict: str, evidence: dict, off: Sequence[Token], official: OfficialText,
           scene: Scene) -> tuple[str, dict]:
    """The passage's verdict after a second hearing, with what was heard and what differs in it."""
    start, end = evidence["window"]
    again = hear_again(scene, start, end)
    o0, o1 = d.off_tokens
    lo, hi = max(0, o0 - BEFORE), min(len(off), o1 + AFTER)
    printed = off[lo:hi]
    inside = [s for s in classify(again, printed, align_tokens(again, printed), official)
              if s.severity == "substantive" and _overlaps(s.off_tokens, (o0 - lo, o1 - lo))]
    record = {"heard": " ".join(t.text for t in again), "differences": []}
    if not inside:
        return verdict, {**evidence, "second_hearing": record}
    found = judge([plan_for(s, again, printed) for s in inside], again, printed, scene)
    for s in inside:
        v, ev = found[s.id]
        record["differences"].append({"heard": s.rec_text, "printed": s.off_text, "kind": s.kind, "verdict": v,
                                      "margin": ev.get("margin"), "basis": ev.get("basis")})
    strongest = max((row["verdict"] for row in record["differences"]), key=STRENGTH.__getitem__)
    if strongest == "recognition-error":
        return verdict, {**evidence, "second_hearing": record}
    return strongest, {**evidence, "basis": "second hearing", "second_hearing": record}
