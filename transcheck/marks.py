"""Marks put to the test: is the speech under a printed "[inaudible]" in fact clear?

Official transcripts can hide words by printing "[inaudible]" or "[crosstalk]" over speech that is
perfectly clear. Where the official text prints such a mark and the recogniser heard words there
with fair confidence, the words are scored against the audio of their stretch (teacher-forced, as the
audio check does): if the audio lifts them well above their score on silence, the passage is a
substantive omission, then verified like any other. Where the audio is noisy, overlapped or empty,
the recogniser's confidence or the lift is low, and the mark stands.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Sequence

from .audio import Audio
from .engines import Engine, ScoreRequest
from .models import MARKED_CLEAR, Discrepancy, Token

log = logging.getLogger("transcheck")

MIN_PROBABILITY = 0.4  # mean recogniser confidence of the words heard under the mark
# Nats per token the audio of their own stretch lifts the heard words above their score on silence.
# Names score low as text, so fit alone cannot tell; the lift can: on espeak-ng speech 6.0-6.4 for
# clear words (the sample's name 6.0), 0.2-4.8 for what tiny.en made of white noise at -3 to +12 dB.
MIN_LIFT = 5.5
PAD = 0.3  # seconds either side of the heard words
# ...and at least this share of the lift of the words either side (the same voice, unmarked): noise
# over the marked words lowers their lift against clear neighbours.
MIN_SHARE_OF_NEIGHBOURS = 0.7
NEIGHBOURS = 3


def candidates(found: Sequence[Discrepancy]) -> list[Discrepancy]:
    """Passages the official text covers with a gap mark where the recogniser heard words it was sure of."""
    out = []
    for d in found:
        ev = d.evidence
        if d.severity != "cosmetic" or not ev.get("official_gap") or not d.rec_text.strip():
            continue
        if (ev.get("mean_probability") or 0.0) >= MIN_PROBABILITY:
            out.append(d)
    return out


def _window(rec: Sequence[Token], r0: int, r1: int, duration: float) -> ScoreRequest:
    """Words [r0, r1) alone on their own stretch: context words, always clear, would hide the difference."""
    begin = max(0.0, rec[r0].start - PAD)
    end = min(duration, rec[r1 - 1].end + PAD)
    end = min(max(end, begin + 0.1), begin + 30.0)
    return ScoreRequest(begin, end, (" ".join(t.text for t in rec[r0:r1]),))


def _stretches(d: Discrepancy, rec: Sequence[Token]) -> list[tuple[int, int]]:
    """The heard words under the mark, then up to NEIGHBOURS words either side (the same voice, unmarked)."""
    r0, r1 = d.rec_tokens
    out = [(r0, r1)]
    if r0 > 0:
        out.append((max(0, r0 - NEIGHBOURS), r0))
    if r1 < len(rec):
        out.append((r1, min(len(rec), r1 + NEIGHBOURS)))
    return out


def test_marks(found: Sequence[Discrepancy], rec: Sequence[Token], audio: Audio, engine: Engine) -> list[Discrepancy]:
    """The discrepancies, with clear speech under a gap mark raised to a substantive omission."""
    chosen = candidates(found)
    if not chosen:
        return list(found)
    plans = [(d, _stretches(d, rec)) for d in chosen]
    requests = [_window(rec, a, b, audio.duration) for _, spans in plans for a, b in spans]
    scored = engine.score(audio, requests + [replace(r, blank=True) for r in requests])
    lifts = [(r.total(0) - p.total(0)) / max(1, len(r.token_logprobs[0]))
             for r, p in zip(scored[:len(requests)], scored[len(requests):])]
    tested: dict[str, Discrepancy] = {}
    k = 0
    for d, spans in plans:
        lift, around = lifts[k], lifts[k + 1:k + len(spans)]
        window = requests[k]
        k += len(spans)
        neighbours = sum(around) / len(around) if around else None
        clear = lift >= MIN_LIFT and (neighbours is None or lift >= MIN_SHARE_OF_NEIGHBOURS * neighbours)
        record = {"clear": clear, "lift": round(lift, 3),
                  "neighbours_lift": None if neighbours is None else round(neighbours, 3),
                  "mean_probability": d.evidence.get("mean_probability"),
                  "window": [round(window.start, 2), round(window.end, 2)]}
        evidence = {**d.evidence, "mark_test": record}
        if clear:
            words = [t for t in rec[d.rec_tokens[0]:d.rec_tokens[1]] if not t.filler]
            tested[d.id] = replace(d, severity="substantive", reason=MARKED_CLEAR, importance=float(len(words) + 1),
                                   evidence={**evidence, "likely_recognition_error": False})
        else:
            tested[d.id] = replace(d, evidence=evidence)
    log.info("tested %d editorial marks against the audio; %d cover clear speech", len(chosen),
             sum(d.severity == "substantive" for d in tested.values()))
    return [tested.get(d.id, d) for d in found]
