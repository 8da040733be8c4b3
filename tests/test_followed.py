"""Scoring a recording's passages the most doubtful first, and no more of them than needed to know
that the recogniser cannot follow it (transcheck/verify/followed.py, verdicts.judge_first)."""

from __future__ import annotations

import numpy as np

from transcheck.audio import Audio
from transcheck.engines import ScoreResult
from transcheck.models import NOT_FOLLOWED, NOT_FOLLOWED_RECORDING, Discrepancy, Token
from transcheck.verify.followed import doubt, recording_followed, still_needed
from transcheck.verify.plans import plan_for
from transcheck.verify.verdicts import Scene, judge_first

LOST = ("recognition-error", {"basis": NOT_FOLLOWED})
SURE = ("confirmed", {"basis": "score margin"})


class FitEngine:
    """Scores every token of every text at `fit` nats on audio and 0 on silence, and counts the windows
    of audio it was asked to score: a fake for the order of scoring, not the recogniser."""

    def __init__(self, fit: float) -> None:
        self.fit, self.windows = fit, []

    def score(self, audio, requests):
        self.windows += [r.start for r in requests if not r.blank]
        return [ScoreResult(tuple((0.0 if r.blank else self.fit,) * 3 for _ in r.texts)) for r in requests]


def _passages(n: int):
    """A recording of n rewordings, each word heard at its own probability, 2 s apart."""
    rec = [Token(f"w{k}", f"w{k}", 2.0 * k, 2.0 * k + 0.8, 0.9) for k in range(n)]
    off = [Token(f"p{k}", f"p{k}", 3 * k, 3 * k + 2) for k in range(n)]
    found = [Discrepancy(f"d{k}", "rewording", "substantive", "changed", 2.0 * k, 2.0 * k + 0.8, f"w{k}",
                         3 * k, 3 * k + 2, f"p{k}", (k, k + 1), (k, k + 1),
                         evidence={"mean_probability": round(0.3 + 0.05 * ((k * 7) % n), 2)})
             for k in range(n)]
    return rec, off, [plan_for(d, rec, off) for d in found]


def _judged(fit: float, n: int = 10, progress=None):
    rec, off, plans = _passages(n)
    engine = FitEngine(fit)
    audio = Audio("x.wav", "0" * 64, np.zeros(16000 * 2 * n, dtype=np.float32), 16000, 1)
    facts: dict = {}
    verdicts = judge_first(plans, rec, off, Scene(audio, engine, 0.4, 0.1), facts, progress)
    return plans, engine, verdicts, facts


def test_how_many_more_passages_could_decide_that_a_recording_is_not_followed():
    assert still_needed({}, 10) == 5 and still_needed({"d0": LOST, "d1": SURE}, 10) == 4
    assert still_needed({f"d{i}": LOST for i in range(5)}, 10) == 0
    assert not recording_followed({f"d{i}": LOST for i in range(5)}, passages=10)  # decided: half are lost
    assert recording_followed({f"d{i}": LOST for i in range(4)}, passages=10)
    sure = Discrepancy("d1", "rewording", "substantive", "", 0, 1, "a", 0, 1, "b", (0, 1), (0, 1),
                       evidence={"mean_probability": 0.9})
    unsure = Discrepancy("d2", "rewording", "substantive", "", 0, 1, "a", 0, 1, "b", (0, 1), (0, 1),
                         evidence={"mean_probability": 0.2})
    assert doubt(unsure) < doubt(sure)


def test_once_half_the_passages_are_lost_the_rest_are_not_scored():
    plans, engine, verdicts, facts = _judged(fit=-3.0)  # below POOR_FIT, no lift: every window lost
    assert len(engine.windows) == 5 and len(verdicts) == 10
    # the five scored are the five heard least surely
    doubtful = sorted(plans, key=lambda p: doubt(p.disc))[:5]
    assert sorted(engine.windows) == sorted(round(p.start, 3) for p in doubtful)
    assert not recording_followed(verdicts)
    unscored = [v for v in verdicts.values() if "not scored" in v[1].get("note", "")]
    assert len(unscored) == 5
    assert all(verdict == "recognition-error" and ev["basis"] == NOT_FOLLOWED_RECORDING for verdict, ev in unscored)
    assert all(not f.recording_followed for key, f in facts.items() if "not scored" in verdicts[key][1].get("note", ""))


def test_a_recording_that_is_followed_has_every_passage_scored():
    plans, engine, verdicts, _ = _judged(fit=-0.2)
    assert len(engine.windows) == len(plans) == len(verdicts)
    assert recording_followed(verdicts)
    assert not any("not scored" in ev.get("note", "") for _, ev in verdicts.values())


def test_progress_counts_every_passage_once_scored_or_not():
    for fit in (-3.0, -0.2):
        shown: list = []
        _judged(fit, progress=lambda done, total: shown.append((done, total)))
        assert shown[-1] == (10, 10) and all(total == 10 for _, total in shown)
        assert [done for done, _ in shown] == sorted(done for done, _ in shown)
