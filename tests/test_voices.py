"""The real model on synthetic voices (espeak-ng): printed words where nobody speaks, names misheard."""

import shutil

import pytest

from benchmarks.voices import Turn, synthesise, transcript_text
from transcheck.cache import TranscriptCache
from transcheck.options import CheckOptions
from transcheck.pipeline import check

pytestmark = [pytest.mark.model,
              pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")]

LINES = ("The morning was cold and clear.", "We walked down to the river.",
         "The water was high after the rain.", "Then we went home for breakfast.")
POEM = tuple(Turn("", "en-us", line, rate=150, pause=1.8) for line in LINES)


def checked(tmp_path, cache_dir, engine, turns, printed):
    audio, official = tmp_path / "reading.wav", tmp_path / "official.txt"
    synthesise(turns, audio)
    official.write_text(printed, encoding="utf-8")
    return check(str(audio), str(official), CheckOptions(), cache=TranscriptCache(cache_dir), engine=engine)


def test_a_line_printed_where_the_reader_pauses_is_a_confirmed_insertion(tmp_path, session_cache_dir, engine):
    inserted = "Our mayor promised a new bridge by the spring."
    printed = "\n".join((*LINES[:2], inserted, *LINES[2:])) + "\n"
    result = checked(tmp_path, session_cache_dir, engine, POEM, printed)
    (d,) = [d for d in result.discrepancies if "bridge" in d.off_text]
    assert d.kind == "insertion"
    check_ = d.evidence["verification"]
    assert d.verdict == "confirmed" and check_["basis"] == "nobody speaks", check_
    assert check_["speech_share"] < 0.1 and "Nobody speaks" in check_["sentence"]


def test_the_faithful_reading_raises_no_confirmed_alarm(tmp_path, session_cache_dir, engine):
    result = checked(tmp_path, session_cache_dir, engine, POEM, transcript_text(POEM))
    assert not [d for d in result.discrepancies if d.verdict == "confirmed"]


def test_a_name_misheard_is_not_confirmed(tmp_path, session_cache_dir, engine):
    turns = (Turn("MODERATOR", "en-us+m3", "Good afternoon. With us today is our spokesperson, Amina Okafor. "
                  "She will take questions after a short statement."),)
    result = checked(tmp_path, session_cache_dir, engine, turns, transcript_text(turns))
    names = [d for d in result.discrepancies if "Okafor" in d.off_text]
    assert all(d.verdict != "confirmed" for d in names)
    for d in names:
        if d.severity == "substantive":
            assert d.evidence["verification"]["sentence"]


def test_talk_before_the_briefing_starts_is_coverage_not_a_confirmed_omission(tmp_path, session_cache_dir, engine):
    """The sixth held-out round: "Right, we will start in a minute, once the cameras are ready." runs
    into "Good morning" after 0.7 s, and no transcript prints it."""
    from transcheck.coverage import BEFORE_TRANSCRIPT

    turns = (Turn("SPOKESPERSON", "en-us+m2", "{Is this on? Can you hear me at the back? Right, we will start in a "
                                              "minute, once the cameras are ready.}"),
             Turn("SPOKESPERSON", "en-us+m2", "Good morning. The ministry has sent three convoys of food to the "
                                              "northern province this week. Each convoy carried enough flour "
                                              "for ten thousand families, and the road reopens on Monday."))
    printed = transcript_text(turns)
    assert printed.startswith("SPOKESPERSON: Good morning.")  # the talk before it is not printed
    result = checked(tmp_path, session_cache_dir, engine, turns, printed)
    assert [s.reason for s in result.coverage.recording] == [BEFORE_TRANSCRIPT]
    assert not [d for d in result.discrepancies if d.verdict == "confirmed"]
