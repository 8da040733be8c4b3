"""The parts of a passage: a word the recogniser dropped beside a figure the publisher changed.

Differences a word or two apart in one sentence are reported as one passage ("15 to 12.5" heard,
"16 to 12.5 percent" printed). The audio check scores a passage as a whole, so a word that was said
and printed but not heard ("percent") makes the printed passage fit the audio better than what was
heard, and the passage is rightly put down to the recogniser; but a changed figure beside that word
hides behind the verdict. So a passage the scores put down to the recogniser that is made of two or
more separate differences is checked part by part, each part in the heard words around it (the
other parts as heard on both sides), by the same table. The passage's own verdict says the printed
words fit the audio: a part overturns that only where the audio check confirms it on its own and
puts every other part down to the recogniser (the passage is a clear hearing but for that part), and it then becomes a candidate of its own (`d9.1` inside `d9`). A part the check leaves
uncertain is no such evidence (on reverberant audio, garbled parts heard at a word probability of
0.4 are), nor is a part of a garbled passage: one where another part is uncertain, or where the
recogniser cannot follow another part and heard words there that are not printed. The passage keeps its verdict, as after a second
hearing (rehear.py).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Optional, Sequence

from ..align import align_tokens
from ..classify import classify
from ..models import (CONFIRMED, NOT_FOLLOWED, RECOGNITION_ERROR, REWORDING, SUBSTANTIVE, Discrepancy, OfficialText,
                      Token)
from .plans import AFTER, BEFORE, plan_for
from .prompted import words
from .verdicts import Scene, differing_words, judge


def worth_splitting(d: Discrepancy, verdict: str, evidence: dict) -> bool:
    """A rewording the score margin put down to the recogniser: a part of it may still be an edit."""
    return (verdict == RECOGNITION_ERROR and d.kind == REWORDING and evidence.get("basis") == "score margin"
            and "window" in evidence)


def _within(inner: tuple[int, int], outer: tuple[int, int]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def split(d: Discrepancy, rec: Sequence[Token], off: Sequence[Token], official: OfficialText,
          keep_one: bool = False):
    """The passage's separate substantive differences (none where it is one, unless `keep_one`), found
    by aligning its heard and printed words again, with a few words of context, without merging nearby
    runs; with the heard and printed stretches they index and where those start."""
    (r0, r1), (o0, o1) = d.rec_tokens, d.off_tokens
    rlo, olo = max(0, r0 - BEFORE), max(0, o0 - BEFORE)
    heard, printed = rec[rlo:min(len(rec), r1 + AFTER)], off[olo:min(len(off), o1 + AFTER)]
    found = [s for s in classify(heard, printed, align_tokens(heard, printed), official, merge_gap=0)
             if s.severity == SUBSTANTIVE and _within(s.rec_tokens, (r0 - rlo, r1 - rlo))
             and _within(s.off_tokens, (o0 - olo, o1 - olo))]
    return (found if len(found) > 1 or keep_one else []), heard, printed, rlo, olo


def differing_printed(d: Discrepancy, rec: Sequence[Token], off: Sequence[Token], official: OfficialText) -> set[int]:
    """The printed tokens of a passage (indices into `off`) that its hearing did not hear as printed:
    those of its separate substantive differences (a word heard as printed between two of them, as
    "pay" in "pass in just pay $118" for "passengers pay 180 dollars", is not one)."""
    parts, _, _, _, olo = split(d, rec, off, official, keep_one=True)
    return {i + olo for s in parts for i in range(*s.off_tokens)} if parts else set(range(*d.off_tokens))


def check_parts(d: Discrepancy, evidence: dict, rec: Sequence[Token], off: Sequence[Token],
                official: OfficialText, scene: Scene) -> tuple[dict, list[Discrepancy]]:
    """Each part of a passage judged on its own: the passage's evidence with what each part got
    (`parts`), and as a candidate of its own each part the audio check confirms where it puts every
    other part down to the recogniser (a word it dropped or misheard beside it). Where another part
    is left uncertain, the passage is a garble, and no part of it a sure hearing: in noise, a printed
    "Two" the garble swallowed would otherwise be confirmed by its timing ("no room")."""
    parts, heard, printed, rlo, olo = split(d, rec, off, official)
    if not parts:
        return evidence, []
    (r0, r1), stop = d.rec_tokens, rlo + len(heard)
    beside = {i - rlo: x for i, x in scene.differing.items() if rlo <= i < stop and not r0 <= i < r1}
    found = judge([plan_for(s, heard, printed) for s in parts], heard, printed,
                  replace(scene, differing={**beside, **differing_words(parts)}))
    sure = {s.id for s in parts if found[s.id][0] == CONFIRMED
            and all(found[o.id][0] == RECOGNITION_ERROR and not _garbled(o, found[o.id][1]) for o in parts if o is not s)}
    record, opened = open_candidates(d, parts, found, (rlo, olo), opens=lambda s: s.id in sure)
    return {**evidence, "parts": record}, opened


def _garbled(part: Discrepancy, evidence: dict) -> bool:
    """A part the recogniser cannot follow, heard as words that are not printed ("took a long day at 50
    days" for "drove along the A58" in a reverberant room), not just short of a printed word ("12.5"
    for "12.5 percent"): the recogniser is lost around it, so no other part is a sure hearing."""
    return evidence.get("basis") == NOT_FOLLOWED and bool(set(words(part.rec_text)) - set(words(part.off_text)))


def open_candidates(d: Discrepancy, differences: Sequence[Discrepancy], found: dict[str, tuple[str, dict]],
                    shift: tuple[Optional[int], int], opens: Optional[Callable[[Discrepancy], bool]] = None,
                    ) -> tuple[list[dict], list[Discrepancy]]:
    """What each difference found inside a passage got from the audio check, and those that `opens`
    picks (by default those not put down to the recogniser) as candidates of their own (`d9.1`...), on the recording's token indices: `shift` is
    where the stretches the differences index start (heard, printed; heard None where they were
    heard again, so not in the first hearing: the candidate then spans the passage's heard words)."""
    record: list[dict] = []
    opened: list[Discrepancy] = []
    for s in differences:
        v, ev = found[s.id]
        record.append({"heard": s.rec_text, "printed": s.off_text, "kind": s.kind, "verdict": v,
                       "margin": ev.get("margin"), "basis": ev.get("basis"),
                       **({"parts": ev["parts"]} if "parts" in ev else {})})
        if (v != RECOGNITION_ERROR) if opens is None else opens(s):
            record[-1]["opened"] = new_id = f"{d.id}.{len(opened) + 1}"
            heard = d.rec_tokens if shift[0] is None else (s.rec_tokens[0] + shift[0], s.rec_tokens[1] + shift[0])
            opened.append(replace(s, id=new_id, speaker=d.speaker, verdict=v, rec_tokens=heard,
                                  off_tokens=(s.off_tokens[0] + shift[1], s.off_tokens[1] + shift[1]),
                                  evidence={**s.evidence, "verification": {**ev, "opened_by": d.id}}))
    return record, opened
