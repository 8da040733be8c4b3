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

from .audio import Audio
from .engines import Engine, ScoreRequest
from .models import Discrepancy, OfficialText, Token

log = logging.getLogger("transcheck")

WINDOW = 28.0  # seconds of audio scored at once (Whisper sees 30 s)
BEFORE = 3  # context words before a discrepancy
AFTER = 3  # context words after it
PAD = 0.2  # seconds before the first context word
# Decision thresholds on the log-probability margin (official minus heard), in nats.
RECOGNITION_ERROR_MARGIN = -1.0
CONFIRMED_MARGIN = -3.0
CONFIRMED_PER_WORD = -1.5


@dataclass
class _Plan:
    disc: Discrepancy
    first: int  # first context token (recording side)
    stop: int  # one past the last context token after the discrepancy
    official_words: str
    start: float = 0.0
    end: float = 0.0
    window: int = -1


def _plan(d: Discrepancy, rec: Sequence[Token], off: Sequence[Token]) -> _Plan:
    r0, r1 = d.rec_tokens
    o0, o1 = d.off_tokens
    first = max(0, r0 - BEFORE)
    stop = min(len(rec), r1 + AFTER)
    words = " ".join(t.text for t in off[o0:o1] if not t.filler)
    return _Plan(d, first, stop, words)


def _text(rec: Sequence[Token], a: int, b: int) -> str:
    return " ".join(t.text for t in rec[a:b])


def _build_requests(plans: list[_Plan], rec: Sequence[Token], duration: float) -> tuple[list[ScoreRequest], list[_Plan]]:
    """Pack discrepancies into shared windows of at most WINDOW seconds, each encoded once."""
    windows: list[tuple[float, int, list[_Plan]]] = []  # (start time, first token, plans)
    too_long: list[_Plan] = []
    for plan in plans:
        end = rec[plan.stop - 1].end + PAD if plan.stop > 0 else duration
        end = min(end, duration)
        if windows and end - windows[-1][0] <= WINDOW and plan.first >= windows[-1][1]:
            windows[-1][2].append(plan)
        else:
            begin = max(0.0, rec[plan.first].start - PAD) if rec else 0.0
            if plan.first > 0:
                begin = max(begin, rec[plan.first - 1].end)
            if end - begin > WINDOW:
                too_long.append(plan)
                continue
            windows.append((begin, plan.first, [plan]))
        plan.end = end
    requests = []
    for w, (begin, first, members) in enumerate(windows):
        end = max(p.end for p in members)
        texts: list[str] = []
        for plan in members:
            r0, r1 = plan.disc.rec_tokens
            heard = _text(rec, first, plan.stop)
            official = " ".join(x for x in (_text(rec, first, r0), plan.official_words,
                                            _text(rec, r1, plan.stop)) if x)
            texts.extend([heard, official])
            plan.window, plan.start = w, begin
        requests.append(ScoreRequest(begin, max(end, begin + 0.1), tuple(texts)))
    return requests, too_long


def decide(margin: float, words: int) -> str:
    """Verdict from the margin of the official over the heard wording (nats)."""
    if margin >= RECOGNITION_ERROR_MARGIN:
        return "recognition-error"
    if margin <= CONFIRMED_MARGIN and margin / max(1, words) <= CONFIRMED_PER_WORD:
        return "confirmed"
    return "uncertain"


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
    slots: dict[int, int] = {}
    for plan in plans:
        if plan in too_long:
            continue
        k = slots.get(plan.window, 0)
        slots[plan.window] = k + 2
        result, prior = results[plan.window], priors[plan.window]
        heard, official_lp = result.total(k), result.total(k + 1)
        prior_margin = prior.total(k + 1) - prior.total(k)
        margin = (official_lp - heard) - prior_margin
        words = max(len(plan.official_words.split()), len(plan.disc.rec_text.split()), 1)
        verdict = decide(margin, words)
        verdicts[plan.disc.id] = (verdict, {
            "window": [round(requests[plan.window].start, 2), round(requests[plan.window].end, 2)],
            "heard_logprob": round(heard, 3),
            "official_logprob": round(official_lp, 3),
            "prior_margin": round(prior_margin, 3),
            "margin": round(margin, 3),
            "margin_per_word": round(margin / words, 3),
            "heard_tokens": len(result.token_logprobs[k]),
            "official_tokens": len(result.token_logprobs[k + 1]),
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
