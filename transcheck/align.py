"""Whole-briefing alignment of the two token streams, as one sequence each (never line by line)."""

from __future__ import annotations

from typing import Sequence

from rapidfuzz.distance import Levenshtein

from .models import AlignmentOp, Token

Opcode = tuple[str, int, int, int, int]


def align_words(a: Sequence[str], b: Sequence[str]) -> list[Opcode]:
    """Edit-distance opcodes between two word lists (words mapped to integer ids first)."""
    vocab: dict[str, int] = {}
    ids_a = [vocab.setdefault(w, len(vocab)) for w in a]
    ids_b = [vocab.setdefault(w, len(vocab)) for w in b]
    return [(op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end)
            for op in Levenshtein.opcodes(ids_a, ids_b)]


def _stream(tokens: Sequence[Token]) -> tuple[list[str], list[int]]:
    words: list[str] = []
    owner: list[int] = []
    for i, token in enumerate(tokens):
        for sub in token.subwords:
            words.append(sub)
            owner.append(i)
    return words, owner


def anchors(rec: Sequence[Token], off: Sequence[Token]) -> list[tuple[int, int]]:
    """Token pairs matched one-to-one: every sub-word of each matched to a sub-word of the other."""
    rec_words, rec_owner = _stream(rec)
    off_words, off_owner = _stream(off)
    rec_links: list[set[int]] = [set() for _ in rec]
    off_links: list[set[int]] = [set() for _ in off]
    rec_hits = [0] * len(rec)
    off_hits = [0] * len(off)
    for tag, a0, a1, b0, b1 in align_words(rec_words, off_words):
        if tag != "equal":
            continue
        for p, q in zip(range(a0, a1), range(b0, b1)):
            i, j = rec_owner[p], off_owner[q]
            rec_links[i].add(j)
            off_links[j].add(i)
            rec_hits[i] += 1
            off_hits[j] += 1
    pairs = []
    for i, links in enumerate(rec_links):
        if len(links) != 1:
            continue
        j = next(iter(links))
        if (off_links[j] == {i} and rec_hits[i] == len(rec[i].subwords)
                and off_hits[j] == len(off[j].subwords)):
            pairs.append((i, j))
    return pairs


def align_tokens(rec: Sequence[Token], off: Sequence[Token]) -> list[AlignmentOp]:
    """Partition both token lists, in order, into equal runs and the differing runs between them."""
    ops: list[AlignmentOp] = []
    pi, pj = 0, 0
    for i, j in [*anchors(rec, off), (len(rec), len(off))]:
        if i > pi or j > pj:
            ops.append(AlignmentOp("differ", (pi, i), (pj, j)))
        if i < len(rec):
            last = ops[-1] if ops else None
            if last and last.tag == "equal" and last.rec[1] == i and last.off[1] == j:
                ops[-1] = AlignmentOp("equal", (last.rec[0], i + 1), (last.off[0], j + 1))
            else:
                ops.append(AlignmentOp("equal", (i, i + 1), (j, j + 1)))
        pi, pj = i + 1, j + 1
    return ops


def shifted(ops: Sequence[AlignmentOp], r: int, o: int) -> list[AlignmentOp]:
    """Ops of a sub-alignment moved onto the whole streams (recording tokens from r, official from o)."""
    return [AlignmentOp(op.tag, (op.rec[0] + r, op.rec[1] + r), (op.off[0] + o, op.off[1] + o)) for op in ops]
