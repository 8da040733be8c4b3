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


class _SkippingEngine:
    """A fake recogniser that skips long stretches: a piece of more than 12 s gives one word at its
    very end (as tiny.en gave "We'll see you next time." after 23 s of speech); a shorter one a word
    a second. The audio's samples hold the recording's clock, so each piece knows where it lies."""

    options = CheckOptions()  # as an engine's options: .decode

    def __init__(self) -> None:
        self.heard: list[tuple[float, float]] = []

    def transcribe(self, piece, progress=None):
        start, length = float(piece.samples[0]), piece.duration
        self.heard.append((round(start, 1), round(start + length, 1)))
        if length > 12:
            words = (Word("time.", round(length - 0.4, 2), round(length - 0.1, 2), 0.5),)
        else:
            words = tuple(Word(f"w{start + k:.0f}", k + 0.2, k + 0.7, 0.9) for k in range(int(length)))
        return Transcript(words, length, "en", "fake", "fake", {})


def test_a_long_stretch_heard_only_in_part_is_heard_again_in_pieces(monkeypatch):
    import numpy as np

    from transcheck import unheard
    from transcheck.audio import Audio

    rate = 1000
    audio = Audio("x.wav", "0" * 64, (np.arange(40 * rate) / rate).astype(np.float32), rate, 1)
    monkeypatch.setattr(unheard, "speech_spans", lambda a: [(0.0, 23.5), (24.0, 40.0)])
    heard = Transcript(tuple(Word(f"h{k}", k + 0.1, k + 0.6, 0.9) for k in range(24, 40)), 40.0, "en", "fake", "fake", {})
    engine = _SkippingEngine()
    again = hear_unheard(audio, engine, heard)
    # heard whole, the stretch gave one word at its end; what it left was heard again in pieces of at
    # about 10 s or less, which brought back a word for every second of it
    assert engine.heard[0] == (0.0, 23.5) and len(engine.heard) >= 3
    assert all(b - a <= 12 for a, b in engine.heard[1:])
    early = [w for w in again.words if w.start < 23.5]
    assert len(early) >= 20 and early[-1].text == "time."
    assert again.unrecognised == ()


def test_a_stretch_still_without_words_is_unrecognised(monkeypatch):
    import numpy as np

    from transcheck import unheard
    from transcheck.audio import Audio

    class Deaf(_SkippingEngine):
        def transcribe(self, piece, progress=None):
            super().transcribe(piece)
            return Transcript((), piece.duration, "en", "fake", "fake", {})

    rate = 1000
    audio = Audio("x.wav", "0" * 64, (np.arange(30 * rate) / rate).astype(np.float32), rate, 1)
    monkeypatch.setattr(unheard, "speech_spans", lambda a: [(1.0, 25.0)])
    engine = Deaf()
    again = hear_unheard(audio, engine, Transcript((), 30.0, "en", "fake", "fake", {}))
    assert engine.heard[0] == (1.0, 25.0) and len(engine.heard) > 1  # whole, then in pieces
    assert again.words == () and again.unrecognised == ((1.0, 25.0),)
