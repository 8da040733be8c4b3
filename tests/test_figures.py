"""Each printed figure of a passage put down to the recogniser, checked on its own among the printed
words (transcheck/verify/figures.py): "15" heard where "16 percent" is printed, the unit dropped, must
not hide the changed figure behind the whole passage's verdict. The recogniser is a fake that scores
wordings against what was said, word by word."""

from __future__ import annotations

import numpy as np

from transcheck.align import align_tokens
from transcheck.audio import Audio
from transcheck.classify import classify
from transcheck.models import Transcript, Word
from transcheck.normalize import normalize_official, normalize_recording
from transcheck.sources import official_from_text
from transcheck.verify import verify
from transcheck.verify.figures import check_figures, pairs
from transcheck.verify.verdicts import Scene

from helpers import SaidEngine

SAID = "the tax on cooking gas falls from fifteen percent in april next year"


def _passage(heard: str, printed: str, unsure: str = ""):
    """The one substantive passage between `heard` (the word `unsure` heard at 0.5) and `printed`."""
    official = official_from_text(printed)
    off = normalize_official(official)
    audio = Audio("x.wav", "0" * 64, np.zeros(16000 * 8, dtype=np.float32), 16000, 1)
    words = tuple(Word(w, 0.5 + 0.4 * k, 0.8 + 0.4 * k, 0.5 if w == unsure else 0.95)
                  for k, w in enumerate(heard.split()))
    rec = normalize_recording(Transcript(words, audio.duration, "en", "fake", "fake", {}))
    (d,) = [d for d in classify(rec, off, align_tokens(rec, off), official) if d.severity == "substantive"]
    return official, off, rec, audio, d


def test_the_printed_unit_is_kept_and_only_the_figure_swapped():
    official, off, rec, audio, d = _passage("The tax on cooking gas falls from 15 in April next year.",
                                            "The tax on cooking gas falls from 16 percent in April next year.")
    assert (d.rec_text, d.off_text) == ("15", "16 percent")  # one difference: nothing for parts.py to split
    ((j, i, form),) = pairs(d, rec, off)
    assert (off[j].text, rec[i].text, form) == ("16 percent", "15", "15%")


def test_a_changed_figure_beside_a_dropped_unit_is_a_candidate_of_its_own():
    printed = "The tax on cooking gas falls from 16 percent in April next year."
    official, off, rec, audio, d = _passage("The tax on cooking gas falls from 15 in April next year.", printed)
    checked, *opened = verify([d], rec, off, audio, SaidEngine(SAID), official)
    # as a whole, the printed passage fits what was said better: the heard one leaves out "percent"
    ev = checked.evidence["verification"]
    assert checked.verdict == "recognition-error" and ev["basis"] == "score margin" and ev["margin"] > 0
    # among the printed words, "15 percent" fits and "16 percent" does not
    ((figure),) = ev["figures"]
    assert (figure["heard"], figure["printed"], figure["verdict"], figure["opened"]) == ("15", "16 percent", "confirmed", "d1.1")
    assert figure["margin"] < -5
    assert [(o.id, o.rec_text, o.off_text, o.verdict) for o in opened] == [("d1.1", "15", "16 percent", "confirmed")]
    assert opened[0].off_start == printed.index("16") and opened[0].evidence["verification"]["opened_by"] == "d1"
    assert "The recording clearly says" in opened[0].evidence["verification"]["sentence"]


def test_a_figure_misheard_where_the_printed_one_was_said_opens_nothing():
    official, off, rec, audio, d = _passage("The tax on cooking gas falls from 50 percent in April next year.",
                                            "The tax on cooking gas falls from 15 percent in April next year.")
    checked, *opened = verify([d], rec, off, audio, SaidEngine(SAID), official)
    assert opened == []
    ((figure),) = checked.evidence["verification"]["figures"]
    assert figure["verdict"] == "recognition-error" and figure["margin"] > 0 and "opened" not in figure


def test_a_figure_heard_unsure_is_opened_as_uncertain():
    # among the printed words "15" fits, but the recogniser was guessing at it (0.5): the table leaves
    # it uncertain, and a figure the audio may contradict is opened for the reader to listen to
    official, off, rec, audio, d = _passage("The tax on cooking gas falls from 15 in April next year.",
                                            "The tax on cooking gas falls from 16 percent in April next year.",
                                            unsure="15")
    scene = Scene(audio, SaidEngine(SAID), 0.4, 0.1)
    evidence, opened = check_figures(d, {"basis": "score margin", "window": [0.3, 5.5]}, rec, off, official, scene)
    assert [(f["verdict"], f["basis"], f["opened"]) for f in evidence["figures"]] == [("uncertain", "unsure hearing", "d1.1")]
    assert [(o.rec_text, o.off_text, o.verdict) for o in opened] == [("15", "16 percent", "uncertain")]
    assert "unsure" in opened[0].evidence["verification"]["sentence"]


def test_the_best_supported_heard_figure_is_the_one_opened():
    # two figures heard, "15" and "50", where "16 percent" is printed and "fifteen percent" was said:
    # both are scored; "50 percent" fits no better than the printed "16 percent", "15 percent" does
    official, off, rec, audio, d = _passage("The tax on cooking gas falls from 15 50 in April next year.",
                                            "The tax on cooking gas falls from 16 percent in April next year.")
    scene = Scene(audio, SaidEngine(SAID), 0.4, 0.1)
    evidence, opened = check_figures(d, {"basis": "score margin", "window": [0.3, 5.5]}, rec, off, official, scene)
    assert [(f["heard"], f["verdict"], "opened" in f) for f in evidence["figures"]] == [
        ("15", "confirmed", True), ("50", "recognition-error", False)]
    assert [o.rec_text for o in opened] == ["15"]


def test_only_a_passage_put_down_on_its_scores_is_checked():
    official, off, rec, audio, d = _passage("The tax on cooking gas falls from 15 in April next year.",
                                            "The tax on cooking gas falls from 16 percent in April next year.")
    from transcheck.verify.figures import worth_checking
    assert worth_checking(d, "recognition-error", {"basis": "score margin", "window": [0.3, 5.5]})
    assert worth_checking(d, "recognition-error", {"basis": "the recogniser cannot follow this audio",
                                                   "window": [0.3, 5.5]})
    assert not worth_checking(d, "recognition-error", {"basis": "sounds like the printed words, heard unsure",
                                                       "window": [0.3, 5.5]})
    assert not worth_checking(d, "uncertain", {"basis": "score margin", "window": [0.3, 5.5]})


def test_a_passage_without_a_changed_figure_is_not_scored_again():
    official, off, rec, audio, d = _passage("The tax on cooking gas falls from fifteen per cent in April next year.",
                                            "The tax on cooking gas falls from 15 percent in April this year.")
    assert pairs(d, rec, off) == []
    evidence, opened = check_figures(d, {"basis": "score margin", "window": [0.3, 5.5]}, rec, off, official,
                                     Scene(audio, SaidEngine(SAID), 0.4, 0.1))
    assert opened == [] and "figures" not in evidence


def test_a_figure_in_a_window_the_recogniser_does_not_follow_by_its_own_words_is_weighed_too():
    # "Hook seems made it in 11" heard for "Her teams vaccinated children in eleven": its own words fit
    # the window poorly, so
    # the passage is row 4's; among the printed words the window is followed, and "11" fits, "twelve" not
    said = "her teams vaccinated children in eleven days most of them"
    official, off, rec, audio, d = _passage("Hook seems made it in 11 days most of them.",
                                            "Her teams vaccinated children in twelve days most of them.")
    checked, *opened = verify([d], rec, off, audio, SaidEngine(said), official)
    assert checked.evidence["verification"]["basis"] == "the recogniser cannot follow this audio"
    assert [(o.rec_text, o.off_text, o.verdict) for o in opened] == [("11", "twelve", "confirmed")]
