"""A synthetic briefing report of any length, run through the real compare stage (no model, no audio).

An official transcript is generated from a small vocabulary, then "heard" with edits of every kind
(dropped and added words, rewordings, negations, numbers, contractions, fillers) at random places;
normalisation, alignment and classification are the real ones. Substantive discrepancies get
verdicts with verification numbers, as the audio check would give them.
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any, Optional, Sequence

from helpers import check_result
from transcheck.models import Transcript, Word
from transcheck.options import CheckOptions
from transcheck.schema import CheckResult
from transcheck.sources import official_from_text

WORDS = ("the government said that it would continue to support the people of the region and that "
         "the mission has been working with partners on the ground to provide humanitarian assistance "
         "security council members discussed the situation in the country this week including reports "
         "of violence against civilians in several districts our teams are monitoring the process and "
         "we expect an update from the commission before the end of the month refugees returned to "
         "their homes after the agreement was signed by both sides in the capital").split()
CONTENT = ("ceasefire", "elections", "budget", "peacekeepers", "allegations", "investigation", "convoy",
           "hospital", "negotiations", "sanctions", "airport", "vaccines", "floods", "militia")
SPEAKERS = ("SPOKESPERSON", "QUESTION", "MODERATOR")
STEP = 0.36  # seconds per heard word: 20,000 words is two hours


def _sentence(rng: random.Random) -> list[str]:
    n = rng.randint(8, 22)
    start = rng.randrange(len(WORDS) - n)
    words = WORDS[start:start + n]
    if rng.random() < 0.4:
        words[rng.randrange(n)] = rng.choice(CONTENT)
    if rng.random() < 0.15:
        words.insert(rng.randrange(n), str(rng.randint(2, 900)))
    return words


def _official(rng: random.Random, n_words: int) -> tuple[str, list[list[str]]]:
    """Paragraphs of sentences under speaker labels; returns the text and its sentences."""
    paragraphs, sentences, total = [], [], 0
    while total < n_words:
        para = []
        for _ in range(rng.randint(1, 6)):
            s = _sentence(rng)
            sentences.append(s)
            para.append(" ".join(s).capitalize() + ".")
            total += len(s)
        label = rng.choice(SPEAKERS)
        paragraphs.append(f"{label}: " + " ".join(para))
    return "\n\n".join(paragraphs) + "\n", sentences


def _heard(rng: random.Random, sentences: list[list[str]], edit_rate: float) -> list[str]:
    """The official words as a speaker might really have said them."""
    heard: list[str] = []
    for s in sentences:
        words = list(s)
        if rng.random() < edit_rate:
            i = rng.randrange(len(words))
            edit = rng.choice(("drop", "add", "reword", "negate", "number", "contract", "filler", "repeat"))
            if edit == "drop":
                del words[i:i + rng.randint(1, 4)]
            elif edit == "add":
                words[i:i] = rng.sample(WORDS, rng.randint(2, 6)) + [rng.choice(CONTENT)]
            elif edit == "reword":
                words[i:i + 2] = [rng.choice(CONTENT), rng.choice(WORDS)]
            elif edit == "negate":
                words.insert(i, "not")
            elif edit == "number":
                words.insert(i, str(rng.randint(2, 900)))
            elif edit == "contract" and "it" in words:
                words.insert(words.index("it") + 1, "is")
                words[words.index("it"):words.index("it") + 2] = ["it's"]
            elif edit == "filler":
                words.insert(i, rng.choice(("um", "uh")))
            else:
                words[i:i] = words[max(0, i - 2):i]
        heard.extend(words)
    return heard


def synthetic_result(hours: float = 2.0, seed: int = 7, edit_rate: float = 0.35, **kwargs: Any) -> CheckResult:
    """A CheckResult for a made-up briefing of `hours` (about 10,000 heard words an hour)."""
    rng = random.Random(seed)
    text, sentences = _official(rng, int(hours * 3600 / STEP))
    heard = _heard(rng, sentences, edit_rate)
    return result_from_texts(heard, text, rng=rng, **kwargs)


def result_from_texts(heard: Sequence[str], printed: str, rng: Optional[random.Random] = None,
                      recording: str = "briefing.wav", official_path: str = "official.txt",
                      title: Optional[str] = "Synthetic briefing", date: Optional[str] = "2024-03-01") -> CheckResult:
    """Check heard words (one every STEP seconds) against a printed text with the real compare stage."""
    rng = rng or random.Random(0)
    words = tuple(Word(w, round(i * STEP, 2), round(i * STEP + STEP * 0.8, 2), round(rng.uniform(0.3, 1.0), 3))
                  for i, w in enumerate(heard))
    duration = round(len(heard) * STEP + 1.0, 2)
    transcript = Transcript(words, duration, "en", "faster-whisper", "synthetic", {"beam_size": 5})
    official = replace(official_from_text(printed), path=official_path, sha256="0" * 64)
    return check_result(official, transcript, CheckOptions(title=title, date=date), recording, "f" * 64,
                        lambda d: _with_verdict(d, rng), {"compare": 1.0})


def _with_verdict(d, rng: random.Random):
    if d.severity != "substantive":
        return d
    margin = rng.choice((-40.0, -12.0, -2.0, -0.4))
    verdict = "confirmed" if margin <= -3 else ("recognition-error" if margin > -1 else "uncertain")
    check = {"window": [max(0.0, d.rec_start - 3), d.rec_end + 3], "heard_logprob": -20.0,
             "official_logprob": -20.0 + margin, "margin": margin, "margin_per_word": margin / 4}
    return replace(d, verdict=verdict, evidence={**d.evidence, "verification": check})


def synthetic_report(hours: float = 2.0, **kwargs: Any) -> dict[str, Any]:
    """The JSON report dict of `synthetic_result`."""
    return synthetic_result(hours, **kwargs).to_dict()


def write_wav(path, seconds: float, rate: int = 8000) -> None:
    """A silent WAV: something Chromium can load, seek in and play, headless or not."""
    import wave

    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"\0\0" * int(seconds * rate))
