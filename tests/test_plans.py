"""Scoring plans: the wordings scored for a discrepancy, and which of them are compared."""

from __future__ import annotations

from transcheck.models import Discrepancy, Token
from transcheck.verify.plans import build_requests, plan_for


def _plan(heard: list[tuple[str, str]], printed: list[tuple[str, str]]):
    """A rewording of the middle word of "a b <heard> c d" as the printed words, one word a second."""
    words = [("a", "a"), ("b", "b"), *heard, ("c", "c"), ("d", "d")]
    rec = [Token(norm, text, float(k), k + 0.8, 0.9) for k, (text, norm) in enumerate(words)]
    off = [Token(norm, text, 4 * k, 4 * k + 3) for k, (text, norm) in enumerate(printed)]
    d = Discrepancy("d1", "rewording", "substantive", "changed", 2.0, 2.8, " ".join(t for t, _ in heard),
                    0, 3, " ".join(t for t, _ in printed), (2, 2 + len(heard)), (0, len(printed)))
    plan = plan_for(d, rec, off)
    requests, _ = build_requests([plan], rec, 10.0)
    return plan, requests[0].texts


def test_a_number_is_compared_spoken_out_and_its_written_form_is_not_scored_apart():
    plan, texts = _plan([("2250", "2250")], [("3250", "3250")])
    assert plan.number
    # heard as written, spoken, spoken as a year; printed likewise: the written forms repeat the spoken
    assert texts[0] == texts[1] == "a b two thousand two hundred and fifty c d"
    assert texts[2] == "a b twenty two fifty c d"
    assert texts[3] == texts[4] == "a b three thousand two hundred and fifty c d"
    assert texts[5] == "a b thirty two fifty c d"


def test_words_are_scored_as_written_and_normalised():
    plan, texts = _plan([("Mak'st", "makest")], [("Makes", "makes")])
    assert not plan.number
    assert texts[0] == "a b Mak'st c d" and texts[1] == texts[2] == "a b makest c d"
    assert texts[3] == "a b Makes c d" and texts[4] == texts[5] == "a b makes c d"
