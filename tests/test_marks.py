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
