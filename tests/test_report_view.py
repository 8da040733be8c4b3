"""The report's view model: built from the JSON report alone."""

from __future__ import annotations

import pytest

from synthetic import result_from_texts, synthetic_report
from transcheck.report_view import (build_discrepancies, build_filters, build_rows, build_timeline, date_of,
                                    evidence_text, importance_key, time_deltas, title_of)


@pytest.fixture(scope="module")
def report() -> dict:
    return synthetic_report(0.05, seed=3)


def _decode(deltas: str) -> list[float]:
    t, out = 0, []
    for x in deltas.split():
        t += int(x)
        out.append(t / 100)
    return out


@pytest.mark.parametrize("times", [[], [0.0], [1.0, 1.02, 1.02, 5.5], [7199.98, 7200.5, 7199.9]])
def test_time_deltas_round_trip_to_the_hundredth(times):
    assert _decode(time_deltas(times)) == [round(t, 2) for t in times]


@pytest.mark.parametrize("recording, official, title, date", [
    ("samples/unmiss-2017/briefing.mp3", "official.txt", "Unmiss 2017 briefing", None),
    ("2019-05-03_press_briefing.mp3", "x.txt", "Press briefing", "2019-05-03"),
    ("audio.wav", "transcripts/20200117-remarks.html", "Remarks", "2020-01-17"),
    ("meeting-1999.mp3", "x.txt", "Meeting 1999", None),
    ("2017-12-07-unmiss.m4a", "2017-12-07-unmiss.pdf", "Unmiss briefing", "2017-12-07"),
])
def test_title_and_date_from_file_names(recording, official, title, date):
    """Better than the bare file stem: words, the date taken out (it is shown on its own)."""
    report = {"title": None, "date": None, "recording": {"path": recording}, "official": {"path": official}}
    assert title_of(report) == title
    assert date_of(report) == date


def test_title_from_the_official_heading():
    text = "Press conference by the UNMISS spokesperson\n\nSPOKESPERSON: Good morning."
    official = {"path": "x.txt", "text": text, "paragraphs": [[0, 44], [46, len(text)]],
                "labels": [{"start": 46, "end": 58, "speaker": "SPOKESPERSON"}]}
    report = {"title": None, "date": None, "recording": {"path": "briefing.mp3"}, "official": official}
    assert title_of(report) == "Press conference by the UNMISS spokesperson"
    official["paragraphs"], official["labels"] = [[0, len(text)]], []  # one paragraph: a sentence, no heading
    assert title_of(report) == "X briefing"  # from the file names


def test_given_title_and_date_win():
    report = {"title": "Briefing", "date": "yesterday", "recording": {"path": "2019-05-03.mp3"}, "official": {}}
    assert (title_of(report), date_of(report)) == ("Briefing", "yesterday")


def test_discrepancies_ranked_real_before_misheard_before_cosmetic(report):
    ranked = build_discrepancies(report)
    assert [d["rank"] for d in ranked] == list(range(len(ranked)))
    keys = [importance_key(d) for d in ranked]
    assert keys == sorted(keys)
    groups = [(d["severity"] != "substantive", d["verdict"] == "recognition-error") for d in ranked]
    assert groups == sorted(groups)
    assert all(d["cls"].startswith(f"k-{d['kind']} s-{d['severity']}") for d in ranked)


def test_timeline_marks_lie_within_the_strip(report):
    timeline = build_timeline(report)
    assert len(timeline["marks"]) == len(report["discrepancies"])
    for mark in timeline["marks"]:
        assert 0 <= mark["x"] and mark["x"] + mark["w"] <= 100.001 and mark["w"] >= 0.25 - 1e-9
    assert 1 <= len(timeline["ticks"]) <= 12


def test_filters_count_each_option_and_hide_cosmetic_and_misheard(report):
    groups = {g["name"]: {o["value"]: o for o in g["options"]} for g in build_filters(report)}
    ds = report["discrepancies"]
    assert sum(o["count"] for o in groups["Kind"].values()) == len(ds)
    assert sum(o["count"] for o in groups["Severity"].values()) == len(ds)
    assert groups["Audio check"]["v-confirmed"]["count"] == report["summary"]["verdicts"]["confirmed"]
    unchecked = {v for g in groups.values() for v, o in g.items() if not o["checked"]}
    assert unchecked == {"s-cosmetic", "v-recognition-error"}


def test_rows_hold_every_word_once_with_one_marker_per_discrepancy(report):
    rows, anchored = build_rows(report)
    heard = [w["text"] for row in rows for w in row["recording"]]
    assert heard == [w["recording"]["text"] for w in report["words"] if w["recording"]]
    printed = [p["text"] for row in rows for p in row["official"] if p["kind"] == "word"]
    assert printed == [w["official"]["text"] for w in report["words"] if w["official"]]
    marks = [w["mark"]["id"] for row in rows for w in row["recording"] if w["mark"]]
    marks += [p["mark"]["id"] for row in rows for p in row["official"] if p.get("mark")]
    marks += [p["d"]["id"] for row in rows for p in row["official"] if p["kind"] == "gap" and p["anchor"]]
    assert sorted(marks) == sorted(d["id"] for d in report["discrepancies"]) == sorted(anchored)


def test_inserted_words_play_from_where_they_would_have_been_said():
    report = result_from_texts("we met the minister today".split(),
                               "We met the foreign minister in the capital today.\n").to_dict()
    rows, _ = build_rows(report)
    times = [(p["text"], p["t"]) for p in rows[0]["official"] if p["kind"] == "word"]
    heard = {w["recording"]["text"]: w["recording"]["start"] for w in report["words"] if w["recording"]}
    assert [text for text, _ in times] == "We met the foreign minister in the capital today".split()
    assert [t for _, t in times] == sorted(t for _, t in times)  # in the order they were (or were not) said
    d = report["discrepancies"][0]
    assert d["official"]["text"].startswith("foreign") and times[3][1] == d["recording"]["start"]
    assert times[8][1] == heard["today"]


def test_evidence_line_explains_the_verdict():
    d = {"verdict": "confirmed", "evidence": {"verification": {"margin": -12.0, "margin_per_word": -3.0},
                                              "mean_probability": 0.91, "min_probability": 0.4}}
    assert evidence_text(d) == ("audio check: official wording scores -12.0 against the heard (-3.00 a word); "
                                "recogniser confidence 0.91 mean, 0.40 lowest")
    d = {"verdict": None, "evidence": {"likely_recognition_error": True, "official_gap": "[inaudible]"}}
    assert evidence_text(d) == ("looks like a recognition error (similar sound or low confidence); "
                                "the official text marks [inaudible] here")


def test_an_alarm_heard_again_says_what_still_differs_and_the_verdict_sentence_leads():
    from transcheck.report_view import advice, evidence_text, why

    d = {"verdict": "confirmed", "reason": "content words (looks like a recognition error)",
         "evidence": {"verification": {"basis": "score margin", "margin": -12.0, "margin_per_word": -3.0,
                                       "sentence": "The recording clearly says \u201cx\u201d at 0:37.",
                                       "second_hearing": {"heard": "x y", "differences": [
                                           {"heard": "x", "printed": "z", "kind": "rewording"}]}}}}
    assert "\u201cx\u201d where the text prints \u201cz\u201d: still differs" in evidence_text(d)
    assert advice(d).startswith("The recording clearly says") and why(d) == "content words"


def test_a_passage_checked_part_by_part_says_what_each_part_got_and_which_was_opened():
    from transcheck.report_view import evidence_text

    d = {"verdict": "recognition-error", "evidence": {"verification": {
        "basis": "score margin", "margin": 12.0, "margin_per_word": 3.0, "parts": [
            {"heard": "15", "printed": "16", "kind": "rewording", "verdict": "confirmed", "opened": "d5.1"},
            {"heard": "12.5", "printed": "12.5 percent", "kind": "rewording", "verdict": "recognition-error"}]}}}
    assert ("checked part by part: \u201c15\u201d where the text prints \u201c16\u201d: confirmed (opened as d5.1); "
            "\u201c12.5\u201d where the text prints \u201c12.5 percent\u201d: recognition error") in evidence_text(d)



def test_a_passage_whose_figures_were_checked_says_what_each_got():
    from transcheck.report_view import evidence_text

    d = {"verdict": "recognition-error", "evidence": {"verification": {
        "basis": "score margin", "margin": 13.3, "margin_per_word": 1.9, "figures": [
            {"heard": "seven", "printed": "eight", "kind": "rewording", "verdict": "uncertain", "opened": "d3.1"}]}}}
    assert ("each figure checked among the printed words: \u201cseven\u201d where the text prints "
            "\u201ceight\u201d: uncertain (opened as d3.1)") in evidence_text(d)

def _report_from_timed_words(timed, printed):
    """A JSON report from (word, start, end) as heard and the printed text, through the real compare stage."""
    from transcheck.models import Transcript, Word
    from transcheck.options import CheckOptions
    from transcheck.pipeline import CheckResult, compare
    from transcheck.sources import official_from_text
    from transcheck.classify import summarize

    words = tuple(Word(w, a, b, 0.9) for w, a, b in timed)
    transcript = Transcript(words, timed[-1][2] + 1, "en", "faster-whisper", "synthetic", {})
    official = official_from_text(printed)
    rec, off, ops, found = compare(official, transcript, CheckOptions())
    return CheckResult("briefing.wav", "f" * 64, transcript.duration, 1, official, transcript, rec, off, ops, found,
                       summarize(rec, off, ops, found), CheckOptions()).to_dict()


def test_as_recorded_keeps_whispers_punctuation_and_a_turn_starts_at_the_pause():
    from transcheck.report_view import build_rows

    heard = [(" I", 0.0, 0.3), (" am", 0.3, 0.6), (" afraid", 0.6, 1.0), (" not.", 1.0, 1.4),
             (" Mario,", 3.0, 3.4), (" from", 3.4, 3.6), (" Radio", 3.6, 3.9), (" Nordic.", 3.9, 4.3),
             (" What", 4.5, 4.7), (" about", 4.7, 4.9), (" the", 4.9, 5.0), (" budget?", 5.0, 5.5)]
    printed = "SPOKESPERSON: I am afraid not.\n\nQUESTION: What about the budget?\n"
    rows, _ = build_rows(_report_from_timed_words(heard, printed))
    said = [[w["text"] for w in row["recording"]] for row in rows]
    assert [row["speaker"] for row in rows] == ["SPOKESPERSON", "QUESTION"]
    assert said == [["I", "am", "afraid", "not."], ["Mario,", "from", "Radio", "Nordic.", "What", "about", "the",
                                                    "budget?"]]


def test_a_word_before_the_pause_stays_in_the_earlier_turn():
    from transcheck.report_view import build_rows

    heard = [(" I", 0.0, 0.3), (" am", 0.3, 0.6), (" afraid", 0.6, 1.0), (" indeed.", 1.0, 1.4),
             (" What", 3.0, 3.2), (" about", 3.2, 3.4), (" the", 3.4, 3.5), (" budget?", 3.5, 4.0)]
    printed = "SPOKESPERSON: I am afraid.\n\nQUESTION: What about the budget?\n"
    rows, _ = build_rows(_report_from_timed_words(heard, printed))
    assert [w["text"] for w in rows[0]["recording"]] == ["I", "am", "afraid", "indeed."]
