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
from typing import Optional, Sequence

from ..align import align_tokens
from ..classify import classify
from ..models import (CONFIRMED, NOT_FOLLOWED, NOT_FOLLOWED_RECORDING, RECOGNITION_ERROR, REWORDING, SUBSTANTIVE,
                      UNCERTAIN, Discrepancy, OfficialText, Token, Word)
from ..normalize import normalize_recording
from .parts import check_parts, differing_printed, open_candidates, worth_splitting
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
    found = [s for s in classify(again, printed, align_tokens(again, printed), official) if s.severity == SUBSTANTIVE]
    inside = [s for s in found if _overlaps(s.off_tokens, (o0 - lo, o1 - lo))]
    return again, printed, lo, inside, found


def _heard_again(scene: Scene, found: Sequence[Discrepancy]) -> Scene:
    """The scene for judging what a second hearing found: every heard word that differs from the printed
    ones in it (those either side of the passage too) marks its neighbours as garbled."""
    return replace(scene, differing=differing_words(found), second_hearing=True)


def rehear(d: Discrepancy, evidence: dict, off: Sequence[Token], official: OfficialText,
           scene: Scene) -> tuple[dict, list[Discrepancy]]:
    """A second hearing of a passage: what was heard, and each difference still found in it that the
    audio check does not put down to the recogniser, as a candidate of its own.

    The passage keeps its verdict: its printed words fit the audio better than what was first heard,
    and nothing heard later can turn that into an edit. Only a difference inside it can be one.
    """
    again, printed, lo, inside, differing = _inside(d, evidence, off, official, scene)
    record: dict = {"heard": " ".join(t.text for t in again), "differences": []}
    if not again:  # heard nothing at all the second time: no words to place a difference against
        return {**evidence, "second_hearing": record}, []
    found = judge([plan_for(s, again, printed) for s in inside], again, printed,
                  _heard_again(scene, differing)) if inside else {}
    record["differences"], opened = open_candidates(d, inside, found, (None, lo))
    return {**evidence, "second_hearing": record}, opened


def worth_checking_again(d: Discrepancy, verdict: str, evidence: dict) -> bool:
    """An alarm on a rewording of a passage, decided on the scores: heard again, does it still differ?"""
    return (verdict != RECOGNITION_ERROR and d.kind == REWORDING and "window" in evidence
            and evidence.get("basis") in ("score margin", "sounds like the printed name")
            and len(d.off_text.split()) >= MIN_WORDS)


def check_again(d: Discrepancy, evidence: dict, facts: Facts, rec: Sequence[Token], off: Sequence[Token],
                official: OfficialText, scene: Scene) -> tuple[str, dict]:
    """The alarm's verdict after a second hearing. Where the window, heard on its own, has no
    substantive difference from the printed words, a recognition error. Otherwise each difference
    still found is checked by the same table, on the second hearing's words (a difference put down to
    the recogniser by its score margin part by part too, parts.py): where the check puts every one
    down to the recogniser, a recognition error as well ("$118" heard first, "$180" as printed the
    second time, only "pass in just" for "passengers" left); where the most it finds is uncertain, the
    passage is no longer confirmed, for the recogniser heard it two ways. A difference whose audio the
    recogniser cannot follow the second time is no evidence either way, nor is a second hearing that
    hears none of the printed words the first one got wrong as printed: the verdict then stands."""
    again, printed, lo, inside, differing = _inside(d, evidence, off, official, scene)
    record: dict = {"heard": " ".join(t.text for t in again)}
    if not again:  # heard nothing the second time: no evidence either way
        return rule_for(facts).verdict, {**evidence, "second_hearing": {**record, "differences": []}}
    local = _heard_again(scene, differing)
    found = judge([plan_for(s, again, printed) for s in inside], again, printed, local) if inside else {}
    for s in inside:
        v, ev = found[s.id]
        if worth_splitting(s, v, ev):  # an edit may hide in a part of it, as in a first hearing
            ev, parts = check_parts(s, ev, again, printed, official, local)
            found[s.id] = (CONFIRMED if parts else v, ev)
    record["differences"], _ = open_candidates(d, inside, found, (None, lo), opens=lambda s: False)
    # only a second hearing that hears some of the printed words the first one got wrong as printed
    # ("$180") says anything new; one that still differs from every one of them ("tender churro makes" again, for
    # "the election commission mak'st") is the same evidence, whatever the table makes of the words
    # around it the second time
    still = {i + lo for x in inside for i in range(*x.off_tokens)}
    closer = bool(differing_printed(d, rec, off, official) - still)
    return _after_second_hearing(d, evidence, facts, list(found.values()) if closer else [], not inside, record)


def _after_second_hearing(d: Discrepancy, evidence: dict, facts: Facts, found: list[tuple[str, dict]],
                          as_printed: bool, record: dict) -> tuple[str, dict]:
    """The verdict once what still differs in a second hearing has been checked (`found`)."""
    verdicts = {v for v, _ in found}
    if CONFIRMED in verdicts:
        most: Optional[str] = CONFIRMED
    elif any(ev.get("basis") in (NOT_FOLLOWED, NOT_FOLLOWED_RECORDING) for _, ev in found):
        most = None  # the second hearing is no evidence here
    else:
        most = UNCERTAIN if UNCERTAIN in verdicts else RECOGNITION_ERROR if verdicts else None
    rule = rule_for(replace(facts, heard_again_as_printed=as_printed, heard_again=most))
    return rule.verdict, {**evidence, **basis(rule, d), "second_hearing": record}
