"""The figures of a passage: each printed number checked on its own, among the printed words.

A figure is what a publisher most often changes, and what a small recogniser hears most loosely
inside a garbled passage: "place to have to water to seven" heard where "leaves Tipton at a quarter
to eight" is printed. Scored as a whole, the printed passage fits the audio far better than the
garble (or the recogniser does not follow its own words there), so the passage is rightly put down
to the recogniser; but whether "eight" was said is a question the whole-passage score does not ask.
So in a passage the audio check put down to the recogniser on its scores, each printed number that was not heard is scored again against each number heard there
that was not printed, with every other word as printed ("... at a quarter to seven" against "... at
a quarter to eight"): the printed words that the passage's verdict says fit the audio are the
fairest context the figure can have. The same verdict table decides; only a figure it confirms
becomes a candidate of its own (`d9.1`), and the passage keeps its verdict (as parts.py does).
The unit stays as printed ("16 percent" against "15 percent" where "15" was heard): a word the
recogniser dropped beside a figure is not the question. (Every part of a passage weighed this way, not
only its figures, was tried: on faithful briefings a garble read among the printed words often scored
better than the printed words themselves, 15 nats on reverberant audio, and "does" for "has" was
confirmed; figures alone gave no such alarm.)
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Optional, Sequence

from ..align import align_tokens
from ..classify import classify
from ..engines import ScoreRequest
from ..models import CONFIRMED, NOT_FOLLOWED, RECOGNITION_ERROR, REWORDING, Discrepancy, OfficialText, Token
from .names import differing_likeness
from .parts import open_candidates
from .plans import plan_for, spoken
from .rules import rule_for
from .verdicts import Scene, basis, facts_from, score_windows

_VALUE_RE = re.compile(r"\d+(?:\.\d+)?")
CHECKED_BASES = ("score margin", NOT_FOLLOWED)
MOST_PAIRS = 6  # (printed figure, heard figure) pairs scored in one passage


def worth_checking(d: Discrepancy, verdict: str, evidence: dict) -> bool:
    """A rewording the audio check put down to the recogniser on its scores: on the margin, or because
    the recogniser does not follow the window by its own words (among the printed words it may; where
    it still does not, row 4 decides again and nothing is opened)."""
    return (verdict == RECOGNITION_ERROR and d.kind == REWORDING and evidence.get("basis") in CHECKED_BASES
            and "window" in evidence)


def _value(token: Token) -> Optional[str]:
    found = _VALUE_RE.search(token.norm)
    return found.group(0) if found else None


def pairs(d: Discrepancy, rec: Sequence[Token], off: Sequence[Token]) -> list[tuple[int, int, str]]:
    """(printed token, heard token, the printed token's form with the heard value) for each printed
    figure of the passage not heard there and each heard figure not printed there."""
    heard = [(i, v) for i in range(*d.rec_tokens) if (v := _value(rec[i]))]
    printed = [(j, v) for j in range(*d.off_tokens) if not off[j].filler and (v := _value(off[j]))]
    heard_values, printed_values = {v for _, v in heard}, {v for _, v in printed}
    found = [(j, i, _VALUE_RE.sub(hv, off[j].norm, count=1))
             for j, pv in printed if pv not in heard_values
             for i, hv in heard if hv not in printed_values]
    return found[:MOST_PAIRS]


def _texts(d: Discrepancy, rec: Sequence[Token], off: Sequence[Token], swap: Optional[tuple[int, str]]) -> tuple[str, str]:
    """The window's wording, the passage as printed (one printed figure swapped where given), the
    heard words around it as context; spoken out, and with years read in pairs."""
    plan = plan_for(d, rec, off)
    (r0, r1), (o0, o1) = d.rec_tokens, d.off_tokens
    middle = " ".join(swap[1] if swap and j == swap[0] else off[j].norm for j in range(o0, o1) if not off[j].filler)
    text = " ".join(x for x in (" ".join(t.text for t in rec[plan.first:r0]), middle,
                                " ".join(t.text for t in rec[r1:plan.stop])) if x)
    return spoken(text), spoken(text, years=True)


def check_figures(d: Discrepancy, evidence: dict, rec: Sequence[Token], off: Sequence[Token],
                  official: OfficialText, scene: Scene) -> tuple[dict, list[Discrepancy]]:
    """Each printed figure of the passage against each figure heard there, the other words as printed:
    the passage's evidence with what each pair got (`figures`), and as a candidate of its own, for each
    printed figure, the best-supported heard figure that the verdict table does not put down to the
    recogniser (confirmed first). An `uncertain` figure is opened too, unlike an uncertain part
    (parts.py): on every faithful passage the benchmarks hold, the printed figure among the printed
    words was a recognition error, and a figure is what a reader most needs to listen to."""
    found_pairs = pairs(d, rec, off)
    if not found_pairs:
        return evidence, []
    texts = _texts(d, rec, off, None) + tuple(t for j, _, form in found_pairs for t in _texts(d, rec, off, (j, form)))
    start, end = evidence["window"]
    (result,), (prior,) = score_windows(scene, [ScoreRequest(start, end, texts)], None)
    lift = lambda k: result.total(k) - prior.total(k)  # noqa: E731 - the audio's support for text k
    printed = max((0, 1), key=lift)
    differences: list[Discrepancy] = []
    judged: dict[str, tuple[str, dict]] = {}
    for n, (j, i, _) in enumerate(found_pairs):
        swapped = max((2 + 2 * n, 3 + 2 * n), key=lift)
        margin = lift(printed) - lift(swapped)
        s = classify([rec[i]], [off[j]], align_tokens([rec[i]], [off[j]]), official, merge_gap=0)
        if not s:
            continue
        s = replace(s[0], id=f"figure{n}", rec_tokens=(i, i + 1), off_tokens=(j, j + 1))
        facts = facts_from(margin, 1, False, result.mean(swapped), REWORDING, None,
                           lift(swapped) / max(1, len(result.token_logprobs[swapped])),
                           probability=rec[i].probability, likeness=differing_likeness(off[j].text, rec[i].text),
                           recording_followed=scene.followed)
        rule = rule_for(facts)
        differences.append(s)
        judged[s.id] = (rule.verdict, {**basis(rule, s), "margin": round(margin, 3), "window": [start, end],
                                       "checked_among": "the printed words"})
    best: dict[int, str] = {}  # printed token -> its best-supported heard figure the table does not put down
    rank = lambda key: (judged[key][0] != CONFIRMED, judged[key][1]["margin"])  # noqa: E731
    for s in differences:
        j = s.off_tokens[0]
        if judged[s.id][0] != RECOGNITION_ERROR and (j not in best or rank(s.id) < rank(best[j])):
            best[j] = s.id
    record, opened = open_candidates(d, differences, judged, (0, 0), opens=lambda s: s.id in best.values())
    return {**evidence, "figures": record}, opened
