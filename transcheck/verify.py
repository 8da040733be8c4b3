"""Ask the audio: is each substantive discrepancy the publisher's edit or the recogniser's mistake?

For every candidate, the window of audio around it is scored twice by the recogniser itself,
teacher-forced: once with the words as heard, once with the official words in their place,
the same context either side. If the audio supports the official wording about as well as the
heard one, the recogniser misheard; if it clearly supports only the heard wording, the edit is
confirmed. Omissions and insertions are the same test with one side empty: does the audio
leave room for the printed words, and is there speech that the official text has no words for?
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Optional, Sequence

import numpy as np

from .audio import Audio
from .engines import Engine, ScoreRequest
from .models import Discrepancy, OfficialText, Token

log = logging.getLogger("transcheck")

WINDOW = 28.0  # longest stretch scored (Whisper sees 30 s)
BEFORE = 3  # context words before a discrepancy
AFTER = 3  # context words after it
PAD = 0.2  # seconds before the first context word
# Decision thresholds on the log-probability margin (official minus heard, each relative to its
# prior), in nats. Where the text alone already suggests a mishearing (alike in sound or spelling,
# no negation or number involved), the audio must speak more clearly against the official words.
RECOGNITION_ERROR_MARGIN = -2.5
SUSPECT_RECOGNITION_ERROR_MARGIN = -8.0
CONFIRMED_MARGIN = -5.0
CONFIRMED_PER_WORD = -1.5


@dataclass
class _Plan:
    disc: Discrepancy
    first: int  # first context token (recording side)
    stop: int  # one past the last context token after the discrepancy
    official_words: str
    official_norm: str
    start: float = 0.0
    end: float = 0.0
    window: int = -1


def _plan(d: Discrepancy, rec: Sequence[Token], off: Sequence[Token]) -> _Plan:
    r0, r1 = d.rec_tokens
    o0, o1 = d.off_tokens
    first = max(0, r0 - BEFORE)
    stop = min(len(rec), r1 + AFTER)
    words = " ".join(t.text for t in off[o0:o1] if not t.filler)
    norm = " ".join(t.norm for t in off[o0:o1] if not t.filler)
    return _Plan(d, first, stop, words, norm)


def _text(rec: Sequence[Token], a: int, b: int) -> str:
    return " ".join(t.text for t in rec[a:b])


def _build_requests(plans: list[_Plan], rec: Sequence[Token], duration: float) -> tuple[list[ScoreRequest], list[_Plan]]:
    """One window per discrepancy: its words with a few words of context either side."""
    requests: list[ScoreRequest] = []
    too_long: list[_Plan] = []
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
        heard = _text(rec, plan.first, plan.stop)
        # the official words as printed, and in their normalised form ("mak'st" -> "makest")
        printed = " ".join(x for x in (before, plan.official_words, after) if x)
        normal = " ".join(x for x in (before, plan.official_norm, after) if x)
        plan.window, plan.start, plan.end = len(requests), begin, max(end, begin + 0.1)
        requests.append(ScoreRequest(plan.start, plan.end, (heard, printed, normal)))
    return requests, too_long


def decide(margin: float, words: int, suspect: bool = False) -> str:
    """Verdict from the margin of the official over the heard wording (nats)."""
    if margin >= (SUSPECT_RECOGNITION_ERROR_MARGIN if suspect else RECOGNITION_ERROR_MARGIN):
        return "recognition-error"
    if margin <= CONFIRMED_MARGIN and margin / max(1, words) <= CONFIRMED_PER_WORD:
        return "confirmed"
    return "uncertain"


def _seconds_per_word(rec: Sequence[Token]) -> float:
    """The speaker's pace: median seconds per word over the recording's words."""
    spans = sorted(max(0.05, t.end - t.start) for t in rec if not t.filler) or [0.3]
    return max(0.15, spans[len(spans) // 2] * 1.2)


def _energy(audio: Audio, start: float, end: float) -> float:
    rate = audio.sample_rate
    piece = audio.samples[int(start * rate): int(end * rate)]
    return float(np.sqrt(np.mean(piece.astype(np.float64) ** 2))) if len(piece) else 0.0


def _timing_evidence(d: Discrepancy, rec: Sequence[Token], audio: Audio, pace: float) -> dict:
    """Room in the audio for printed words (insertions); sound where words were heard (omissions)."""
    r0, r1 = d.rec_tokens
    if d.kind == "insertion":
        before = rec[r0 - 1].end if r0 > 0 else 0.0
        after = rec[r0].start if r0 < len(rec) else audio.duration
        return {"room_seconds": round(max(0.0, after - before), 3),
                "needed_seconds": round(pace * len(d.off_text.split()), 3)}
    if d.kind == "omission" and r1 > r0:
        spoken = [_energy(audio, t.start, t.end) for t in rec if not t.filler]
        typical = sorted(spoken)[len(spoken) // 2] if spoken else 0.0
        level = _energy(audio, d.rec_start, d.rec_end)
        return {"relative_loudness": round(level / typical, 3) if typical > 0 else None}
    return {}


def _timing_override(d: Discrepancy, verdict: str, margin: float, timing: dict) -> str:
    """No room to say the printed words confirms an insertion; near-silence refutes an omission."""
    room, needed = timing.get("room_seconds"), timing.get("needed_seconds")
    if room is not None and needed and room < 0.3 * needed and margin < 0:
        return "confirmed"
    loudness = timing.get("relative_loudness")
    if loudness is not None and loudness < 0.1:
        return "recognition-error"
    return verdict


def verify(discrepancies: Sequence[Discrepancy], rec: Sequence[Token], off: Sequence[Token], audio: Audio,
           engine: Engine, official: Optional[OfficialText] = None) -> list[Discrepancy]:
    """Give every substantive discrepancy a verdict and the scores behind it."""
    plans = [_plan(d, rec, off) for d in discrepancies if d.severity == "substantive"]
    if not plans or not rec:
        return list(discrepancies)
    requests, too_long = _build_requests(plans, rec, audio.duration)
    blanks = [replace(r, blank=True) for r in requests]
    scored = engine.score(audio, requests + blanks) if requests else []
    results, priors = scored[:len(requests)], scored[len(requests):]
    verdicts: dict[str, tuple[str, dict]] = {}
    pace = _seconds_per_word(rec)
    for plan in plans:
        if plan in too_long:
            continue
        result, prior = results[plan.window], priors[plan.window]
        heard = result.total(0)
        # the better-supported of the two spellings of the official wording, each against its own prior
        gains = [(result.total(k) - prior.total(k), k) for k in (1, 2)]
        _, k = max(gains)
        official_lp = result.total(k)
        prior_margin = prior.total(k) - prior.total(0)
        margin = (official_lp - heard) - prior_margin
        words = max(len(plan.official_words.split()), len(plan.disc.rec_text.split()), 1)
        verdict = decide(margin, words, bool(plan.disc.evidence.get("likely_recognition_error")))
        timing = _timing_evidence(plan.disc, rec, audio, pace)
        verdict = _timing_override(plan.disc, verdict, margin, timing)
        verdicts[plan.disc.id] = (verdict, {**timing,
            "window": [round(requests[plan.window].start, 2), round(requests[plan.window].end, 2)],
            "heard_logprob": round(heard, 3),
            "official_logprob": round(official_lp, 3),
            "prior_margin": round(prior_margin, 3),
            "margin": round(margin, 3),
            "margin_per_word": round(margin / words, 3),
            "heard_tokens": len(result.token_logprobs[0]),
            "official_tokens": len(result.token_logprobs[k]),
            "official_form": "printed" if k == 1 else "normalised",
        })
    for plan in too_long:  # a long stretch heard with confidence is speech the text lacks
        p = plan.disc.evidence.get("mean_probability")
        verdict = "confirmed" if plan.disc.kind != "insertion" and p is not None and p >= 0.6 else "uncertain"
        verdicts[plan.disc.id] = (verdict, {"note": f"longer than {WINDOW:.0f} s; judged by word probability"})
    out = []
    for d in discrepancies:
        if d.id in verdicts:
            verdict, evidence = verdicts[d.id]
            d = replace(d, verdict=verdict, evidence={**d.evidence, "verification": evidence})
        out.append(d)
    log.info("verified %d discrepancies in %d audio windows", len(plans), len(requests))
    return out
