"""Coverage: recording stretches the transcript does not print, printed stretches with no audio,
and the boundary between coverage and a dropped final answer."""

from __future__ import annotations

from transcheck.coverage import AFTER_RECORDING, AFTER_TRANSCRIPT, BEFORE_RECORDING, BEFORE_TRANSCRIPT
from transcheck.models import Transcript, Word
from transcheck.options import CheckOptions
from transcheck.pipeline import compared
from transcheck.sources import official_from_text

BRIEFING = ("Good afternoon and thank you for coming. The ministry has sent three convoys of food to the "
            "northern province this week. Each convoy carried enough flour for ten thousand families. "
            "We expect the road to reopen on Monday, and the next convoy will leave on Tuesday.")
CHATTER = ("We are still waiting for the spokesperson to arrive. The room is full today. "
           "Somebody said the car is stuck in traffic near the bridge.")
QUESTION = "QUESTION: When will the road reopen, and who decided to close it?"
ANSWER = ("The road will reopen on Monday. The governor closed it after the floods, on the advice "
          "of the engineers who inspected the bridge.")


def heard(*pieces: tuple[str, float], step: float = 0.4, tail: float = 1.0) -> Transcript:
    """Words of each (text, pause before it in seconds) piece, one every `step` seconds."""
    words, t = [], 0.0
    for text, pause in pieces:
        t += pause
        for token in text.split():
            words.append(Word(token, round(t, 3), round(t + step * 0.8, 3), 0.9))
            t += step
    return Transcript(tuple(words), round(t + tail, 3), "en", "fake", "fake", {})


def check(transcript: Transcript, printed: str):
    return compared(official_from_text(printed), transcript, CheckOptions())


def test_faithful_briefing_has_no_coverage():
    c = check(heard((BRIEFING, 0.0)), BRIEFING)
    assert c.coverage.recording == () and c.coverage.official == () and c.found == ()


def test_chatter_before_the_briefing_is_coverage_not_a_rewording():
    c = check(heard((CHATTER, 0.0), (BRIEFING, 3.0)), BRIEFING)
    (stretch,) = c.coverage.recording
    assert stretch.reason == BEFORE_TRANSCRIPT and stretch.start == 0.0
    assert stretch.words == len(CHATTER.split()) and stretch.text.startswith("We are still waiting")
    assert c.found == ()


def test_chatter_running_into_the_briefing_after_a_short_pause_is_still_coverage():
    """ "...once the cameras are ready. Good morning.": talk before a briefing often runs straight into
    it; Whisper heard 0.68 s between them in the sixth round of synthetic briefings."""
    c = check(heard((CHATTER, 0.0), (BRIEFING, 0.6)), BRIEFING)
    (stretch,) = c.coverage.recording
    assert stretch.reason == BEFORE_TRANSCRIPT and c.found == ()


def test_an_opening_the_transcript_drops_is_an_omission_even_after_a_pause():
    """The same pause, but the speech before it is about the convoys: the publisher dropped it."""
    opening = "The convoys of food for the northern province were late again this week, the ministry says."
    c = check(heard((opening, 0.0), (BRIEFING, 0.6)), BRIEFING)
    assert c.coverage.recording == ()
    assert [d.kind for d in c.found if d.severity == "substantive"] == ["omission"]


def test_speech_after_the_transcript_ends_is_coverage():
    c = check(heard((BRIEFING, 0.0), (CHATTER, 2.5)), BRIEFING)
    (stretch,) = c.coverage.recording
    assert stretch.reason == AFTER_TRANSCRIPT and stretch.words == len(CHATTER.split())
    assert c.found == ()


def test_a_dropped_final_answer_is_an_omission_not_coverage():
    """The printed text ends with a question: the speech after it is its answer, dropped."""
    printed = f"{BRIEFING}\n\n{QUESTION}"
    said = QUESTION.split(":", 1)[1]
    c = check(heard((BRIEFING, 0.0), (said, 1.0), (ANSWER, 2.5)), printed)
    assert c.coverage.recording == ()
    (d,) = c.found
    assert d.kind == "omission" and d.severity == "substantive" and d.rec_text.startswith("The road will reopen")


def test_speech_running_on_mid_sentence_is_an_omission_not_coverage():
    """No pause after the last printed words: the transcript was cut, not the briefing over."""
    c = check(heard((BRIEFING, 0.0), (ANSWER, 0.0)), BRIEFING)
    assert c.coverage.recording == ()
    assert [d.kind for d in c.found] == ["omission"]


def test_a_short_stretch_after_the_end_stays_an_ordinary_discrepancy():
    c = check(heard((BRIEFING, 0.0), ("Thank you all.", 2.0)), BRIEFING)
    assert c.coverage.recording == ()
    assert [d.kind for d in c.found] == ["omission"]


def test_printed_words_after_the_recording_ends_are_coverage():
    first = BRIEFING.split(". ")
    said = ". ".join(first[:3]) + "."
    c = check(heard((said, 0.0), tail=0.3), BRIEFING)
    (stretch,) = c.coverage.official
    assert stretch.reason == AFTER_RECORDING and stretch.text.startswith("We expect the road")
    assert c.found == ()


def test_printed_words_the_audio_had_room_for_are_an_insertion():
    first = BRIEFING.split(". ")
    said = ". ".join(first[:3]) + "."
    c = check(heard((said, 0.0), tail=30.0), BRIEFING)
    assert c.coverage.official == ()
    assert [d.kind for d in c.found] == ["insertion"]


def test_printed_words_before_the_recording_begins_are_coverage():
    parts = BRIEFING.split(". ")
    said = ". ".join(parts[2:])
    c = check(heard((said, 0.2)), BRIEFING)
    (stretch,) = c.coverage.official
    assert stretch.reason == BEFORE_RECORDING and stretch.text.startswith("Good afternoon")
    assert c.found == ()


def test_partial_coverage_both_ways():
    """The feed starts early and stops early: chatter before, printed words after."""
    parts = BRIEFING.split(". ")
    said = ". ".join(parts[:3]) + "."
    c = check(heard((CHATTER, 0.0), (said, 2.0), tail=0.2), BRIEFING)
    assert [s.reason for s in c.coverage.recording] == [BEFORE_TRANSCRIPT]
    assert [s.reason for s in c.coverage.official] == [AFTER_RECORDING]
    assert c.found == ()


def test_coverage_words_are_left_out_of_the_faithful_share():
    from transcheck.classify import summarize

    c = check(heard((CHATTER, 0.0), (BRIEFING, 3.0)), BRIEFING)
    alone = check(heard((BRIEFING, 0.0)), BRIEFING)
    s = summarize(c.rec, c.off, c.ops, c.found, c.coverage)
    assert s["faithful_share"] == 1.0 and s["recorded_words"] == len(alone.rec)
    assert s["coverage"]["recording_words"] == len(CHATTER.split())


def test_a_span_too_long_to_score_is_never_confirmed():
    """An omission longer than the scoring window is not 'confirmed by the audio' on word probability."""
    import numpy as np

    from transcheck.audio import Audio
    from transcheck.verify.plans import WINDOW, plan_for
    from transcheck.verify.verdicts import Scene, judge

    said = " ".join(f"word{i}." if i % 8 == 7 else f"word{i}" for i in range(120))
    printed = "word0 word1 word2"
    c = check(heard((said, 0.0)), printed)
    (d,) = [x for x in c.found if x.kind == "omission"]
    assert d.rec_end - d.rec_start > WINDOW and d.evidence["mean_probability"] >= 0.7
    audio = Audio("x.wav", "0" * 64, np.zeros(16000 * 60, dtype=np.float32), 16000, 1)
    verdicts = judge([plan_for(d, c.rec, c.off)], c.rec, c.off, Scene(audio, None, 0.4, 1.0))
    verdict, evidence = verdicts[d.id]
    assert verdict == "uncertain" and "not scored" in evidence["basis"]


def test_the_first_word_heard_stays_with_the_briefing_when_the_recording_starts_late():
    """'Your' heard first also appears in the uncovered printed part: it must stay matched."""
    opening = ("And so, my fellow Americans, ask not what your country can do for you, ask what you can "
               "do for your country.")
    printed = f"{opening}\n\n{BRIEFING.replace('Good afternoon', 'Your afternoon', 1)}"
    c = check(heard((BRIEFING.replace('Good afternoon', 'Your afternoon', 1), 0.1)), printed)
    (stretch,) = c.coverage.official
    assert stretch.reason == BEFORE_RECORDING and stretch.text.endswith("do for your country")
    assert c.found == ()


def test_more_of_the_briefing_after_a_pause_is_an_omission_not_coverage():
    """A clean pause, but the speech goes on about the convoys: a dropped last passage, not post-roll."""
    more = ("The convoys of flour will reach the northern province again next week, and the ministry "
            "expects the families there to have enough food.")
    c = check(heard((BRIEFING, 0.0), (more, 2.5)), BRIEFING)
    assert c.coverage.recording == ()
    assert [d.kind for d in c.found] == ["omission"]
