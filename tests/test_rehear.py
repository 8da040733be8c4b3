"""A second hearing of a garbled passage (transcheck/verify/rehear.py), with a fake recogniser."""

from __future__ import annotations

import numpy as np

from transcheck.audio import Audio
from transcheck.models import Discrepancy, Transcript, Word
from transcheck.normalize import normalize_official
from transcheck.sources import official_from_text
from transcheck.verify.rehear import rehear
from transcheck.verify.verdicts import Scene


class Hears:
    """Transcribes any piece of audio as the same words, one every 0.4 s."""

    def __init__(self, text: str) -> None:
        self.text = text

    def transcribe(self, audio, progress=None):
        words = tuple(Word(w, 0.4 * k, 0.4 * k + 0.3, 0.9) for k, w in enumerate(self.text.split()))
        return Transcript(words, audio.duration, "en", "fake", "fake", {})


def _rehear(heard_again: str):
    printed = "The committee did not approve the proposal to close the library today."
    official = official_from_text(printed)
    off = normalize_official(official)
    d = Discrepancy("d1", "rewording", "substantive", "changed", 1.0, 4.0, "the committee did", 0,
                    len(printed), printed, (0, 3), (0, len(off)))
    evidence = {"basis": "score margin", "window": [0.5, 5.0]}
    audio = Audio("x.wav", "0" * 64, np.zeros(16000 * 6, dtype=np.float32), 16000, 1)
    return rehear(d, evidence, off, official, Scene(audio, Hears(heard_again), 0.4, 0.1))


def test_a_second_hearing_that_hears_nothing_opens_nothing_and_keeps_the_verdict_evidence():
    evidence, opened = _rehear("")
    assert opened == [] and evidence["second_hearing"] == {"heard": "", "differences": []}
    assert evidence["basis"] == "score margin"


def test_a_second_hearing_of_the_printed_words_finds_no_difference_in_them():
    evidence, opened = _rehear("The committee did not approve the proposal to close the library today.")
    assert opened == [] and evidence["second_hearing"]["differences"] == []
    assert evidence["second_hearing"]["heard"].startswith("The committee did not approve")


def test_an_alarm_heard_again_as_nothing_keeps_its_verdict():
    from transcheck.verify.rehear import check_again
    from transcheck.verify.rules import Facts

    printed = "The committee did not approve the proposal to close the library today."
    official = official_from_text(printed)
    off = normalize_official(official)
    d = Discrepancy("d1", "rewording", "substantive", "changed", 1.0, 4.0, "the committee did", 0,
                    len(printed), printed, (0, 3), (0, len(off)))
    audio = Audio("x.wav", "0" * 64, np.zeros(16000 * 6, dtype=np.float32), 16000, 1)
    facts = Facts("rewording", margin=-12.0, words=3, probability=0.9)
    verdict, evidence = check_again(d, {"basis": "score margin", "window": [0.5, 5.0]}, facts, off, official,
                                    Scene(audio, Hears(""), 0.4, 0.1))
    assert verdict == "confirmed" and evidence["second_hearing"]["heard"] == ""
