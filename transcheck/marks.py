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
from .models import Discrepancy, Token

log = logging.getLogger("transcheck")

MARKED_CLEAR = "marked inaudible, but the recording is clear here"
MIN_PROBABILITY = 0.4  # mean recogniser confidence of the words heard under the mark
# Nats per token the audio of their own stretch lifts the heard words above their score on silence.
# Names score low as text, so fit alone cannot tell; the lift can: on espeak-ng speech 6.0-6.4 for
# clear words (the sample's name 6.0), 0.2-4.8 for what tiny.en made of white noise at -3 to +12 dB.
MIN_LIFT = 5.5
PAD = 0.3  # seconds either side of the heard words


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


def _window(d: Discrepancy, rec: Sequence[Token], duration: float) -> ScoreRequest:
    """The heard words alone on their own stretch: context words, always clear, would hide the difference."""
    r0, r1 = d.rec_tokens
    begin = max(0.0, rec[r0].start - PAD)
    end = min(duration, rec[r1 - 1].end + PAD)
    end = min(max(end, begin + 0.1), begin + 30.0)
    return ScoreRequest(begin, end, (" ".join(t.text for t in rec[r0:r1]),))


def test_marks(found: Sequence[Discrepancy], rec: Sequence[Token], audio: Audio, engine: Engine) -> list[Discrepancy]:
    """The discrepancies, with clear speech under a gap mark raised to a substantive omission."""
    chosen = candidates(found)
    if not chosen:
        return list(found)
    requests = [_window(d, rec, audio.duration) for d in chosen]
    scored = engine.score(audio, requests + [replace(r, blank=True) for r in requests])
    results, priors = scored[:len(requests)], scored[len(requests):]
    tested: dict[str, Discrepancy] = {}
    for d, request, result, prior in zip(chosen, requests, results, priors):
        tokens = max(1, len(result.token_logprobs[0]))
        fit = result.mean(0)
        lift = (result.total(0) - prior.total(0)) / tokens
        clear = lift >= MIN_LIFT
        record = {"clear": clear, "fit": round(fit, 3), "lift": round(lift, 3),
                  "mean_probability": d.evidence.get("mean_probability"),
                  "window": [round(request.start, 2), round(request.end, 2)]}
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
