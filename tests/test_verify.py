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
    # all but "churl mak'st" (heard "churro makes") and "buriest" (heard "-barreest"), which tiny.en's
    # scores do not settle: with the locked runtime 5 of 7 come out recognition-error
    assert len(verdicts) >= 5 and verdicts.count("recognition-error") >= len(verdicts) - 2


def test_a_recording_the_recogniser_cannot_follow_confirms_nothing(shared_speech, tmp_path, session_cache_dir,
                                                                    engine):
    # the Apollo 11 air-to-ground radio: tiny.en follows too little of it for its hearing to be evidence
    folder = shared_speech / "apollo11_air_to_ground"
    audio = next(p.name for p in folder.iterdir() if p.suffix in (".mp3", ".flac", ".wav", ".ogg"))
    text = (folder / "transcript.txt").read_text(encoding="utf-8")
    result = run(shared_speech, folder.name, audio, text, tmp_path, session_cache_dir, engine)
    summary = result.summary
    assert summary["recording_followed"] is False and summary["set_aside"] >= 1
    assert summary["ner"]["score"] is None  # no accuracy figure for a transcript nothing checked
    assert all(d.evidence["verification"]["recording_followed"] is False for d in substantive(result))
    verdicts = [d.verdict for d in substantive(result)]
    assert "confirmed" not in verdicts and verdicts.count("recognition-error") >= len(verdicts) - 1
    set_aside = [d for d in substantive(result)
                 if d.evidence["verification"]["basis"] == "the recogniser cannot follow this recording"]
    # each set aside was an alarm decided again, or was never scored: half the passages, the most
    # doubtful first, were lost before it came to them
    assert set_aside and all(d.evidence["verification"]["first"]["verdict"] in ("confirmed", "uncertain")
                             if "first" in d.evidence["verification"] else
                             d.evidence["verification"]["note"].startswith("not scored") for d in set_aside)


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


def misheard(transcript, first: str, last: str, heard: str):
    """The transcript with the words from `first` to `last` heard as the single word `heard`."""
    from dataclasses import replace

    from transcheck.models import Word

    texts = [w.text.strip(".,").lower() for w in transcript.words]
    a = texts.index(first)
    b = texts.index(last, a)
    words = transcript.words
    garbled = Word(heard, words[a].start, words[b].end, 0.3)
    return replace(transcript, words=words[:a] + (garbled,) + words[b + 1:])


def test_an_edit_hidden_in_a_passage_the_recogniser_skipped_is_found_on_a_second_hearing(
        shared_speech, tmp_path, engine):
    # tiny.en once heard "Robbie" for "huts and date palms. It was about twenty-two fifty B.C., when
    # the great Hammurabi" (a runtime earlier than the locked one; with it, the passage is heard
    # right). Such a first hearing, up to "B.C.", is put in the cache, so the test holds whatever this
    # runtime hears:
    # the printed words fit the audio far better, so the passage is a recognition error, and a
    # changed date inside it would hide behind it without a second hearing.
    from transcheck.audio import load_audio
    from transcheck.cache import cache_key
    from transcheck.pipeline import transcribe

    folder = shared_speech / "ljspeech_seven_wonders_reading"
    audio = load_audio(str(folder / "linda_johnson_02.flac"))
    cache = TranscriptCache(tmp_path / "cache")
    heard, _ = transcribe(audio, engine, None)
    key = cache_key(audio.sha256, engine.name, engine.model_id, engine.options.decode.to_dict(), engine.runtime)
    if "huts" in (w.text.strip(".,").lower() for w in heard.words):
        heard = misheard(heard, "huts", "bc", "Robbie")
    # (some runtimes skip the passage themselves: AMD's oneDNN build hears "mud Robbie made it his capital")
    cache.put(key, heard)
    text = (folder / "transcript.txt").read_text(encoding="utf-8")

    def passages(printed):
        result = run(shared_speech, folder.name, "linda_johnson_02.flac", printed, tmp_path, cache.directory,
                     engine)
        assert result.cached
        found = substantive(result)
        passage = next(d for d in found if "huts" in d.off_text)
        return passage, [d for d in found if d.evidence.get("verification", {}).get("opened_by") == passage.id]

    faithful, opened = passages(text)
    again = faithful.evidence["verification"]["second_hearing"]
    assert faithful.verdict == "recognition-error" and "2250" in again["heard"] and again["differences"] == []
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
