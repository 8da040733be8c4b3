"""A second hearing: transcribe a garbled passage's window again, on its own, and look for edits in it.

Transcribing a long recording, Whisper sometimes skips or garbles a passage ("Robbie" for a whole
sentence). The audio check then rightly finds that the printed words fit the audio better than
what was heard and calls the difference a recognition error, but an edit inside the printed
passage (a changed date, a dropped "not") would hide behind that verdict. Heard again on its own,
the window is usually transcribed faithfully; whatever still differs from the printed words gets
its own audio check and, unless that check puts it down to the recogniser, becomes a candidate of
its own. The passage itself stays a recognition error: a second hearing can never turn printed
words that fit the audio better into a confirmed edit.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Sequence

from ..align import align_tokens
from ..classify import classify
from ..models import RECOGNITION_ERROR, REWORDING, SUBSTANTIVE, Discrepancy, OfficialText, Token, Word
from ..normalize import normalize_recording
from .plans import AFTER, BEFORE, plan_for
from .rules import Facts, rule_for
from .verdicts import Scene, basis, differing_words, judge

MIN_WORDS = 4  # printed words in a passage worth hearing again; shorter ones are single mishearings


def worth_rehearing(d: Discrepancy, verdict: str, evidence: dict) -> bool:
    """A passage of printed words that the audio supports better than what the recogniser heard: an
    edit inside it would hide behind that verdict. (A passage that only sounds like what was heard,
    no number or negation changed, is not heard again: an edit inside it would not sound alike, and
    heard again, a garbled name is garbled differently and opens a false candidate.)"""
    return (verdict == RECOGNITION_ERROR and evidence.get("basis") == "score margin"
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


def _inside(d: Discrepancy, evidence: dict, off: Sequence[Token], official: OfficialText, scene: Scene):
    """The passage's window heard again, the printed words around it, and the substantive
    differences between the two that lie inside the passage."""
    start, end = evidence["window"]
    again = hear_again(scene, start, end)
    o0, o1 = d.off_tokens
    lo, hi = max(0, o0 - BEFORE), min(len(off), o1 + AFTER)
    printed = off[lo:hi]
    inside = [s for s in classify(again, printed, align_tokens(again, printed), official)
              if s.severity == SUBSTANTIVE and _overlaps(s.off_tokens, (o0 - lo, o1 - lo))]
    return again, printed, lo, inside


def rehear(d: Discrepancy, evidence: dict, off: Sequence[Token], official: OfficialText,
           scene: Scene) -> tuple[dict, list[Discrepancy]]:
    """A second hearing of a passage: what was heard, and each difference still found in it that the
    audio check does not put down to the recogniser, as a candidate of its own.

    The passage keeps its verdict: its printed words fit the audio better than what was first heard,
    and nothing heard later can turn that into an edit. Only a difference inside it can be one.
    """
    again, printed, lo, inside = _inside(d, evidence, off, official, scene)
    record: dict = {"heard": " ".join(t.text for t in again), "differences": []}
    if not again:  # heard nothing at all the second time: no words to place a difference against
        return {**evidence, "second_hearing": record}, []
    found = judge([plan_for(s, again, printed) for s in inside], again, printed,
                  replace(scene, differing=differing_words(inside))) if inside else {}
    opened: list[Discrepancy] = []
    for s in inside:
        v, ev = found[s.id]
        record["differences"].append({"heard": s.rec_text, "printed": s.off_text, "kind": s.kind, "verdict": v,
                                      "margin": ev.get("margin"), "basis": ev.get("basis")})
        if v != RECOGNITION_ERROR:
            new_id = f"{d.id}.{len(opened) + 1}"
            record["differences"][-1]["opened"] = new_id
            opened.append(replace(s, id=new_id, rec_tokens=d.rec_tokens, speaker=d.speaker,
                                  off_tokens=(s.off_tokens[0] + lo, s.off_tokens[1] + lo), verdict=v,
                                  evidence={**s.evidence, "verification": {**ev, "opened_by": d.id}}))
    return {**evidence, "second_hearing": record}, opened


def worth_checking_again(d: Discrepancy, verdict: str, evidence: dict) -> bool:
    """An alarm on a rewording of a passage, decided on the scores: heard again, does it still differ?"""
    return (verdict != RECOGNITION_ERROR and d.kind == REWORDING and "window" in evidence
            and evidence.get("basis") in ("score margin", "sounds like the printed name")
            and len(d.off_text.split()) >= MIN_WORDS)


def check_again(d: Discrepancy, evidence: dict, facts: Facts, off: Sequence[Token], official: OfficialText,
                scene: Scene) -> tuple[str, dict]:
    """The alarm's verdict after a second hearing: a recognition error if the window, heard on its own,
    has no substantive difference from the printed words; otherwise unchanged."""
    again, _, _, inside = _inside(d, evidence, off, official, scene)
    record = {"heard": " ".join(t.text for t in again),
              "differences": [{"heard": s.rec_text, "printed": s.off_text, "kind": s.kind} for s in inside]}
    rule = rule_for(replace(facts, heard_again_as_printed=not inside))
    return rule.verdict, {**evidence, **basis(rule, d), "second_hearing": record}
