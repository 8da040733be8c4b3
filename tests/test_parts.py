"""A passage the scores put down to the recogniser, checked part by part (transcheck/verify/parts.py):
a word the recogniser dropped ("percent") must not hide a figure the publisher changed beside it.
The recogniser is a fake that scores wordings against what was said, word by word."""

from __future__ import annotations

import numpy as np

from transcheck.align import align_tokens
from transcheck.audio import Audio
from transcheck.classify import classify
from transcheck.models import Transcript, Word
from transcheck.normalize import normalize_official, normalize_recording
from transcheck.sources import official_from_text
from transcheck.verify import verify
from transcheck.verify.parts import check_parts, split
from transcheck.verify.verdicts import Scene

from helpers import SaidEngine

SAID = "the tax on cooking gas falls from fifteen to twelve point five percent in april next year"
HEARD = "The tax on cooking gas falls from 15 to 12.5 in April next year."


def _heard(duration: float, unsure: str = "") -> Transcript:  # the first hearing, and any second one
    words = tuple(Word(w, 0.5 + 0.4 * k, 0.5 + 0.4 * k + 0.3, 0.5 if w == unsure else 0.95)
                  for k, w in enumerate(HEARD.split()))
    return Transcript(words, duration, "en", "fake", "fake", {})


def _passage(printed: str, unsure: str = ""):
    official = official_from_text(printed)
    off = normalize_official(official)
    audio = Audio("x.wav", "0" * 64, np.zeros(16000 * 8, dtype=np.float32), 16000, 1)
    rec = normalize_recording(_heard(audio.duration, unsure))
    found = [d for d in classify(rec, off, align_tokens(rec, off), official) if d.severity == "substantive"]
    return official, off, rec, audio, found


def _parts(printed: str, unsure: str):
    """check_parts on the one passage between HEARD (the word `unsure` heard at 0.5) and `printed`."""
    official, off, rec, audio, found = _passage(printed, unsure)
    (d,) = found
    scene = Scene(audio, SaidEngine(SAID, _heard), 0.4, 0.1)
    return check_parts(d, {"basis": "score margin", "window": [2.0, 5.8]}, rec, off, official, scene)


def test_a_changed_figure_beside_a_dropped_word_is_a_candidate_of_its_own():
    printed = "The tax on cooking gas falls from 16 to 12.5 percent in April next year."
    official, off, rec, audio, found = _passage(printed)
    (d,) = found  # "15 to 12.5" heard, "16 to 12.5 percent" printed: one passage
    assert d.rec_text == "15 to 12.5" and d.off_text == "16 to 12.5 percent"
    parts = split(d, rec, off, official)[0]
    assert [(s.rec_text, s.off_text) for s in parts] == [("15", "16"), ("12.5", "12.5 percent")]

    (checked,) = verify(found, rec, off, audio, SaidEngine(SAID, _heard), official)[:1]
    # as a whole, the printed passage fits what was said better: the heard one leaves out "percent"
    assert checked.verdict == "recognition-error"
    ev = checked.evidence["verification"]
    assert ev["basis"] == "score margin" and ev["margin"] > 0
    assert [(p["printed"], p["verdict"]) for p in ev["parts"]] == [("16", "confirmed"), ("12.5 percent", "recognition-error")]
    opened = verify(found, rec, off, audio, SaidEngine(SAID, _heard), official)[1:]
    assert [(o.id, o.rec_text, o.off_text, o.verdict) for o in opened] == [("d1.1", "15", "16", "confirmed")]
    assert opened[0].evidence["verification"]["opened_by"] == "d1"
    assert opened[0].off_start == printed.index("16") and rec[opened[0].rec_tokens[0]].text == "15"


def test_a_passage_whose_parts_are_all_misheard_opens_nothing():
    printed = "The tax on cooking gas falls from 15 to 12.5 percent in April next year."
    official, off, rec, audio, found = _passage(printed)
    assert [(d.rec_text, d.off_text) for d in found] == [("12.5", "12.5 percent")]  # one part: nothing to split
    out = verify(found, rec, off, audio, SaidEngine(SAID, _heard), official)
    assert len(out) == 1 and out[0].verdict == "recognition-error" and "parts" not in out[0].evidence["verification"]


def test_a_part_the_audio_leaves_uncertain_is_not_opened():
    # the same changed figure, but "15" heard at word probability 0.5: the part alone is a guess, and
    # the passage's printed words fit the audio; nothing overturns that
    printed = "The tax on cooking gas falls from 16 to 12.5 percent in April next year."
    evidence, opened = _parts(printed, unsure="15")
    assert [(p["printed"], p["verdict"], p["basis"]) for p in evidence["parts"]] == [
        ("16", "uncertain", "unsure hearing"), ("12.5 percent", "recognition-error", "score margin")]
    assert opened == [] and not any("opened" in p for p in evidence["parts"])


def test_a_confirmed_part_beside_a_part_the_audio_does_not_settle_is_not_opened():
    # "April" heard unsure where "May" is printed: that part is a guess, so the passage is no clear
    # hearing but for "15", and "15" for "16" is not opened either (noise: a printed "Two" swallowed
    # by a garble beside it was confirmed by its timing)
    printed = "The tax on cooking gas falls from 16 to 12.5 percent in May next year."
    evidence, opened = _parts(printed, unsure="April")
    assert [(p["printed"], p["verdict"]) for p in evidence["parts"]] == [
        ("16", "confirmed"), ("12.5 percent", "recognition-error"), ("May", "uncertain")]
    assert opened == []


def test_a_part_the_recogniser_cannot_follow_makes_the_passage_a_garble_only_where_it_made_words_up():
    from transcheck.models import NOT_FOLLOWED, Discrepancy
    from transcheck.verify.parts import _garbled

    def part(heard: str, printed: str) -> Discrepancy:
        return Discrepancy("d1", "rewording", "substantive", "content words", 0.0, 1.0, heard, 0, 9, printed,
                           (0, 1), (0, 1))

    lost = {"basis": NOT_FOLLOWED}
    # reverb: "We ask him" for "We're asking" confirmed beside these; it must not be opened
    assert _garbled(part("took a long day at 50 days", "drove along the A58"), lost)
    # "15" for "16" beside a dropped "percent": the recogniser only fell short of a printed word
    assert not _garbled(part("12.5", "12.5 percent"), lost)
    assert not _garbled(part("took a long day", "drove along"), {"basis": "score margin"})
