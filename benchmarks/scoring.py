"""Scoring a case: which known edits were found, which reported differences are false alarms.

A reported difference is reduced to a `Finding`: its character span in the official (edited)
text, its kind, and whether it counts as an alarm. An edit is found when an alarm lies within
TOLERANCE characters of its span; an alarm near no substantive edit of the case is false.
"""

from __future__ import annotations

import difflib
import re
import statistics
from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

from .cases import Case, Edit

TOLERANCE = 10  # characters between an edit and the difference that finds it
WORD_DIFF, PLAIN, VERIFIED = "word diff", "transcheck", "transcheck + verification"


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    kind: str
    alarm: bool


def distance(start: int, end: int, edit: Edit) -> int:
    """Characters between a span and an edit's span; 0 when they touch or overlap."""
    return max(0, start - edit.end, edit.start - end)


def near(f: Finding, edit: Edit, tolerance: int = TOLERANCE) -> bool:
    return distance(f.start, f.end, edit) <= tolerance


def nearest(findings: Sequence[Finding], edit: Edit, only: Optional[Sequence[int]] = None) -> Optional[int]:
    """Index of the finding closest to `edit` (the longest overlap among equally close ones)."""
    indices = list(only) if only is not None else list(range(len(findings)))
    if not indices:
        return None

    def key(i: int) -> tuple[int, int]:
        f = findings[i]
        overlap = min(f.end, edit.end) - max(f.start, edit.start)
        return distance(f.start, f.end, edit), -overlap

    return min(indices, key=key)


@dataclass(frozen=True)
class Outcome:
    """What became of one substantive edit."""

    found: bool
    finding: Optional[int]  # the alarm that found it, else the nearest finding of any kind
    kind_ok: bool


@dataclass(frozen=True)
class CaseScore:
    outcomes: tuple[Outcome, ...]  # one per edit of the case (cosmetic edits: found = flagged)
    false_alarms: tuple[int, ...]  # indices of findings that are false alarms
    alarms: int


def score(edits: Sequence[Edit], findings: Sequence[Finding], tolerance: int = TOLERANCE) -> CaseScore:
    """Match one case's findings against its known edits."""
    substantive = [e for e in edits if e.substantive]
    outcomes = []
    for edit in edits:
        hits = [i for i, f in enumerate(findings) if f.alarm and near(f, edit, tolerance)]
        if hits:
            best = nearest(findings, edit, hits)
            outcomes.append(Outcome(True, best, findings[best].kind == edit.expected_kind))
        else:
            outcomes.append(Outcome(False, nearest(findings, edit), False))
    false = tuple(i for i, f in enumerate(findings)
                  if f.alarm and not any(near(f, e, tolerance) for e in substantive))
    return CaseScore(tuple(outcomes), false, sum(f.alarm for f in findings))


# -------------------------------------------------------------------------------------------
# The plain word diff the issue compares against


_WORD_RE = re.compile(r"\S+")


def _plain(word: str) -> str:
    return re.sub(r"[^\w']", "", word.lower()).strip("'")


def word_diff(heard: Sequence[str], official: str) -> list[Finding]:
    """Lower-case, punctuation stripped, difflib on words: every non-equal run is an alarm."""
    spans = [(m.start(), m.end()) for m in _WORD_RE.finditer(official) if _plain(m.group())]
    off_words = [_plain(official[a:b]) for a, b in spans]
    rec_words = [w for w in (_plain(h) for h in heard) if w]
    matcher = difflib.SequenceMatcher(None, rec_words, off_words, autojunk=False)
    findings = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if j2 > j1:
            start, end = spans[j1][0], spans[j2 - 1][1]
        else:
            start = end = spans[j1 - 1][1] if j1 > 0 else 0
        kind = "rewording" if i2 > i1 and j2 > j1 else ("insertion" if j2 > j1 else "omission")
        findings.append(Finding(start, end, kind, True))
    return findings


# -------------------------------------------------------------------------------------------
# Totals


@dataclass
class Tally:
    """Counts over many cases for one method."""

    edits: int = 0
    found: int = 0
    kind_ok: int = 0
    clear_edits: int = 0  # edits where the faithful transcript raised no alarm
    clear_found: int = 0
    false_alarms: int = 0
    seconds: float = 0.0
    cases: int = 0
    by_type: dict[str, list[int]] = field(default_factory=dict)  # type -> [edits, found, kind_ok]

    def add(self, edits: Sequence[Edit], result: CaseScore, duration: float, masked: Sequence[bool]) -> None:
        self.cases += 1
        self.seconds += duration
        self.false_alarms += len(result.false_alarms)
        for edit, outcome, hidden in zip(edits, result.outcomes, masked):
            if not edit.substantive:
                continue
            row = self.by_type.setdefault(edit.type, [0, 0, 0])
            row[0] += 1
            row[1] += outcome.found
            row[2] += outcome.kind_ok
            self.edits += 1
            self.found += outcome.found
            self.kind_ok += outcome.kind_ok
            if not hidden:
                self.clear_edits += 1
                self.clear_found += outcome.found

    @property
    def recall(self) -> float:
        return self.found / self.edits if self.edits else float("nan")

    @property
    def clear_recall(self) -> float:
        return self.clear_found / self.clear_edits if self.clear_edits else float("nan")

    @property
    def kind_accuracy(self) -> float:
        return self.kind_ok / self.found if self.found else float("nan")

    @property
    def per_minute(self) -> float:
        return self.false_alarms / (self.seconds / 60) if self.seconds else float("nan")

    def to_dict(self) -> dict:
        return {
            "cases": self.cases, "audio_minutes": round(self.seconds / 60, 3),
            "substantive_edits": self.edits, "found": self.found, "recall": _round(self.recall),
            "clear_edits": self.clear_edits, "clear_found": self.clear_found,
            "clear_recall": _round(self.clear_recall), "right_kind": self.kind_ok,
            "kind_accuracy": _round(self.kind_accuracy), "false_alarms": self.false_alarms,
            "false_alarms_per_minute": _round(self.per_minute),
            "by_type": {t: {"edits": a, "found": b, "right_kind": c}
                        for t, (a, b, c) in sorted(self.by_type.items())},
        }


def _round(x: float) -> Optional[float]:
    return None if x != x else round(x, 4)


@dataclass
class RecordingRun:
    name: str
    audio: str
    duration: float
    model: str
    heard: list[str]
    transcribe_seconds: Optional[dict[str, float]]  # wall and cpu, from the run that filled the cache
    cached: bool


@dataclass
class CaseRun:
    case: Case
    recording: RecordingRun
    plain: tuple  # Discrepancy objects without verification
    verified: Optional[tuple]  # the same with verdicts, when verification ran
    verify_seconds: Optional[dict[str, float]]  # wall (pipeline timing) and cpu (all threads)
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    scores: dict[str, CaseScore] = field(default_factory=dict)
    masked: list[bool] = field(default_factory=list)

    @property
    def discrepancies(self) -> tuple:
        """The richest version of the case's discrepancies (with verdicts when there are some)."""
        return self.verified if self.verified is not None else self.plain

    def listed(self, method: str) -> tuple:
        """The discrepancies a transcheck method's findings are numbered by (verification may add some:
        the candidates a second hearing opens)."""
        return self.verified if method == VERIFIED and self.verified is not None else self.plain


def tallies(runs: Sequence[CaseRun], recording: Optional[str] = None) -> dict[str, Tally]:
    out: dict[str, Tally] = {}
    for item in runs:
        if recording and item.recording.name != recording:
            continue
        for method, result in item.scores.items():
            out.setdefault(method, Tally()).add(item.case.edits, result, item.recording.duration, item.masked)
    return out


def timing(runs: Sequence[CaseRun]) -> dict[str, Any]:
    """Verification time as a share of transcription time, per recording and overall, by wall
    clock and by CPU seconds (each case counts its recording's transcription once)."""
    per: dict[str, dict[str, Any]] = {}
    for item in runs:
        if item.verify_seconds is None:
            continue
        row = per.setdefault(item.recording.name, {"audio_seconds": round(item.recording.duration, 2),
                                                   "transcribe": item.recording.transcribe_seconds,
                                                   "verify": {"wall": [], "cpu": []}})
        for clock in ("wall", "cpu"):
            row["verify"][clock].append(round(item.verify_seconds[clock], 3))
    out: dict[str, Any] = {"recordings": per}
    for clock in ("wall", "cpu"):
        shares, total_t, total_v = [], 0.0, 0.0
        for row in per.values():
            spent = row["verify"][clock]
            median = round(statistics.median(spent), 3)
            t = (row["transcribe"] or {}).get(clock)
            row[f"verify_median_{clock}"] = median
            row[f"share_{clock}"] = round(median / t, 4) if t else None
            if t:
                shares.append(median / t)
                total_t += t * len(spent)
                total_v += sum(spent)
        out[f"median_share_{clock}"] = round(statistics.median(shares), 4) if shares else None
        out[f"overall_share_{clock}"] = round(total_v / total_t, 4) if total_t else None
    return out
