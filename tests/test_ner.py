"""The NER-style score: weights by kind and reason, recognition errors left out."""

from transcheck.marks import MARKED_CLEAR
from transcheck.models import Discrepancy
from transcheck.ner import MINOR, SERIOUS, STANDARD, ner_line, ner_score, weight


def disc(kind="omission", severity="substantive", reason="content words", said="a b", printed="", verdict=None,
         **evidence):
    return Discrepancy("d1", kind, severity, reason, 0.0, 1.0, said, 0, len(printed), printed, (0, 1), (0, 0),
                       evidence=evidence, verdict=verdict)


def test_weights_follow_the_documented_mapping():
    assert weight(disc(severity="cosmetic", reason="filler")) == 0
    assert weight(disc(said="the budget")) == MINOR
    assert weight(disc(reason="negation", said="not")) == SERIOUS
    assert weight(disc(reason="number", kind="rewording", said="nine", printed="ten")) == SERIOUS
    assert weight(disc(reason=MARKED_CLEAR, said="Anna Berg")) == STANDARD
    assert weight(disc(said="and the payments stop next year")) == STANDARD
    assert weight(disc(kind="rewording", said="they will pay next week", printed="we pay")) == SERIOUS
    assert weight(disc(said=" ".join(["word"] * 21))) == 3 * STANDARD  # three idea units


def test_recognition_errors_are_not_counted():
    assert weight(disc(verdict="recognition-error", reason="number")) == 0
    assert weight(disc(likely_recognition_error=True)) == 0  # unverified, flagged as a mishearing
    assert weight(disc(verdict="uncertain", likely_recognition_error=True)) == MINOR


def test_score_is_n_minus_e_minus_r_over_n():
    found = [disc(reason="negation", said="not"), disc(kind="insertion", said="", printed="we can provide that")]
    ner = ner_score(found, 50)
    assert ner["E"] == SERIOUS and ner["R"] == STANDARD
    assert ner["score"] == round((50 - SERIOUS - STANDARD) / 50, 4) and ner["meets_threshold"] is False
    assert ner_score([], 100)["score"] == 1.0 and ner_score([], 0)["score"] is None
    assert "NER-style" in ner_line(ner) and "automatic" in ner_line(ner)


def test_no_score_where_the_recogniser_cannot_follow_the_recording():
    # every discrepancy there is set aside as the recogniser's: 100 % would certify an unchecked text
    set_aside = [disc(verdict="recognition-error", reason="negation", said="not")]
    ner = ner_score(set_aside, 50, followed=False)
    assert ner["score"] is None and ner["meets_threshold"] is None
    assert ner_line(ner) == "NER-style accuracy: not computed (the recogniser cannot follow this recording)"
    assert ner_score(set_aside, 50)["score"] == 1.0
    assert ner_line(ner_score([], 0)) == "NER-style accuracy: not computed (no words heard)"
