"""A second hearing of a garbled passage (transcheck/verify/rehear.py), with a fake recogniser."""

from __future__ import annotations

import numpy as np

from transcheck.audio import Audio
from transcheck.models import Discrepancy, Transcript, Word
from transcheck.normalize import normalize_official, normalize_recording
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
    rec = normalize_recording(Hears("the committee did").transcribe(Audio("x.wav", "0" * 64, np.zeros(16000), 16000, 1)))
    verdict, evidence = check_again(d, {"basis": "score margin", "window": [0.5, 5.0]}, facts, rec, off, official,
                                    Scene(audio, Hears(""), 0.4, 0.1))
    assert verdict == "confirmed" and evidence["second_hearing"]["heard"] == ""


def _alarm_heard_again(said: str, heard_again: str):
    """An alarm that the scores would confirm ("pass in just pay $118" heard, "passengers pay 180
    dollars" printed), checked again against a second hearing of `heard_again`."""
    from helpers import SaidEngine
    from transcheck.verify.rehear import check_again
    from transcheck.verify.rules import Facts

    from transcheck.align import align_tokens
    from transcheck.classify import classify

    printed = "For the third, passengers pay 180 dollars, and anyone who cannot pay will still get a seat."
    official = official_from_text(printed)
    off = normalize_official(official)
    rec = normalize_recording(Hears("For the third pass in just pay $118 and anyone who cannot pay will still get "
                                    "a seat").transcribe(Audio("x.wav", "0" * 64, np.zeros(16000 * 8), 16000, 1)))
    (d,) = [x for x in classify(rec, off, align_tokens(rec, off), official) if x.severity == "substantive"]
    assert (d.rec_text, d.off_text) == ("pass in just pay $118", "passengers pay 180 dollars")
    audio = Audio("x.wav", "0" * 64, np.zeros(16000 * 8, dtype=np.float32), 16000, 1)

    def again(duration):
        return Transcript(tuple(Word(w, 0.4 * k, 0.4 * k + 0.3, 0.9) for k, w in enumerate(heard_again.split())),
                          duration, "en", "fake", "fake", {})

    facts = Facts("rewording", margin=-13.8, words=5, probability=0.76)
    return check_again(d, {"basis": "score margin", "rule": 17, "window": [0.5, 6.0]}, facts, rec, off, official,
                       Scene(audio, SaidEngine(said, again), 0.4, 0.1))


def test_an_alarm_heard_again_with_only_a_mishearing_left_is_a_recognition_error():
    # said as printed; the second time the recogniser hears "$180", and only "pass in just" is left
    said = "for the third passengers pay one hundred and eighty dollars and anyone who cannot pay will still get a seat"
    verdict, evidence = _alarm_heard_again(said, "For the third pass in just pay $180 and anyone who cannot pay")
    again = evidence["second_hearing"]
    assert [(x["heard"], x["printed"], x["verdict"]) for x in again["differences"]] == [
        ("pass in just", "passengers", "recognition-error")]
    assert verdict == "recognition-error" and evidence["basis"] == "heard again, only mishearings left"
    assert "only where the recogniser misheard" in evidence["sentence"]


def test_an_alarm_heard_again_with_the_changed_figure_still_there_stays_confirmed():
    # the publisher changed "118" to "180": heard again, the figure still differs and its own check confirms it
    said = ("for the third passengers pay one hundred and eighteen dollars and anyone who cannot pay will still "
            "get a seat")
    verdict, evidence = _alarm_heard_again(said, "For the third passengers pay $118 and anyone who cannot pay")
    again = evidence["second_hearing"]
    assert [(x["heard"], x["verdict"]) for x in again["differences"]] == [("$118", "confirmed")]
    assert verdict == "confirmed" and evidence["basis"] == "score margin"


def test_an_alarm_whose_second_hearing_the_recogniser_cannot_follow_keeps_its_verdict():
    said = "for the third passengers pay one hundred and eighty dollars and anyone who cannot pay will still get a seat"
    verdict, evidence = _alarm_heard_again(said, "Gloop the fardle snib passed in whorl pay $180 vlim and noggin")
    assert {x["basis"] for x in evidence["second_hearing"]["differences"]} >= {"the recogniser cannot follow this audio"}
    assert verdict == "confirmed" and evidence["basis"] == "score margin"


def test_an_alarm_heard_the_same_way_again_keeps_its_verdict():
    # the same words heard twice are the same evidence, whatever the table makes of the words beside
    # them the second time (the sonnet's "tender churro makes", merged then with "by" for "thy")
    said = "for the third passengers pay one hundred and eighty dollars and anyone who cannot pay will still get a seat"
    verdict, evidence = _alarm_heard_again(said, "For the third pass in just pay $118 and anyone who cannot pay")
    assert [x["verdict"] for x in evidence["second_hearing"]["differences"]] == ["recognition-error"]
    assert verdict == "confirmed" and evidence["basis"] == "score margin"
