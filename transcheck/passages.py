"""Moved and repeated passages: one discrepancy each, not an omission and an insertion half hidden.

A paragraph printed in another place than it was said aligns as an omission where it was said and
an insertion where it is printed (or as a scatter of chance matches between the two). Runs of at
least 8 words that both sides share in the same order (a one-word edit does not break a run) but
that the whole-stream alignment left mostly unmatched are found; those that fit the order of the
briefing are put back where they belong, and the others are `moved` passages. Each is aligned
against its own audio, so an edit inside it is still found as an ordinary discrepancy. A passage
printed twice aligns as an insertion of the copy (often cut across both copies); it becomes one
`repeated` discrepancy, the second copy, cosmetic, with any words where the copies differ kept as
evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from .align import align_tokens, align_words, shifted
from .models import AlignmentOp, Discrepancy, OfficialText, Token

MIN_WORDS = 8  # words a passage needs before it can count as moved or repeated
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


def _differences(off: Sequence[Token], copy: tuple[int, int], original: tuple[int, int]) -> list[dict]:
    """Where a copy's words differ from the first copy's (printed, both): kept as evidence."""
    a, b = [t.norm for t in off[copy[0]:copy[1]]], [t.norm for t in off[original[0]:original[1]]]
    return [{"copy": " ".join(a[i0:i1]), "first_copy": " ".join(b[j0:j1])}
            for tag, i0, i1, j0, j1 in align_words(a, b) if tag != "equal"]


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


HERE = (-1, -1)  # an anchor op's recording range: wherever the recording stands when it is put back


@dataclass(frozen=True)
class _Anchor:
    """Tokens cut out of one side before realigning, and the ops that stand for them where they were."""

    side: str  # "rec" or "off"
    span: tuple[int, int]
    ops: tuple[AlignmentOp, ...]


def realign_without(rec: Sequence[Token], off: Sequence[Token], anchors: Sequence[_Anchor],
                    lo: tuple[int, int] = (0, 0), hi: Optional[tuple[int, int]] = None) -> list[AlignmentOp]:
    """Align both sides (recording tokens lo[0]..hi[0], official lo[1]..hi[1]) with the anchors' spans
    cut out, then put each anchor's ops back where its span was."""
    hi = hi or (len(rec), len(off))
    anchors = [a for a in anchors if (lo[0] <= a.span[0] < hi[0] if a.side == "rec" else lo[1] <= a.span[0] < hi[1])]

    def kept(side: str, a: int, b: int) -> list[int]:
        return [i for i in range(a, b) if not any(x.side == side and x.span[0] <= i < x.span[1] for x in anchors)]

    keep = {"rec": kept("rec", lo[0], hi[0]), "off": kept("off", lo[1], hi[1])}
    size = {"rec": hi[0], "off": hi[1]}
    places = sorted(((sum(1 for i in keep[a.side] if i < a.span[0]), a) for a in anchors),
                    key=lambda pa: (pa[0], pa[1].span))
    pending = list(places)
    out: list[AlignmentOp] = []

    def orig(side: str, x: int, y: int) -> tuple[int, int]:
        k = keep[side]
        if y > x:
            return k[x], k[y - 1] + 1
        at = k[x] if x < len(k) else size[side]
        return at, at

    def emit(tag: str, r: tuple[int, int], o: tuple[int, int]) -> None:
        op = AlignmentOp(tag, orig("rec", *r), orig("off", *o))
        if op.rec[1] > op.rec[0] or op.off[1] > op.off[0]:
            out.append(op)

    def flush(rec_at: int, off_at: int) -> None:
        for item in [p for p in pending if p[0] <= (rec_at if p[1].side == "rec" else off_at)]:
            pending.remove(item)
            here = out[-1].rec[1] if out else lo[0]
            out.extend(AlignmentOp(op.tag, (here, here), op.off) if op.rec == HERE else op for op in item[1].ops)

    for op in align_tokens([rec[i] for i in keep["rec"]], [off[j] for j in keep["off"]]):
        (a, b), (c, d) = op.rec, op.off
        flush(a, c)
        # inside an equal run: strictly; a differing run is also cut by words put back at its end
        last = 1 if op.tag == "differ" else 0
        inside = sorted(((p, anchor) for p, anchor in pending
                         if (a < p < b + last if anchor.side == "rec" else c < p < d)), key=lambda pa: pa[0])
        if not inside:
            emit(op.tag, (a, b), (c, d))
            continue
        if op.tag == "equal":  # cut at each place, in step on both sides
            cuts = sorted({p if anchor.side == "rec" else a + (p - c) for p, anchor in inside})
            x = a
            for cut in cuts + [b]:
                emit("equal", (x, cut), (c + x - a, c + cut - a))
                flush(cut, c + cut - a)
                x = cut
            continue
        for side, lo, hi in (("rec", a, b), ("off", c, d)):
            x = lo
            for cut in sorted(p for p, anchor in inside if anchor.side == side) + [hi]:
                emit("differ", (x, cut) if side == "rec" else (b, b), (c, c) if side == "rec" else (x, cut))
                flush(cut if side == "rec" else b, cut if side == "off" else c)
                x = cut
    flush(len(keep["rec"]), len(keep["off"]))
    return out


def without_copies(rec: Sequence[Token], off: Sequence[Token], repeats: Sequence[Repeat]) -> list[AlignmentOp]:
    """The alignment redone with each copy left out, each copy an op of its own (nothing heard for it)."""
    return realign_without(rec, off, [_Anchor("off", r.off, (AlignmentOp("differ", HERE, r.off),)) for r in repeats])


# -- moved ------------------------------------------------------------------------------------


def _crosses(official: OfficialText, a: int, b: int) -> bool:
    """A speaker label, or a paragraph that is a question, lies between official offsets a and b."""
    lo, hi = min(a, b), max(a, b)
    if official.speaker_at(lo) != official.speaker_at(hi) or any(lo <= lab.start < hi for lab in official.labels):
        return True
    return any(lo <= p0 and p1 <= hi and official.text[p0:p1].rstrip().endswith("?")
               for p0, p1 in official.paragraphs)


GRAM = 3  # words in a row that seed a block of shared words


def _blocks(rec: Sequence[Token], off: Sequence[Token]) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Runs of words the two sides share in the same order, wherever they lie (a one-word edit inside
    a run does not break it): (recording range, official range) pairs of at least MIN_WORDS tokens."""
    rn, on = [t.norm for t in rec], [t.norm for t in off]
    where: dict[tuple[str, ...], list[int]] = {}
    for j in range(len(on) - GRAM + 1):
        where.setdefault(tuple(on[j:j + GRAM]), []).append(j)
    seeds = sorted((i, j) for i in range(len(rn) - GRAM + 1) for j in where.get(tuple(rn[i:i + GRAM]), ()))
    runs: list[list[int]] = []  # [rec start, rec end, off start, off end]
    for i, j in seeds:
        for run in runs:
            if 0 <= i - run[1] <= 3 and 0 <= j - run[3] <= 3 and abs((j - i) - (run[3] - run[1])) <= 3:
                run[1], run[3] = max(run[1], i + GRAM), max(run[3], j + GRAM)
                break
            if run[0] <= i < run[1] and run[2] <= j < run[3] and (j - run[2]) - (i - run[0]) in (-1, 0, 1):
                run[1], run[3] = max(run[1], i + GRAM), max(run[3], j + GRAM)
                break
        else:
            runs.append([i, i + GRAM, j, j + GRAM])
    return [((a, b), (c, d)) for a, b, c, d in runs if min(b - a, d - c) >= MIN_WORDS]


def _matched(ops: Sequence[AlignmentOp]) -> tuple[set[int], set[int]]:
    rec = {i for op in ops if op.tag == "equal" for i in range(*op.rec)}
    off = {j for op in ops if op.tag == "equal" for j in range(*op.off)}
    return rec, off


def find_moves(rec: Sequence[Token], off: Sequence[Token], ops: Sequence[AlignmentOp],
               official: OfficialText) -> tuple[list[Move], list[AlignmentOp]]:
    """Passages said in one place and printed in another, and the alignment redone around them.

    A run of shared words that the whole-briefing alignment left mostly unmatched on both sides is
    a moved passage. The alignment is redone without it, and its own alignment (its recording words
    against its printed copy) is put where it was said, so classify finds the edits inside it.
    """
    heard, printed = _matched(ops)
    loose = [b for b in _blocks(rec, off)
             if sum(i not in heard for i in range(*b[0])) > (b[0][1] - b[0][0]) / 2
             and sum(j not in printed for j in range(*b[1])) > (b[1][1] - b[1][0]) / 2]
    if not loose:
        return [], list(ops)
    runs = [(op.rec, op.off) for op in ops if op.tag == "equal" and op.rec[1] - op.rec[0] >= GRAM]
    in_order = _chain(runs + loose)
    loose = [b if b in in_order else _with_unmatched_beside(b, heard, printed, loose, len(rec), len(off))
             for b in loose]
    in_order = {b for b in loose if b in in_order}
    moves: list[Move] = []
    anchors: list[_Anchor] = []
    fixed: list[tuple[tuple[int, int], tuple[int, int], tuple[AlignmentOp, ...]]] = []
    taken: list[tuple[tuple[int, int], tuple[int, int]]] = []
    for r, o in sorted(loose, key=lambda b: b[0][0] - b[0][1]):
        if any(t[0][0] < r[1] and r[0] < t[0][1] or t[1][0] < o[1] and o[0] < t[1][1] for t in taken):
            continue
        taken.append((r, o))
        if (r, o) not in in_order:
            said_at = _said_at(off, ops, r[0])
            moves.append(Move(r, o, said_at, _crosses(official, said_at, int(off[o[0]].start))))
        inner = tuple(shifted(align_tokens(rec[r[0]:r[1]], off[o[0]:o[1]]), r[0], o[0]))
        if (r, o) in in_order:
            fixed.append((r, o, inner))
        else:
            anchors += [_Anchor("rec", r, inner), _Anchor("off", o, ())]
    # in-order passages are fixed points: the rest is aligned between them, moved passages cut out
    out: list[AlignmentOp] = []
    at = (0, 0)
    for r, o, inner in sorted(fixed) + [((len(rec), len(rec)), (len(off), len(off)), ())]:
        out += realign_without(rec, off, anchors, at, (r[0], o[0])) + list(inner)
        at = (r[1], o[1])
    return moves, out


BESIDE = 30  # words beside a moved passage that it may take in on each side


def _with_unmatched_beside(block: tuple[tuple[int, int], tuple[int, int]], heard: set[int], printed: set[int],
                           others: Sequence[tuple[tuple[int, int], tuple[int, int]]], n_rec: int, n_off: int,
                           ) -> tuple[tuple[int, int], tuple[int, int]]:
    """A moved passage with the words either side of it, on each side, that nothing else matched.

    A run of shared words stops where the recogniser skipped or garbled a sentence inside the
    passage ("with Robbie" heard for "with mud huts and date palms ... the great Hammurabi"): the
    printed words it skipped would stay where the passage is printed, as an insertion with no audio
    to hold it ("no room", confirmed), and the garble where it was said, as an omission. Taken into
    the passage, they are aligned against the audio where it was said, as the faithful text's are.
    Heard words are taken in only at an end where printed words are too.
    """
    (r0, r1), (o0, o1) = block

    def free(side: int, i: int) -> bool:
        matched = heard if side == 0 else printed
        return i not in matched and not any(b[side][0] <= i < b[side][1] for b in others if b != block)

    def run(side: int, at: int, step: int, end: int) -> int:
        n = 0
        while n < BESIDE and 0 <= at + step * n < end and free(side, at + step * n):
            n += 1
        return n

    plo, phi = run(1, o0 - 1, -1, n_off), run(1, o1, 1, n_off)
    # heard words beside it are taken in only with printed ones: alone, they may be anybody's
    lo = run(0, r0 - 1, -1, n_rec) if plo else 0
    hi = run(0, r1, 1, n_rec) if phi else 0
    return (r0 - lo, r1 + hi), (o0 - plo, o1 + phi)


def _chain(units: list[tuple[tuple[int, int], tuple[int, int]]]) -> set:
    """The heaviest set of units (recording range, official range) in the same order on both sides."""
    units = sorted(units)
    best: list[float] = []
    back: list[int] = []
    for k, (r, o) in enumerate(units):
        weight = r[1] - r[0]
        score, prev = weight, -1
        for q in range(k):
            if units[q][0][1] <= r[0] and units[q][1][1] <= o[0] and best[q] + weight > score:
                score, prev = best[q] + weight, q
        best.append(score)
        back.append(prev)
    chain: set = set()
    k = max(range(len(units)), key=best.__getitem__) if units else -1
    while k >= 0:
        chain.add(units[k])
        k = back[k]
    return chain


def _said_at(off: Sequence[Token], ops: Sequence[AlignmentOp], i: int) -> int:
    """The official character offset of the last matched word before recording token i."""
    before = [op for op in ops if op.tag == "equal" and op.rec[0] < i]
    if not before:
        return 0
    op = before[-1]
    j = op.off[0] + min(i, op.rec[1]) - op.rec[0] - 1
    return int(off[j].end)


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
            evidence={"first_copy": {"start": first, "end": int(off[rep.original[1] - 1].end)},
                      "differs_from_first_copy": _differences(off, rep.off, rep.original)}))
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
