"""Acoustic verification with the real model: real edits are confirmed, mishearings are not."""

import pytest

from transcheck.cache import TranscriptCache
from transcheck.options import CheckOptions
from transcheck.pipeline import check

pytestmark = [pytest.mark.model, pytest.mark.shared]

JFK = ("And so, my fellow Americans, ask not what your country can do for you, "
       "ask what you can do for your country.")


def run(shared_speech, folder, audio, text, tmp_path, cache_dir, engine, **options):
    official = tmp_path / "official.txt"
    official.write_text(text, encoding="utf-8")
    return check(str(shared_speech / folder / audio), str(official), CheckOptions(**options),
                 cache=TranscriptCache(cache_dir), engine=engine)


def substantive(result):
    return [d for d in result.discrepancies if d.severity == "substantive"]


@pytest.mark.parametrize("printed,kind", [
    (JFK.replace("ask not what", "ask what"), "omission"),
    (JFK.replace("for you,", "for you and for the world,"), "insertion"),
    (JFK.replace("my fellow Americans", "my dear friends"), "rewording"),
])
def test_real_edits_on_clear_speech_are_confirmed(shared_speech, tmp_path, session_cache_dir, engine, printed, kind):
    result = run(shared_speech, "jfk_inaugural_excerpt", "jfk.flac", printed, tmp_path, session_cache_dir, engine)
    (d,) = substantive(result)
    assert d.kind == kind and d.verdict == "confirmed"
    scores = d.evidence["verification"]
    assert scores["margin"] < 0 and scores["heard_logprob"] > scores["official_logprob"]


def test_faithful_text_is_not_edited(shared_speech, tmp_path, session_cache_dir, engine):
    result = run(shared_speech, "jfk_inaugural_excerpt", "jfk.flac", JFK, tmp_path, session_cache_dir, engine)
    assert [d for d in result.discrepancies if d.is_alarm] == []


def test_archaic_words_misheard_are_recognition_errors(shared_speech, tmp_path, session_cache_dir, engine):
    folder = shared_speech / "librivox_shakespeare_sonnet001"
    text = (folder / "transcript.txt").read_text(encoding="utf-8")
    result = run(shared_speech, folder.name, "sonnet001.mp3", text, tmp_path, session_cache_dir, engine)
    verdicts = [d.verdict for d in substantive(result)]
    assert verdicts, "tiny.en is expected to mishear some of the sonnet"
    # all but "churl mak'st" (heard "churro makes"), which the audio does not settle for tiny.en
    assert verdicts.count("recognition-error") >= len(verdicts) - 1


def test_verification_can_be_switched_off(shared_speech, tmp_path, session_cache_dir, engine):
    printed = JFK.replace("ask not what", "ask what")
    result = run(shared_speech, "jfk_inaugural_excerpt", "jfk.flac", printed, tmp_path, session_cache_dir, engine,
                 verify=False)
    assert all(d.verdict is None for d in result.discrepancies) and "verify" not in result.timings


def test_insertion_without_room_in_the_audio_is_confirmed(shared_speech, tmp_path, session_cache_dir, engine):
    printed = JFK.replace("ask not what", "ask not, now and for ever, in peace and in war, what")
    result = run(shared_speech, "jfk_inaugural_excerpt", "jfk.flac", printed, tmp_path, session_cache_dir, engine)
    (d,) = substantive(result)
    scores = d.evidence["verification"]
    assert d.kind == "insertion" and d.verdict == "confirmed"
    assert scores["room_seconds"] < scores["needed_seconds"]


def test_an_edit_hidden_in_a_passage_the_recogniser_skipped_is_found_on_a_second_hearing(
        shared_speech, tmp_path, session_cache_dir, engine):
    # tiny.en, transcribing the whole reading, hears "Robbie" for "huts and date palms. It was about
    # twenty-two fifty B.C., when the great Hammurabi": the printed words fit the audio far better,
    # so that passage is a recognition error, and a changed date inside it would hide behind it
    folder = shared_speech / "ljspeech_seven_wonders_reading"
    text = (folder / "transcript.txt").read_text(encoding="utf-8")

    def passages(printed):
        result = run(shared_speech, folder.name, "linda_johnson_02.flac", printed, tmp_path, session_cache_dir, engine)
        found = substantive(result)
        passage = next((d for d in found if "Hammurabi" in d.off_text), None)
        if passage is None:  # the premise: tiny.en garbles this passage (it does in some environments)
            pytest.skip("tiny.en heard the Hammurabi passage right here: there is nothing to hear again")
        return passage, [d for d in found if d.evidence.get("verification", {}).get("opened_by") == passage.id]

    faithful, opened = passages(text)
    again = faithful.evidence["verification"]["second_hearing"]
    assert faithful.verdict == "recognition-error" and "Hammurabi" in again["heard"] and again["differences"] == []
    assert opened == []

    edited, opened = passages(text.replace("twenty-two fifty", "thirty-two fifty"))
    (difference,) = edited.evidence["verification"]["second_hearing"]["differences"]
    # the passage's printed words still fit the audio better than "Robbie": it stays a recognition
    # error, and the changed date inside it becomes a candidate of its own
    assert edited.verdict == "recognition-error" and not edited.is_alarm
    assert difference["printed"] == "thirty-two fifty" and difference["verdict"] != "recognition-error"
    (date,) = opened
    assert date.off_text == "thirty-two fifty" and date.is_alarm and date.id == difference["opened"]
    assert edited.off_start <= date.off_start < date.off_end <= edited.off_end
