"""Classification: kinds, severities, grouping, recognition-error suspicion, gaps."""

from pathlib import Path

import pytest

from helpers import compare_texts, fake_transcript
from transcheck.classify import summarize, word_stream
from transcheck.pipeline import compare
from transcheck.options import CheckOptions
from transcheck.sources import official_from_text

CASES = Path(__file__).parent / "cases"


def _rows(name):
    for line in (CASES / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield tuple(line.split("\t"))


@pytest.mark.parametrize("heard,printed", list(_rows("cosmetic.tsv")))
def test_near_verbatim_clean_up_is_cosmetic(heard, printed):
    *_, found = compare_texts(heard, printed)
    assert [d for d in found if d.severity == "substantive"] == []


@pytest.mark.parametrize("heard,printed,kind", list(_rows("substantive.tsv")))
def test_real_changes_are_one_substantive_discrepancy(heard, printed, kind):
    *_, found = compare_texts(heard, printed)
    substantive = [d for d in found if d.severity == "substantive"]
    assert len(substantive) == 1, [(d.kind, d.rec_text, d.off_text) for d in found]
    assert substantive[0].kind == kind


def test_spans_point_at_the_words():
    printed = "QUESTION: Is it true?\n\nSPOKESPERSON: We will send troops this year."
    heard = "Is it true? We will not send troops this year."
    *_, found = compare_texts(heard, printed)
    (d,) = found
    assert d.kind == "omission" and d.rec_text == "not"
    assert d.off_start == d.off_end and printed[d.off_start - 4:d.off_start] == "will"
    assert d.speaker == "SPOKESPERSON"
    assert d.rec_start == pytest.approx(2.0) and d.rec_end > d.rec_start


def test_insertion_has_empty_recording_span_at_its_time():
    *_, found = compare_texts("we met on monday", "we met briefly and cordially on monday")
    (d,) = found
    assert d.kind == "insertion" and d.rec_text == "" and d.rec_start == d.rec_end
    assert d.off_text == "briefly and cordially"


def test_speaker_labels_and_editorial_marks_are_not_words():
    printed = "THE PRESIDENT: Thank you. (Laughter)\nMS. CONNORS: Next [crosstalk] question."
    *_, found = compare_texts("Thank you. Next question.", printed)
    assert found == ()


def test_admitted_gap_is_not_the_publishers_omission():
    printed = "Q: Thank you. [inaudible], Nordic Radio. My question is about the budget."
    heard = "Thank you. Anna Berg, Nordic Radio. My question is about the budget."
    *_, found = compare_texts(heard, printed)
    (d,) = found
    assert d.kind == "omission" and d.severity == "cosmetic"
    assert d.evidence["official_gap"] == "[inaudible]"


def test_similar_sounding_rewording_is_flagged_as_likely_recognition_error():
    *_, found = compare_texts("but as the writer should by time decease",
                              "but as the riper should by time decease")
    (d,) = found
    assert d.severity == "substantive" and d.evidence["likely_recognition_error"] is True
    *_, found = compare_texts("we support the plan fully", "we oppose the plan fully")
    (d,) = found
    assert d.evidence["likely_recognition_error"] is False


def test_adjacent_small_differences_are_one_discrepancy():
    *_, found = compare_texts("the minister said the army will leave the city on friday",
                              "the minister said troops may leave a town on friday")
    substantive = [d for d in found if d.severity == "substantive"]
    assert len(substantive) == 1 and substantive[0].kind == "rewording"


def test_long_one_sided_stretch_stays_one_omission():
    said = ("the talks began on monday and every delegation attended the opening session "
            "which was chaired by the foreign minister of norway who spoke for an hour about the "
            "humanitarian situation in the north and the need for access to the camps")
    printed = "the talks began on monday and every delegation attended."
    *_, found = compare_texts(said + " thank you", printed + " thank you")
    omissions = [d for d in found if d.kind == "omission" and d.severity == "substantive"]
    assert len(omissions) == 1 and len(omissions[0].rec_text.split()) >= 30


def test_word_stream_holds_every_token_once():
    heard = "um we will not send nine troops"
    printed = "We will send 9 soldiers today."
    rec, off, ops, found = compare_texts(heard, printed)
    words = word_stream(rec, off, ops, found)
    assert sum(w["recording"] is not None for w in words) == len(rec)
    assert sum(w["official"] is not None for w in words) == len(off)
    statuses = {w["status"] for w in words}
    assert {"match", "filler"} <= statuses


def test_summary_counts_and_faithful_share():
    rec, off, ops, found = compare_texts("we will not go there today", "we will go there today")
    s = summarize(rec, off, ops, found)
    assert s["counts"]["omission"]["substantive"] == 1
    assert s["recorded_words"] == 6 and s["faithful_share"] == pytest.approx(5 / 6, abs=1e-3)


def test_a_recording_the_recogniser_cannot_follow_gets_no_accuracy_figure_even_with_nothing_set_aside():
    # every passage already a recognition error of its own (no verdict to set aside): the verdicts
    # still carry verification's finding, and the summary must not certify the transcript
    from dataclasses import replace

    rec, off, ops, found = compare_texts("we will not go there today", "we will go there today")
    lost = [replace(d, verdict="recognition-error", evidence={**d.evidence, "verification": {
        "basis": "the recogniser cannot follow this audio", "recording_followed": False}}) for d in found]
    s = summarize(rec, off, ops, lost)
    assert s["recording_followed"] is False and s["set_aside"] == 0
    assert s["ner"]["score"] is None and s["ner"]["not_computed"] == "the recogniser cannot follow this recording"
    followed = [replace(d, verdict="recognition-error", evidence={**d.evidence, "verification": {
        "basis": "the recogniser cannot follow this audio"}}) for d in found]
    assert summarize(rec, off, ops, followed)["recording_followed"] is True
    assert summarize(rec, off, ops, followed)["ner"]["score"] == 1.0


def test_identical_text_has_no_discrepancies():
    text = "And so, my fellow Americans, ask not what your country can do for you."
    official = official_from_text(text)
    *_, found = compare(official, fake_transcript(text), CheckOptions())
    assert found == ()


def test_unrelated_texts_share_no_passages():
    rec, off, ops, found = compare_texts(
        "the delegation will travel to juba next week to meet the minister of defence and the mission",
        "from fairest creatures we desire increase that thereby beauty's rose might never die but as the")
    assert summarize(rec, off, ops, found)["run_share"] == 0
