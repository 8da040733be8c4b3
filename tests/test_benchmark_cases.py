"""The accuracy benchmark's case generator and scoring (no model needed)."""

from __future__ import annotations

import pytest

from benchmarks.cases import GAP, Planner, Recording, all_cases, apply_edits, make_cases
from benchmarks.edits import Proposal, split_words
from benchmarks.numbers import int_to_words, words_to_int
from benchmarks.scoring import Finding, distance, score, word_diff

TEXT = ("Good morning. The mission will not resume until the ninth of May, and we're told it's safe. "
        "Um, the convoy of twenty-two trucks left Juba yesterday with food and fuel for the camps. "
        "We expect the, the road to reopen next week. Thank you all for coming this morning to hear us.")


def _check_edited(original: str, text: str, edits) -> None:
    """The edited text holds each replacement at its recorded span and equals the original elsewhere."""
    rebuilt, pos = [], 0
    for e in sorted(edits, key=lambda e: e.start):
        assert text[e.start:e.end] in e.replacement
        lead = e.replacement.index(text[e.start:e.end]) if e.end > e.start else 0
        at = e.start - lead  # where the replacement begins in the edited text
        assert text[at:at + len(e.replacement)] == e.replacement
        rebuilt.append(text[pos:at])
        rebuilt.append(e.original)
        pos = at + len(e.replacement)
    rebuilt.append(text[pos:])
    assert "".join(rebuilt) == original
    for e in edits:
        assert original[e.orig_start:e.orig_end] == e.original
        assert e.original != e.replacement


def test_apply_edits_records_where_each_edit_lands():
    words = split_words(TEXT)
    w = {x.core: x for x in words}
    proposals = [
        Proposal("drop-not", True, "omission", 4, 5, w["will"].end, w["not"].end, "", (0, 0)),
        Proposal("number", True, "rewording", 0, 0, w["twenty-two"].start, w["twenty-two"].end, "thirty-two",
                 (0, 10)),
        Proposal("insertion", True, "insertion", 0, 0, w["Thank"].cstart, w["Thank"].cstart,
                 "Prices rose again. ", (0, 18)),
    ]
    text, edits = apply_edits(TEXT, proposals)
    assert "will resume" in text and "thirty-two trucks" in text
    assert text[edits[1].start:edits[1].end] == "thirty-two"
    assert text[edits[2].start:edits[2].end] == "Prices rose again."
    assert edits[0].start == edits[0].end and text[edits[0].start - 4:edits[0].start] == "will"
    _check_edited(TEXT, text, edits)


def test_overlapping_edits_are_refused():
    p = Proposal("reword", True, "rewording", 0, 2, 5, 12, "x", (0, 1))
    with pytest.raises(ValueError, match="overlaps"):
        apply_edits(TEXT, [p, Proposal("reword", True, "rewording", 1, 3, 10, 14, "y", (0, 1))])


def test_planner_is_deterministic_and_keeps_edits_apart():
    first = Planner(TEXT, 7, "t").variant(2, 2)
    again = Planner(TEXT, 7, "t").variant(2, 2)
    assert first == again
    subs = [p for p in first if p.substantive]
    assert len(subs) == 2
    for p in subs:
        for q in first:
            if q is not p:
                assert p.lo >= q.hi + GAP or q.lo >= p.hi + GAP


def test_generated_edits_change_the_text_only_at_their_spans(tmp_path):
    transcript = tmp_path / "transcript.txt"
    transcript.write_text(TEXT * 3, encoding="utf-8")
    cases = list(make_cases(Recording("demo", tmp_path / "a.wav", transcript), seed=3))
    assert cases[0].faithful and cases[0].text == TEXT * 3
    assert len(cases) == 5
    for case in cases[1:]:
        assert case.edits and any(e.substantive for e in case.edits)
        _check_edited(case.original, case.text, case.edits)


def test_every_shared_transcript_yields_valid_cases(shared_speech):
    cases = all_cases(shared_speech)
    edits = [e for c in cases for e in c.edits]
    assert sum(e.substantive for e in edits) >= 40
    assert {e.type for e in edits if e.substantive} >= {"omission", "reword", "insertion", "number", "drop-not"}
    assert {e.type for e in edits if not e.substantive} >= {"filler", "contraction", "number-format", "repeat"}
    for case in cases:
        _check_edited(case.original, case.text, case.edits)
    assert [c.text for c in all_cases(shared_speech)] == [c.text for c in cases]


def test_number_words():
    assert words_to_int("three thousand eight hundred".split()) == 3800
    assert words_to_int(["twenty", "two", "fifty"]) == 2250
    assert words_to_int(["fifteen", "hundred"]) == 1500
    assert words_to_int(["eleven"]) == 11
    assert int_to_words(11) == "eleven" and int_to_words(1500) == "one thousand five hundred"


def test_scoring_counts_found_edits_and_false_alarms():
    text, edits = apply_edits(TEXT, [Proposal("reword", True, "rewording", 0, 0, 14, 25, "The budget", (0, 10))])
    e = edits[0]
    findings = [Finding(e.start, e.end + 3, "rewording", True), Finding(200, 210, "omission", True),
                Finding(e.start, e.end, "omission", False)]
    result = score(edits, findings)
    assert result.outcomes[0].found and result.outcomes[0].kind_ok
    assert result.false_alarms == (1,)
    missed = score(edits, [Finding(e.end + 30, e.end + 40, "rewording", True)])
    assert not missed.outcomes[0].found and missed.false_alarms == (0,)


def test_word_diff_flags_every_difference():
    found = word_diff(["the", "road", "opened", "today"], "The road reopened, today we said.")
    assert [f.kind for f in found] == ["rewording", "insertion"]
    assert all(f.alarm for f in found)


def _discrepancy(ident, kind, start, end, text, verdict=None, severity="substantive"):
    from transcheck.models import Discrepancy

    return Discrepancy(id=ident, kind=kind, severity=severity, reason="content words", rec_start=0.0,
                       rec_end=1.0, rec_text="heard", off_start=start, off_end=end, off_text=text[start:end],
                       rec_tokens=(0, 1), off_tokens=(0, 1), verdict=verdict,
                       evidence={"verification": {"margin": -5.0}} if verdict else {})


def test_report_scores_found_edits_false_alarms_and_verdicts(tmp_path):
    import argparse
    from dataclasses import replace

    from benchmarks.accuracy import score_case
    from benchmarks.output import dump, markdown
    from benchmarks.scoring import PLAIN, VERIFIED, CaseRun, RecordingRun, timing

    transcript = tmp_path / "transcript.txt"
    transcript.write_text(TEXT * 3, encoding="utf-8")
    faithful_case, edited = list(make_cases(Recording("demo", tmp_path / "a.wav", transcript), seed=3))[:2]
    rec = RecordingRun("demo", "a.wav", 120.0, "tiny", TEXT.split(), {"wall": 10.0, "cpu": 20.0}, False)
    faithful_d = [_discrepancy("d1", "rewording", 5, 12, faithful_case.text, "recognition-error")]
    faithful = score_case(CaseRun(faithful_case, rec, tuple(replace(d, verdict=None) for d in faithful_d),
                                  tuple(faithful_d), {"wall": 1.0, "cpu": 2.0}), None)
    target = next(e for e in edited.edits if e.substantive)
    found = [_discrepancy("d1", target.expected_kind, target.start, max(target.end, target.start + 1),
                          edited.text, "confirmed"),
             _discrepancy("d2", "rewording", 5, 12, edited.text, "recognition-error")]
    item = score_case(CaseRun(edited, rec, tuple(replace(d, verdict=None) for d in found), tuple(found),
                              {"wall": 3.0, "cpu": 4.0}), faithful)
    k = edited.edits.index(target)
    assert item.scores[PLAIN].outcomes[k].found and item.scores[VERIFIED].outcomes[k].kind_ok
    near_edit = any(distance(5, 12, e) <= 10 for e in edited.edits if e.substantive)
    assert (1 in item.scores[PLAIN].false_alarms) == (not near_edit)
    assert 1 not in item.scores[VERIFIED].false_alarms  # judged a recognition error: no alarm
    assert timing([faithful, item])["recordings"]["demo"]["share_wall"] == 0.2
    args = argparse.Namespace(seed=3, tolerance=10)
    report = dump([faithful, item], "python -m benchmarks.accuracy", args, 1.0)
    assert report["verdicts"]["faithful"] == {"demo": {"recognition-error": 1}}
    assert report["summary"][VERIFIED]["false_alarms"] <= report["summary"][PLAIN]["false_alarms"]
    assert any(r["false_alarm"][PLAIN] for r in report["discrepancies"] if r["case"] == faithful_case.id)
    text = markdown([faithful, item], report)
    assert "## Summary" in text and "| demo |" in text


def _tone_twice(tmp_path, degrade):
    """A second of "speech" (a tone) then a pause, written to two WAV files and degraded in each."""
    import wave

    import numpy as np

    rate = 16000
    t = np.arange(2 * rate) / rate
    tone = np.where(t < 1.0, 8000 * np.sin(2 * np.pi * 220 * t), 0.0)
    paths = [tmp_path / "a.wav", tmp_path / "b.wav"]
    for path in paths:
        with wave.open(str(path), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(rate)
            w.writeframes(tone.astype(np.int16).tobytes())
        degrade(path)
    return rate, tone, paths


def test_noise_is_mixed_at_the_asked_level_and_the_same_every_time(tmp_path):
    import wave

    import numpy as np

    from benchmarks.voices import add_noise

    rate, tone, paths = _tone_twice(tmp_path, lambda path: add_noise(path, 10.0))
    a, b = (path.read_bytes() for path in paths)
    assert a == b  # seeded: the audio hash, and so the transcript cache, stay valid
    with wave.open(str(paths[0])) as w:
        mixed = np.frombuffer(w.readframes(w.getnframes()), np.int16).astype(np.float64)
    noise = mixed - tone.astype(np.int16)
    snr = 10 * np.log10(np.mean(tone[:rate].astype(np.int16) ** 2.0) / np.mean(noise ** 2))
    assert 9.5 < snr < 10.5
    assert not list(tmp_path.glob("*.part"))


def test_reverb_rings_on_after_the_speech_stops_and_is_the_same_every_time(tmp_path):
    import wave

    import numpy as np

    from benchmarks.voices import add_reverb, folder_name

    rate, tone, paths = _tone_twice(tmp_path, lambda path: add_reverb(path, 0.8))
    a, b = (path.read_bytes() for path in paths)
    assert a == b
    with wave.open(str(paths[0])) as w:
        wet = np.frombuffer(w.readframes(w.getnframes()), np.int16).astype(np.float64)
    assert len(wet) == len(tone)
    tail = lambda start, end: np.sqrt(np.mean(wet[int(start * rate):int(end * rate)] ** 2))  # noqa: E731
    assert tail(1.0, 1.1) > 100 * max(1.0, tail(1.9, 2.0))  # the room rings on, then dies away
    assert tail(1.0, 1.1) > 50  # audible after the speech stopped
    assert np.max(np.abs(wet)) <= 8001
    assert folder_name("court", 10.0, 0.8) == "court_reverb0.8_noisy10"
    assert folder_name("court") == "court"
    assert not list(tmp_path.glob("*.part"))


def test_a_turn_says_its_hesitations_and_the_transcript_leaves_them_out():
    from benchmarks.voices import Turn, transcript_text

    turn = Turn("SPOKESPERSON", "en-us+edward", "{Um, }good morning. The{, the} Treasury is{, uh,} open. {We, }we agree.")
    assert turn.said == "Um, good morning. The, the Treasury is, uh, open. We, we agree."
    assert turn.printed == "Good morning. The Treasury is open. We agree."
    assert transcript_text([turn]) == "SPOKESPERSON: Good morning. The Treasury is open. We agree.\n"
    assert Turn("", "en-us+f3", "and gulls go quiet on the wall.").printed == "and gulls go quiet on the wall."


def test_a_telephone_line_keeps_the_voice_band_only(tmp_path):
    import wave

    import numpy as np

    from benchmarks.voices import RATE, _write_samples, add_phone

    t = np.arange(RATE) / RATE
    path = tmp_path / "tones.wav"
    _write_samples(path, RATE, 8000 * np.sin(2 * np.pi * 100 * t) + 8000 * np.sin(2 * np.pi * 1000 * t))
    add_phone(path)
    with wave.open(str(path), "rb") as w:
        out = np.frombuffer(w.readframes(w.getnframes()), np.int16).astype(np.float64)
    power = np.abs(np.fft.rfft(out)) ** 2  # one second: bin k is k Hz
    assert power[1000] > 1000 * power[100]  # the hum below 300 Hz is gone, the voice band kept
    assert np.corrcoef(out, 8000 * np.sin(2 * np.pi * 1000 * t))[0, 1] > 0.95
