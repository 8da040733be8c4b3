"""What each side covers: recording stretches the transcript does not print, printed stretches with no audio.

A feed that starts before the briefing, a transcript that stops at part one, a recording cut off
before the last answer: these are not omissions or insertions, and calling them so is a false
accusation. The covered part of the briefing runs from the first to the last solid run of words
both sides share; what lies outside it is coverage when the boundary is clean, and an ordinary
discrepancy when it is not.

The rule for the recording's side (a stretch the transcript does not print) is a clean break:
the stretch is at least `MIN_WORDS` words and `MIN_SECONDS` long, a pause of at least `PAUSE`
seconds (`HEAD_PAUSE` before the briefing) separates it from the covered briefing, the heard sentence ends at that pause, the stretch
changes the topic (few of its content words occur in the official text), and the printed text at
the boundary is a whole sentence that does not ask for an answer (it does not end with a question or
a speaker label). Speech that runs on mid-sentence, that answers the last printed question, or that
goes on about the briefing's subject is a dropped passage: an omission, checked like any other.

The rule for the official side (printed words with no audio) is room: the recording ends (or
begins) too soon after (or before) the covered part to have held the printed words, at half the
speaker's pace. If the audio had room for them and they were not said, they are an insertion.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any, Optional, Sequence

from .align import align_tokens, shifted
from .models import AlignmentOp, Discrepancy, OfficialText, Token
from .severity import FUNCTION

MIN_WORDS = 8  # a shorter stretch outside the covered part stays an ordinary discrepancy
MIN_SECONDS = 4.0
PAUSE = 1.0  # seconds of silence that separate the briefing from what surrounds it...
# ...and before it, where the words heard leave less: talk before a briefing starts often runs
# straight into it ("...once the cameras are ready. Good morning."), and Whisper's word times shrink
# a pause (0.68 s heard for the 0.7 s between "ready" and "Good morning"). Its other tests (whole
# sentences, another topic, the first solid run of printed words just after) still hold there.
HEAD_PAUSE = 0.5
SOLID = 3  # shared words in a row that mark where the briefing is
DENSITY = 0.5  # ...followed by at least this share of shared words over the next LOOKAHEAD words
LOOKAHEAD = 20
TOPIC_SHARE = 0.3  # a stretch sharing this share of its content words with the briefing continues it
ROOM = 0.5  # printed words fit in the remaining audio if it holds this share of the time they need

BEFORE_TRANSCRIPT = "before the transcript begins"
AFTER_TRANSCRIPT = "after the transcript ends"
BEFORE_RECORDING = "before the recording begins"
AFTER_RECORDING = "after the recording ends"
NOT_RECOGNISED = "speech not recognised"
OVER_UNRECOGNISED = "over speech not recognised"


@dataclass(frozen=True)
class Stretch:
    """A stretch of one side that the other does not cover: seconds (recording) or characters (official)."""

    side: str
    start: float
    end: float
    tokens: tuple[int, int]
    reason: str
    words: int
    text: str

    def __post_init__(self) -> None:
        if self.side not in ("recording", "official"):
            raise ValueError(f"coverage side must be 'recording' or 'official', not {self.side!r}")
        if self.end < self.start:
            raise ValueError(f"coverage stretch ends ({self.end}) before it starts ({self.start})")

    def to_dict(self) -> dict[str, Any]:
        start, end = ((round(self.start, 3), round(self.end, 3)) if self.side == "recording"
                      else (int(self.start), int(self.end)))
        return {"start": start, "end": end, "reason": self.reason, "words": self.words, "text": self.text,
                "tokens": list(self.tokens)}

    @classmethod
    def from_dict(cls, side: str, data: dict[str, Any]) -> "Stretch":
        return cls(side, float(data["start"]), float(data["end"]), tuple(data.get("tokens", (0, 0))),
                   str(data["reason"]), int(data.get("words", 0)), str(data.get("text", "")))


@dataclass(frozen=True)
class Coverage:
    """The stretches of each side that the other does not cover; empty when both cover the same briefing."""

    recording: tuple[Stretch, ...] = ()
    official: tuple[Stretch, ...] = ()

    def rec_indices(self) -> set[int]:
        return {i for s in self.recording for i in range(*s.tokens)}

    def off_indices(self) -> set[int]:
        return {j for s in self.official for j in range(*s.tokens)}

    def covers(self, d: Discrepancy) -> bool:
        """The discrepancy lies wholly outside what both sides cover (so it is coverage, not a difference)."""
        rec, off = self.rec_indices(), self.off_indices()
        inside_rec = all(i in rec for i in range(*d.rec_tokens))
        inside_off = all(j in off for j in range(*d.off_tokens))
        some = d.rec_tokens[1] > d.rec_tokens[0] or d.off_tokens[1] > d.off_tokens[0]
        return some and inside_rec and inside_off

    def to_dict(self) -> dict[str, Any]:
        return {"recording": [s.to_dict() for s in self.recording],
                "official": [s.to_dict() for s in self.official]}

    @classmethod
    def from_dict(cls, data: Optional[dict[str, Any]]) -> "Coverage":
        data = data or {}
        return cls(tuple(Stretch.from_dict("recording", s) for s in data.get("recording", [])),
                   tuple(Stretch.from_dict("official", s) for s in data.get("official", [])))


def _words(tokens: Sequence[Token]) -> int:
    return sum(1 for t in tokens if not t.filler)


def _pace(rec: Sequence[Token], a: int, b: int) -> float:
    """Seconds per word over the covered part of the recording."""
    words = _words(rec[a:b])
    return max(0.2, (rec[b - 1].end - rec[a].start) / words) if words and b > a else 0.4


def _solid(ops: Sequence[AlignmentOp], k: int, step: int) -> bool:
    """Op k is a run of shared words that, with what follows it (step=1) or precedes it (step=-1), is
    mostly shared words."""
    op = ops[k]
    if op.tag != "equal" or op.rec[1] - op.rec[0] < SOLID:
        return False
    if op.rec[1] - op.rec[0] >= MIN_WORDS:  # chance agreement does not run this long
        return True
    seen = shared = op.rec[1] - op.rec[0]
    j = k + step
    while 0 <= j < len(ops) and seen < LOOKAHEAD:
        n = max(ops[j].rec[1] - ops[j].rec[0], ops[j].off[1] - ops[j].off[0])
        seen += n
        shared += n if ops[j].tag == "equal" else 0
        j += step
    return shared >= DENSITY * seen


def _text(tokens: Sequence[Token]) -> str:
    return " ".join(t.text for t in tokens)


class _Sides:
    """Both token streams and the official text, with the tests the coverage rules ask of them."""

    def __init__(self, rec: Sequence[Token], off: Sequence[Token], official: OfficialText) -> None:
        self.rec, self.off, self.official = rec, off, official

    def rec_stretch(self, a: int, b: int, reason: str) -> Stretch:
        return Stretch("recording", self.rec[a].start, self.rec[b - 1].end, (a, b), reason,
                       _words(self.rec[a:b]), _text(self.rec[a:b]))

    def off_stretch(self, a: int, b: int, reason: str) -> Stretch:
        start, end = int(self.off[a].start), int(self.off[b - 1].end)
        return Stretch("official", start, end, (a, b), reason, _words(self.off[a:b]),
                       self.official.text[start:end])

    def long_enough(self, a: int, b: int) -> bool:
        return (b > a and _words(self.rec[a:b]) >= MIN_WORDS
                and self.rec[b - 1].end - self.rec[a].start >= MIN_SECONDS)

    def printed_closes(self, j: int) -> bool:
        """Official token j ends a sentence that asks for no answer (no question, no speaker label after it)."""
        token = self.off[j]
        if not token.ends_sentence:
            return False
        after = self.official.text[int(token.end):int(token.end) + 3]
        if after.lstrip(" \"'\u201d\u2019)").startswith("?"):
            return False
        following = [lab for lab in self.official.labels if lab.start >= token.end]
        nxt = int(self.off[j + 1].start) if j + 1 < len(self.off) else len(self.official.text)
        return not any(lab.start < nxt for lab in following)

    def clean_break_before(self, k: int) -> bool:
        """Recording tokens before k stand apart from the briefing that starts at token k."""
        rec = self.rec
        if k <= 0 or k >= len(rec):
            return False
        return (rec[k].start - rec[k - 1].end >= HEAD_PAUSE and rec[k - 1].ends_sentence
                and new_topic(rec[:k], self.off))

    def clean_break_after(self, k: int, d: int) -> bool:
        """Recording tokens from k on stand apart from the briefing that ends before token k, whose
        printed text ends before official token d."""
        rec = self.rec
        if k <= 0 or k >= len(rec) or d <= 0:
            return False
        return (rec[k].start - rec[k - 1].end >= PAUSE and rec[k - 1].ends_sentence
                and self.printed_closes(d - 1) and new_topic(rec[k:], self.off))


def _content(tokens: Sequence[Token]) -> set[str]:
    return {w for t in tokens for w in t.subwords if len(w) >= 4 and w not in FUNCTION and not w.isdigit()}


def new_topic(stretch: Sequence[Token], covered: Sequence[Token]) -> bool:
    """Few of the stretch's content words occur in the covered text: other talk, not more of the briefing."""
    words = _content(stretch)
    return not words or len(words & _content(covered)) < TOPIC_SHARE * len(words)


def find_coverage(rec: Sequence[Token], off: Sequence[Token], ops: Sequence[AlignmentOp], official: OfficialText,
                  duration: float) -> tuple[Coverage, tuple[AlignmentOp, ...]]:
    """The stretches outside what both sides cover, and the alignment recut so each is an op of its own."""
    ops = list(ops)
    firsts = [k for k in range(len(ops)) if _solid(ops, k, 1)]
    lasts = [k for k in range(len(ops)) if _solid(ops, k, -1)]
    if not firsts or not lasts or lasts[-1] < firsts[0]:
        return Coverage(), tuple(ops)
    first, last = firsts[0], lasts[-1]
    a, c = ops[first].rec[0], ops[first].off[0]
    b, d = ops[last].rec[1], ops[last].off[1]
    finder = _Sides(rec, off, official)
    pace = _pace(rec, a, b)
    rec_cov: list[Stretch] = []
    off_cov: list[Stretch] = []
    head: list[AlignmentOp] = []
    tail: list[AlignmentOp] = []

    # before the covered part
    split = a
    if c > 0:
        needed = pace * _words(off[:c])
        if rec[a].start < ROOM * needed and _words(off[:c]) >= MIN_WORDS:
            # the first words heard may still be the last of these printed ones
            sub = align_tokens(rec[:a], off[:c])
            eq = next((op for op in sub if op.tag == "equal"), None)
            r, j = (eq.rec[0], eq.off[0]) if eq else (a, c)
            if _words(off[:j]) >= MIN_WORDS:
                off_cov.append(finder.off_stretch(0, j, BEFORE_RECORDING))
                head = [AlignmentOp("differ", (0, r), (0, 0)), AlignmentOp("differ", (r, r), (0, j))]
                head += [op for op in sub if op.rec[0] >= r and op.off[0] >= j]
        else:  # the printed words face the recording just before the covered part
            while split > 0 and rec[split - 1].start >= rec[a].start - needed - PAUSE:
                split -= 1
    if finder.long_enough(0, split) and finder.clean_break_before(split):
        rec_cov.append(finder.rec_stretch(0, split, BEFORE_TRANSCRIPT))
        head.append(AlignmentOp("differ", (0, split), (0, 0)))
        if split < a or c > 0:
            head.append(AlignmentOp("differ", (split, a), (0, c)))
    elif not off_cov:
        head = ops[:first]

    # after it
    n, m = len(rec), len(off)
    split = b
    if d < m:
        needed = pace * _words(off[d:])
        if duration - rec[b - 1].end < ROOM * needed and _words(off[d:]) >= MIN_WORDS:
            # the last words heard may still be the first of these printed ones
            sub = shifted(align_tokens(rec[b:], off[d:]), b, d)
            eq = next((op for op in reversed(sub) if op.tag == "equal"), None)
            r, j = (eq.rec[1], eq.off[1]) if eq else (b, d)
            if _words(off[j:]) >= MIN_WORDS:
                off_cov.append(finder.off_stretch(j, m, AFTER_RECORDING))
                tail = [op for op in sub if op.rec[1] <= r and op.off[1] <= j]
                tail += [AlignmentOp("differ", (r, n), (j, j)), AlignmentOp("differ", (n, n), (j, m))]
        else:
            while split < n and rec[split].end <= rec[b - 1].end + needed + PAUSE:
                split += 1
    after_recording = bool(off_cov) and off_cov[-1].reason == AFTER_RECORDING
    if not after_recording and finder.long_enough(split, n) and finder.clean_break_after(split, m):
        tail.append(AlignmentOp("differ", (b, split), (d, m)))
        rec_cov.append(finder.rec_stretch(split, n, AFTER_TRANSCRIPT))
        tail.append(AlignmentOp("differ", (split, n), (m, m)))
    elif not after_recording:
        tail = ops[last + 1:]
    recut = head + ops[first:last + 1] + tail
    return Coverage(tuple(rec_cov), tuple(off_cov)), tuple(op for op in recut
                                                           if op.rec[1] > op.rec[0] or op.off[1] > op.off[0])


def over_unrecognised(found: Sequence[Discrepancy], rec: Sequence[Token], off: Sequence[Token],
                      official: OfficialText, coverage: Coverage,
                      unrecognised: Sequence[tuple[float, float]]) -> tuple[list[Discrepancy], Coverage]:
    """Speech that gave no words even heard alone is coverage; printed words that stand where it was
    said are unverifiable (nothing was recognised to disagree with), not insertions."""
    if not unrecognised:
        return list(found), coverage
    starts = [t.start for t in rec]
    rec_cov = [Stretch("recording", a, b, (_index(starts, a),) * 2, NOT_RECOGNISED, 0, "") for a, b in unrecognised]
    kept, off_cov = [], []
    for d in found:
        r0, r1 = d.rec_tokens
        lo = rec[r0 - 1].end if r0 > 0 else 0.0
        hi = rec[r1].start if r1 < len(rec) else float("inf")
        if d.kind == "insertion" and any(a < hi and lo < b for a, b in unrecognised):
            o0, o1 = d.off_tokens
            off_cov.append(Stretch("official", d.off_start, d.off_end, (o0, o1), OVER_UNRECOGNISED,
                                   _words(off[o0:o1]), d.off_text))
        else:
            kept.append(d)
    return kept, Coverage(tuple(sorted(coverage.recording + tuple(rec_cov), key=lambda s: s.start)),
                          tuple(sorted(coverage.official + tuple(off_cov), key=lambda s: s.start)))


def _index(starts: list[float], t: float) -> int:
    return bisect.bisect_left(starts, t)
