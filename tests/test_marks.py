"""Marks put to the test, with the real model on real (synthesised) speech.

Clear speech printed as [inaudible] is found and confirmed; the same sentence with loud noise over
the marked words leaves the mark standing and raises nothing.
"""

from __future__ import annotations

import numpy as np
import pytest

from briefings import encode, synthesise
from transcheck.marks import MARKED_CLEAR, candidates
from transcheck.models import Discrepancy
from transcheck.options import CheckOptions
from transcheck.pipeline import check

pytestmark = pytest.mark.model

BEFORE = "Thank you all for coming. The ministry says it will settle"
MARKED = "the unpaid bills"
AFTER = "before the end of the month, and the hospitals will stay open."
OFFICIAL = f"SPOKESPERSON: Thank you all for coming. The ministry says it will settle [inaudible] before the end of the month, and the hospitals will stay open."


def _speech(noise_db: float | None) -> tuple[np.ndarray, int]:
    """The sentence in three pieces; with `noise_db`, white noise that loud (dB over the speech) on the middle one."""
    pieces = [synthesise(text) for text in (BEFORE, MARKED, AFTER)]
    rate = pieces[0][1]
    middle = pieces[1][0].astype(np.float64)
    if noise_db is not None:
        level = np.sqrt(np.mean(middle ** 2)) * 10 ** (noise_db / 20)
        middle = middle + np.random.default_rng(7).normal(0.0, level, len(middle))
    pcm = np.concatenate([pieces[0][0], np.clip(middle, -32768, 32767).astype(np.int16), pieces[2][0]])
    return pcm, rate


def _check(tmp_path, noise_db, engine):
    wav = tmp_path / "briefing.wav"
    encode(*_speech(noise_db), wav)
    official = tmp_path / "official.txt"
    official.write_text(OFFICIAL + "\n", encoding="utf-8")
    return check(str(wav), str(official), CheckOptions(), engine=engine)


def _under_mark(result) -> list[Discrepancy]:
    return [d for d in result.discrepancies if d.evidence.get("official_gap") == "[inaudible]"]


def test_clear_speech_printed_as_inaudible_is_found_and_confirmed(tmp_path, engine):
    result = _check(tmp_path, None, engine)
    (d,) = _under_mark(result)
    assert "unpaid bills" in d.rec_text.lower()
    assert d.kind == "omission" and d.severity == "substantive" and d.reason == MARKED_CLEAR
    assert d.evidence["mark_test"]["clear"] is True
    assert d.verdict == "confirmed" and d.is_alarm
    assert result.summary["ner"]["E"] > 0


def test_the_same_words_under_loud_noise_raise_nothing(tmp_path, engine):
    result = _check(tmp_path, 12.0, engine)
    assert not any(d.reason == MARKED_CLEAR for d in result.discrepancies)
    assert not any(d.is_alarm for d in result.discrepancies), [d.to_dict() for d in result.discrepancies]


def test_unsure_words_under_a_mark_are_not_candidates():
    def under_mark(p):
        return Discrepancy("d1", "omission", "cosmetic", "the official text marks this passage as [inaudible]",
                           1.0, 2.0, "Annabelle", 10, 10, "", (3, 4), (3, 3),
                           evidence={"official_gap": "[inaudible]", "mean_probability": p})

    assert candidates([under_mark(0.9)]) and not candidates([under_mark(0.3)])


def test_nothing_heard_under_a_mark_is_no_candidate():
    empty = Discrepancy("d1", "insertion", "cosmetic", "the official text marks this passage as [inaudible]",
                        1.0, 1.0, "", 10, 10, "", (3, 3), (3, 3), evidence={"official_gap": "[inaudible]"})
    assert not candidates([empty])


class LiftEngine:
    """Scores each text by a lift chosen per window start: a fake for the rule, not the recogniser."""

    def __init__(self, lifts):
        self.lifts = lifts

    def score(self, audio, requests):
        from transcheck.engines import ScoreResult

        return [ScoreResult(((0.0 if r.blank else self.lifts[round(r.start, 1)],),)) for r in requests]


def test_marked_words_must_lift_nearly_as_much_as_their_neighbours():
    from transcheck.audio import Audio
    from transcheck.marks import test_marks
    from transcheck.models import Token

    rec = [Token(w, w, float(k), float(k) + 0.8, 0.9) for k, w in enumerate("a b c d e f g".split())]
    d = Discrepancy("d1", "omission", "cosmetic", "the official text marks this passage as [inaudible]",
                    3.0, 3.8, "d", 10, 10, "", (3, 4), (3, 3),
                    evidence={"official_gap": "[inaudible]", "mean_probability": 0.9})
    audio = Audio("x.wav", "0" * 64, np.zeros(16000 * 8, dtype=np.float32), 16000, 1)
    starts = {"mark": 2.7, "before": 0.0, "after": 3.7}  # windows: heard words, 3 before, 3 after (PAD 0.3)

    def run(mark, neighbours):
        engine = LiftEngine({starts["mark"]: mark, starts["before"]: neighbours, starts["after"]: neighbours})
        return test_marks([d], rec, audio, engine)[0]

    assert run(7.0, 8.0).severity == "substantive"
    assert run(6.0, 10.0).severity == "cosmetic"  # clearly worse than the voice either side: noise
    assert run(5.0, 5.0).severity == "cosmetic"  # too little lift at all
