"""Speech that was not transcribed: found by the voice-activity detector, heard again on its own;
what still gives nothing is coverage, and printed words over it are unverifiable."""

from __future__ import annotations

from dataclasses import replace

import pytest

from transcheck.coverage import NOT_RECOGNISED, OVER_UNRECOGNISED, Coverage, over_unrecognised
from transcheck.models import Transcript, Word
from transcheck.options import CheckOptions
from transcheck.pipeline import compared
from transcheck.sources import official_from_text
from transcheck.unheard import hear_unheard, without_words


def test_speech_no_word_covers_is_found():
    words = [Word("a", 1.0, 1.5, 0.9), Word("b", 9.0, 9.4, 0.9)]
    assert without_words([(0.5, 12.0)], words) == [(1.8, 8.7), (9.7, 12.0)]
    assert without_words([(0.5, 2.0)], words) == []  # too short to hear again


def test_printed_words_over_unrecognised_speech_are_unverifiable_not_insertions():
    printed = ("Good afternoon. The council met today. QUESTION: Quand la route sera-t-elle rouverte? "
               "When will the road reopen? ANSWER: The road will reopen on Monday morning.")
    said = "Good afternoon. The council met today. The road will reopen on Monday morning."
    words = []
    t = 0.0
    for n, token in enumerate(said.split()):
        if n == 6:
            t += 8.0  # the question and its interpretation, with no words heard
        words.append(Word(token, round(t, 2), round(t + 0.3, 2), 0.9))
        t += 0.4
    transcript = Transcript(tuple(words), t + 1, "en", "fake", "fake", {}, unrecognised=((2.6, 10.4),))
    c = compared(official_from_text(printed), transcript, CheckOptions())
    assert all(d.kind != "insertion" for d in c.found), c.found
    assert [s.reason for s in c.coverage.recording] == [NOT_RECOGNISED]
    (over,) = c.coverage.official
    assert over.reason == OVER_UNRECOGNISED and "When will the road reopen" in over.text


def test_nothing_changes_without_unrecognised_speech():
    found, cov = over_unrecognised([], [], [], official_from_text("x"), Coverage(), ())
    assert found == [] and cov == Coverage()


@pytest.mark.model
def test_skipped_speech_is_heard_again_with_the_real_model(shared_speech, engine):
    from transcheck.audio import load_audio
    from transcheck.pipeline import _transcribe_in_pieces

    audio = load_audio(next((shared_speech / "jfk_inaugural_excerpt").glob("*.flac")))
    full = _transcribe_in_pieces(audio, engine, None)
    skipped = replace(full, words=tuple(w for w in full.words if w.start >= 5.0))  # as if 0-5 s were skipped
    again = hear_unheard(audio, engine, skipped)
    early = " ".join(w.text for w in again.words if w.start < 5.0).lower()
    assert "fellow americans" in early, early
    assert again.unrecognised == ()
