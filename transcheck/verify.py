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
import re
from dataclasses import dataclass, replace
from typing import Callable, Optional, Sequence

import numpy as np

from .audio import Audio
from .engines import Engine, ScoreRequest
from .models import NOT_FOLLOWED, Discrepancy, OfficialText, Token

log = logging.getLogger("transcheck")

WINDOW = 28.0  # longest stretch scored (Whisper sees 30 s)
BEFORE = 3  # context words before a discrepancy
AFTER = 3  # context words after it
PAD = 0.2  # seconds before the first context word
# Decision thresholds on the log-probability margin (official minus heard, each relative to its
# prior), in nats. Where the text alone already suggests a mishearing (alike in sound or spelling,
# no negation or number involved), the audio must speak more clearly against the official words.
RECOGNITION_ERROR_MARGIN = -1.0
SUSPECT_RECOGNITION_ERROR_MARGIN = -4.5
# Mean log-probability per token of the heard words in their window below which the recogniser is
# taken not to follow the audio (an insertion's window holds only the context words)...
POOR_FIT = -2.0
POOR_FIT_INSERTION = -3.0
# ...unless the audio lifts the heard words this far above their score on silence (nats per token):
# rare words ("thine", names) score low as text but are plainly supported by what was said. On
# the Apollo radio, where tiny.en cannot follow, none reaches 4.6; on clear speech most pass 5.
FOLLOWS_LIFT = 5.0
# An insertion whose printed words need far more time than the audio leaves is confirmed unless the
# audio clearly favours the printed words (nats per word).
NO_ROOM_MARGIN_PER_WORD = 1.0
SCORE_CHUNK = 8  # windows scored per engine call, so progress can be shown between calls

Progress = Optional[Callable[[float, float], None]]  # (passages done, passages in all)
CONFIRMED_MARGIN = -5.0
CONFIRMED_PER_WORD = -1.5


@dataclass
class Plan:
    disc: Discrepancy
    first: int  # first context token (recording side)
    stop: int  # one past the last context token after the discrepancy
    official_words: str
    official_norm: str
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
    return Plan(d, first, stop, words, norm)


def _text(rec: Sequence[Token], a: int, b: int) -> str:
    return " ".join(t.text for t in rec[a:b])


def _build_requests(plans: list[Plan], rec: Sequence[Token], duration: float) -> tuple[list[ScoreRequest], list[Plan]]:
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
        texts = tuple(" ".join(x for x in (before, middle, after) if x) for middle in (
            plan.disc.rec_text, spoken(heard_norm), spoken(heard_norm, years=True),
            plan.official_words, spoken(plan.official_norm), spoken(plan.official_norm, years=True)))
        plan.window, plan.start, plan.end = len(requests), begin, max(end, begin + 0.1)
        requests.append(ScoreRequest(plan.start, plan.end, texts))
    return requests, too_long


def decide(margin: float, words: int, suspect: bool = False, fit: float = 0.0, kind: str = "rewording",
           timing: Optional[dict] = None, lift: Optional[float] = None) -> tuple[str, str]:
    """Verdict, and what decided it, from the margin of the official over the heard wording (nats)
    and the window's fit.

    `fit` is the mean log-probability per token of the heard words in their own window, `lift` how
    far the audio raises them above their score on silence: where the recogniser cannot follow the
    audio (noise, overlapping speakers), what it heard is no evidence against the official text.
    """
    follows = fit >= (POOR_FIT_INSERTION if kind == "insertion" else POOR_FIT) or (
        lift is not None and lift >= FOLLOWS_LIFT)
    if not follows:
        return "recognition-error", NOT_FOLLOWED
    timing = timing or {}
    room, needed = timing.get("room_seconds"), timing.get("needed_seconds")
    if room is not None and needed and room < 0.3 * needed and margin / max(1, words) < NO_ROOM_MARGIN_PER_WORD:
        return "confirmed", "no room for the printed words"
    loudness = timing.get("relative_loudness")
    if loudness is not None and loudness < 0.1:
        return "recognition-error", "near-silence where words were heard"
    if margin >= (SUSPECT_RECOGNITION_ERROR_MARGIN if suspect else RECOGNITION_ERROR_MARGIN):
        return "recognition-error", "score margin"
    if margin <= CONFIRMED_MARGIN and margin / max(1, words) <= CONFIRMED_PER_WORD:
        return "confirmed", "score margin"
    return "uncertain", "score margin"


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


def _has_number(tokens: Sequence[Token]) -> bool:
    return any(ch.isdigit() for t in tokens for ch in t.norm)


def _seconds_per_word(rec: Sequence[Token]) -> float:
    """The speaker's pace: median seconds per word over the recording's words."""
    spans = sorted(max(0.05, t.end - t.start) for t in rec if not t.filler) or [0.3]
    return max(0.15, spans[len(spans) // 2] * 1.2)


def _energy(audio: Audio, start: float, end: float) -> float:
    rate = audio.sample_rate
    piece = audio.samples[int(start * rate): int(end * rate)]
    return float(np.sqrt(np.mean(piece.astype(np.float64) ** 2))) if len(piece) else 0.0


def _typical_loudness(rec: Sequence[Token], audio: Audio, sample: int = 400) -> float:
    """Median loudness of heard words (an evenly spread sample of them, for long recordings)."""
    words = [t for t in rec if not t.filler]
    step = max(1, len(words) // sample)
    levels = sorted(_energy(audio, t.start, t.end) for t in words[::step])
    return levels[len(levels) // 2] if levels else 0.0


def _timing_evidence(d: Discrepancy, rec: Sequence[Token], audio: Audio, pace: float, typical: float) -> dict:
    """Room in the audio for printed words (insertions); sound where words were heard (omissions)."""
    r0, r1 = d.rec_tokens
    if d.kind == "insertion":
        before = rec[r0 - 1].end if r0 > 0 else 0.0
        after = rec[r0].start if r0 < len(rec) else audio.duration
        return {"room_seconds": round(max(0.0, after - before), 3),
                "needed_seconds": round(pace * len(d.off_text.split()), 3)}
    if d.kind == "omission" and r1 > r0:
        level = _energy(audio, d.rec_start, d.rec_end)
        return {"relative_loudness": round(level / typical, 3) if typical > 0 else None}
    return {}


@dataclass(frozen=True)
class Scene:
    """What every judgement in one recording shares: its audio, the recogniser, the speaker's pace."""

    audio: Audio
    engine: Engine
    pace: float
    typical: float


Verdicts = dict[str, tuple[str, dict]]  # discrepancy id -> (verdict, the evidence behind it)


def verify(discrepancies: Sequence[Discrepancy], rec: Sequence[Token], off: Sequence[Token], audio: Audio,
           engine: Engine, official: Optional[OfficialText] = None, progress: Progress = None) -> list[Discrepancy]:
    """Give every substantive discrepancy a verdict and the scores behind it."""
    return apply_verdicts(discrepancies, find_verdicts(discrepancies, rec, off, audio, engine, official, progress))


def find_verdicts(discrepancies: Sequence[Discrepancy], rec: Sequence[Token], off: Sequence[Token], audio: Audio,
                  engine: Engine, official: Optional[OfficialText] = None, progress: Progress = None) -> Verdicts:
    """The verdict of every substantive discrepancy, by its id."""
    plans = [plan_for(d, rec, off) for d in discrepancies if d.severity == "substantive"]
    if not plans or not rec:
        return {}
    scene = Scene(audio, engine, _seconds_per_word(rec), _typical_loudness(rec, audio))
    verdicts = judge(plans, rec, off, scene, progress)
    if official is not None:
        from .rehear import rehear, worth_rehearing

        again = [p for p in plans if worth_rehearing(p.disc, *verdicts[p.disc.id])]
        for n, plan in enumerate(again, 1):  # a second hearing costs about as much as a passage's scoring
            verdicts[plan.disc.id] = rehear(plan.disc, *verdicts[plan.disc.id], off, official, scene)
            if progress:
                progress(len(plans) + n, len(plans) + len(again))
    log.info("verified %d discrepancies", len(plans))
    return verdicts


def apply_verdicts(discrepancies: Sequence[Discrepancy], verdicts: Verdicts) -> list[Discrepancy]:
    """The discrepancies with their verdicts and evidence filled in."""
    out = []
    for d in discrepancies:
        if d.id in verdicts:
            verdict, evidence = verdicts[d.id]
            d = replace(d, verdict=verdict, evidence={**d.evidence, "verification": evidence})
        out.append(d)
    return out


def _score(scene: Scene, requests: list[ScoreRequest], progress: Progress) -> tuple[list, list]:
    """Each request's scores and its prior (the same texts on silence), a few windows per engine call."""
    results, priors = [], []
    for a in range(0, len(requests), SCORE_CHUNK):
        chunk = requests[a:a + SCORE_CHUNK]
        scored = scene.engine.score(scene.audio, chunk + [replace(r, blank=True) for r in chunk])
        results += scored[:len(chunk)]
        priors += scored[len(chunk):]
        if progress:
            progress(a + len(chunk), len(requests))
    return results, priors


def judge(plans: list[Plan], rec: Sequence[Token], off: Sequence[Token], scene: Scene,
          progress: Progress = None) -> Verdicts:
    """Score each plan's window (both wordings and their priors) and decide its verdict."""
    requests, too_long = _build_requests(plans, rec, scene.audio.duration)
    passages = (lambda done, _: progress(done + len(too_long), len(plans))) if progress else None
    results, priors = _score(scene, requests, passages)
    verdicts: dict[str, tuple[str, dict]] = {}
    for plan in plans:
        if plan in too_long:
            continue
        (r0, r1), (o0, o1) = plan.disc.rec_tokens, plan.disc.off_tokens
        result, prior = results[plan.window], priors[plan.window]
        # the better-supported form of each wording, each taken against its own prior; numbers are
        # compared in one form ("3800" against "4800", not "3 800" against "four thousand...")
        number = _has_number(rec[r0:r1]) or _has_number(off[o0:o1])
        h = max((1, 2) if number else (0, 1), key=lambda k: result.total(k) - prior.total(k))
        o = max((4, 5) if number else (3, 4), key=lambda k: result.total(k) - prior.total(k))
        heard, official_lp = result.total(h), result.total(o)
        prior_margin = prior.total(o) - prior.total(h)
        margin = (official_lp - heard) - prior_margin
        fit = result.mean(h)
        heard_lift = (heard - prior.total(h)) / max(1, len(result.token_logprobs[h]))
        official_lift = (official_lp - prior.total(o)) / max(1, len(result.token_logprobs[o]))
        words = max(len(plan.official_words.split()), len(plan.disc.rec_text.split()), 1)
        timing = _timing_evidence(plan.disc, rec, scene.audio, scene.pace, scene.typical)
        verdict, basis = decide(margin, words, bool(plan.disc.evidence.get("likely_recognition_error")), fit,
                                plan.disc.kind, timing, heard_lift)
        verdicts[plan.disc.id] = (verdict, {"basis": basis, **timing,
            "window": [round(requests[plan.window].start, 2), round(requests[plan.window].end, 2)],
            "heard_fit": round(fit, 3),
            "heard_logprob": round(heard, 3),
            "official_logprob": round(official_lp, 3),
            "prior_margin": round(prior_margin, 3),
            "heard_lift": round(heard_lift, 3),
            "official_lift": round(official_lift, 3),
            "margin": round(margin, 3),
            "margin_per_word": round(margin / words, 3),
            "heard_tokens": len(result.token_logprobs[h]),
            "official_tokens": len(result.token_logprobs[o]),
            "heard_form": "as heard" if h == 0 else "normalised",
            "official_form": "printed" if o == 3 else "normalised",
        })
    for plan in too_long:  # judged by how sure the recogniser was of what it heard
        p = plan.disc.evidence.get("mean_probability")
        if p is None or p < 0.5:
            verdict = "recognition-error"
        else:
            verdict = "confirmed" if plan.disc.kind != "insertion" and p >= 0.7 else "uncertain"
        verdicts[plan.disc.id] = (verdict, {"basis": "word probability",
                                            "note": f"longer than {WINDOW:.0f} s; judged by word probability"})
    return verdicts
