"""Moved and repeated passages: one discrepancy each, not an omission and an insertion half hidden.

A paragraph printed in another place than it was said aligns as an omission where it was said and
an insertion where it is printed. When most of the words of one match the other, over enough
words, they are one `moved` passage: the passage is aligned against its own audio, so an edit
inside it is still found as an ordinary discrepancy. A passage printed twice aligns as an
insertion of the copy (often cut across both copies); it becomes one `repeated` discrepancy, the
second copy, cosmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from .align import align_tokens, align_words
from .models import AlignmentOp, Discrepancy, OfficialText, Token

MIN_WORDS = 8  # words a passage needs before it can count as moved or repeated
SHARE = 0.6  # share of the smaller side's words the two sides must have in common
COPY_SHARE = 0.8  # share of a printed run's words equal to the words one copy-length before or after


@dataclass(frozen=True)
class Move:
    """Recording tokens [rec) said in one place, printed as official tokens [off) in another."""

    rec: tuple[int, int]
    off: tuple[int, int]
    said_at: int  # official character offset where the passage would stand in the order it was said
    substantive: bool


@dataclass(frozen=True)
class Repeat:
    """Official tokens [off) that print again the passage just before (or after) them."""

    off: tuple[int, int]
    original: tuple[int, int]


def _subwords(tokens: Sequence[Token]) -> list[str]:
    return [s for t in tokens for s in t.subwords]


def _shared(a: Sequence[Token], b: Sequence[Token]) -> int:
    return sum(o[2] - o[1] for o in align_words(_subwords(a), _subwords(b)) if o[0] == "equal")


def _shift(ops: Sequence[AlignmentOp], r: int, o: int) -> list[AlignmentOp]:
    return [AlignmentOp(op.tag, (op.rec[0] + r, op.rec[1] + r), (op.off[0] + o, op.off[1] + o)) for op in ops]


# -- repeated ---------------------------------------------------------------------------------


def _copy_of(off: Sequence[Token], a: int, b: int) -> Optional[Repeat]:
    """The printed run [a, b) read as a copy: the same words one copy-length before or after them."""
    n = b - a
    if n < MIN_WORDS:
        return None
    norms = [t.norm for t in off]
    for length in range(max(MIN_WORDS, n - 3), n + 4):
        same = sum(1 for j in range(a, b) if (j - length >= 0 and norms[j] == norms[j - length])
                   or (j + length < len(off) and norms[j] == norms[j + length]))
        if same < COPY_SHARE * n:
            continue
        start = a  # the first copy starts where the repetition starts
        while start - 1 >= 0 and start - 1 + length < len(off) and norms[start - 1] == norms[start - 1 + length]:
            start -= 1
        while start + length <= a and norms[start] != norms[start + length]:
            start += 1
        return Repeat((start + length, start + 2 * length), (start, start + length))
    return None


def find_repeats(off: Sequence[Token], ops: Sequence[AlignmentOp]) -> list[Repeat]:
    """Printed runs the recording has no words for that repeat the passage next to them."""
    found: list[Repeat] = []
    for op in ops:
        if op.tag == "differ" and op.off[1] - op.off[0] >= MIN_WORDS and op.rec[1] - op.rec[0] <= 2:
            rep = _copy_of(off, *op.off)
            if rep and not any(r.off == rep.off for r in found):
                found.append(rep)
    return found


def without_copies(rec: Sequence[Token], off: Sequence[Token], repeats: Sequence[Repeat]) -> list[AlignmentOp]:
    """The alignment redone with each copy left out, each copy an op of its own (nothing heard for it)."""
    cut = sorted(repeats, key=lambda r: r.off)
    keep = [j for j in range(len(off)) if not any(r.off[0] <= j < r.off[1] for r in cut)]
    # where each copy sits among the kept tokens
    pending = [(sum(1 for j in keep if j < r.off[0]), r) for r in cut]
    out: list[AlignmentOp] = []

    def emit(tag: str, rec_range: tuple[int, int], a: int, b: int) -> None:
        start = keep[a] if a < len(keep) else len(off)
        out.append(AlignmentOp(tag, rec_range, (start, keep[b - 1] + 1 if b > a else start)))

    for op in align_tokens(rec, [off[j] for j in keep]):
        (a, b), (r0, r1) = op.off, op.rec
        while pending and pending[0][0] <= a:
            out.append(AlignmentOp("differ", (r0, r0), pending.pop(0)[1].off))
        while pending and a < pending[0][0] < b:  # a copy inside this op: cut the op there
            place, rep = pending.pop(0)
            mid = r0 + (place - a) if op.tag == "equal" else r1
            emit(op.tag, (r0, mid), a, place)
            r0, a = mid, place
            out.append(AlignmentOp("differ", (r0, r0), rep.off))
        emit(op.tag, (r0, r1), a, b)
    out.extend(AlignmentOp("differ", (len(rec), len(rec)), rep.off) for _, rep in pending)
    return [op for op in out if op.rec[1] > op.rec[0] or op.off[1] > op.off[0]]


# -- moved ------------------------------------------------------------------------------------


def _crosses(official: OfficialText, a: int, b: int) -> bool:
    """A speaker label, or a paragraph that is a question, lies between official offsets a and b."""
    lo, hi = min(a, b), max(a, b)
    if official.speaker_at(lo) != official.speaker_at(hi) or any(lo <= lab.start < hi for lab in official.labels):
        return True
    return any(lo <= p0 and p1 <= hi and official.text[p0:p1].rstrip().endswith("?")
               for p0, p1 in official.paragraphs)


def find_moves(rec: Sequence[Token], off: Sequence[Token], ops: Sequence[AlignmentOp],
               official: OfficialText) -> tuple[list[Move], list[AlignmentOp]]:
    """Passages heard in one differing run and printed in another, and the alignment recut around them.

    The recut alignment puts each moved passage's own alignment (recording words against the
    printed copy) where it was said, so classify finds the edits inside it.
    """
    ops = list(ops)
    rec_free = {k: op.rec for k, op in enumerate(ops) if op.tag == "differ" and op.rec[1] - op.rec[0] >= MIN_WORDS}
    off_free = {k: op.off for k, op in enumerate(ops) if op.tag == "differ" and op.off[1] - op.off[0] >= MIN_WORDS}
    pairs = []
    for i, r in rec_free.items():
        for j, o in off_free.items():
            if i == j:
                continue
            shared = _shared(rec[r[0]:r[1]], off[o[0]:o[1]])
            smaller = min(len(_subwords(rec[r[0]:r[1]])), len(_subwords(off[o[0]:o[1]])))
            if shared >= MIN_WORDS and shared >= SHARE * smaller:
                pairs.append((shared, i, j))
    used_rec: set[int] = set()
    used_off: set[int] = set()
    moves: list[Move] = []
    for _, i, j in sorted(pairs, reverse=True):
        if i in used_rec or j in used_off:
            continue
        used_rec.add(i)
        used_off.add(j)
        r, o = ops[i].rec, ops[j].off
        said_at = int(off[ops[i].off[0]].start) if ops[i].off[0] < len(off) else len(official.text)
        moves.append(Move(r, o, said_at, _crosses(official, said_at, int(off[o[0]].start))))
    if not moves:
        return [], ops
    out: list[AlignmentOp] = []
    for k, op in enumerate(ops):
        move_here = next((m for m in moves if k in used_rec and m.rec == op.rec), None)
        keep_off = k not in used_off
        if move_here:
            if keep_off and op.off[1] > op.off[0]:
                out.append(AlignmentOp("differ", (op.rec[0], op.rec[0]), op.off))
            inner = align_tokens(rec[op.rec[0]:op.rec[1]], off[move_here.off[0]:move_here.off[1]])
            out.extend(_shift(inner, op.rec[0], move_here.off[0]))
        elif not keep_off:
            if op.rec[1] > op.rec[0]:
                out.append(AlignmentOp("differ", op.rec, (op.off[0], op.off[0])))
        else:
            out.append(op)
    return moves, out


# -- the discrepancies --------------------------------------------------------------------------


def _rec_span(rec: Sequence[Token], r: tuple[int, int]) -> tuple[float, float, str]:
    if r[1] > r[0]:
        return rec[r[0]].start, rec[r[1] - 1].end, " ".join(t.text for t in rec[r[0]:r[1]])
    at = rec[r[0] - 1].end if r[0] > 0 else (rec[0].start if rec else 0.0)
    return at, at, ""


def passage_discrepancies(found: Sequence[Discrepancy], rec: Sequence[Token], off: Sequence[Token],
                          ops: Sequence[AlignmentOp], official: OfficialText, moves: Sequence[Move],
                          repeats: Sequence[Repeat]) -> list[Discrepancy]:
    """`found` with each copy's insertion replaced by one `repeated` discrepancy, and a `moved` one
    added for each moved passage (the differences inside it stay as found)."""
    copies = [r.off for r in repeats]
    out = [d for d in found if not any(c[0] <= d.off_tokens[0] and d.off_tokens[1] <= c[1]
                                       and d.rec_tokens[0] == d.rec_tokens[1] for c in copies)]
    for rep in repeats:
        o0, o1 = int(off[rep.off[0]].start), int(off[rep.off[1] - 1].end)
        first = int(off[rep.original[0]].start)
        place = next((op.rec[0] for op in ops if op.off == rep.off), 0)
        at = _rec_span(rec, (place, place))[0]
        out.append(Discrepancy(
            id="", kind="repeated", severity="cosmetic", reason="the same passage printed twice",
            rec_start=at, rec_end=at, rec_text="", off_start=o0, off_end=o1, off_text=official.text[o0:o1],
            rec_tokens=(0, 0), off_tokens=rep.off, speaker=official.speaker_at(o0),
            evidence={"first_copy": {"start": first, "end": int(off[rep.original[1] - 1].end)}}))
    for move in moves:
        rec_start, rec_end, rec_text = _rec_span(rec, move.rec)
        o0, o1 = int(off[move.off[0]].start), int(off[move.off[1] - 1].end)
        reason = ("printed under another speaker or question than it was said" if move.substantive
                  else "printed in another place within the same turn")
        out.append(Discrepancy(
            id="", kind="moved", severity="substantive" if move.substantive else "cosmetic", reason=reason,
            rec_start=float(rec_start), rec_end=float(rec_end), rec_text=rec_text, off_start=o0, off_end=o1,
            off_text=official.text[o0:o1], rec_tokens=move.rec, off_tokens=move.off,
            speaker=official.speaker_at(o0), importance=0.5 if move.substantive else 0.0,
            evidence={"said_at_official": move.said_at,
                      "said_speaker": official.speaker_at(move.said_at)}))
    # a moved passage before the differences inside it, so they own their words
    return sorted(out, key=lambda d: (d.rec_start, d.kind != "moved", d.off_start))
