"""Is a difference what near-verbatim editing allows, a real change, or a likely mishearing?"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

from rapidfuzz import fuzz

from .models import COSMETIC, SUBSTANTIVE, Token
from .normalize import contracted_form, joined_form
from .phonetic import sounds_alike

# Words near-verbatim transcripts drop or add freely (sub-word forms, after normalisation).
DISCOURSE = frozenset({"well", "so", "okay", "oh", "yeah", "like", "actually", "basically", "now",
                       "right", "just", "really", "anyway"})
DISCOURSE_PAIRS = frozenset({("you", "know"), ("i", "mean"), ("sort", "of"), ("kind", "of"),
                             ("you", "see"), ("i", "think")})
FUNCTION = frozenset({"a", "an", "the", "and", "of", "to", "that", "in", "is", "are", "was", "were",
                      "it", "so", "but", "for", "on", "at", "as", "with", "this", "be", "by", "or",
                      "there", "then", "also", "do", "have", "has", "had", "will", "would", "we", "i",
                      "you", "they", "he", "she", "its", "their", "our", "which", "who", "from"})
EDITING = frozenset({"well", "not", "no", "i", "mean", "sorry", "or", "rather", "let", "me", "say",
                     "actually", "that", "is", "excuse"})
NEGATIONS = frozenset({"not", "no", "never", "none", "nothing", "nobody", "neither", "nor", "without",
                       "cannot"})
_DIGIT_RE = re.compile(r"\d")
MAX_REPEAT = 8


@dataclass(frozen=True)
class Assessment:
    """The verdict of the text-only rules on one region of difference."""

    severity: str
    reason: str
    likely_recognition_error: bool = False
    importance: float = 0.0
    evidence: dict[str, Any] = field(default_factory=dict, hash=False)


def _subs(tokens: Sequence[Token]) -> list[str]:
    return [s for t in tokens for s in t.subwords]


def _repeats(seq: list[str], lo: int, hi: int) -> set[int]:
    """Positions in seq[lo:hi] covered by an immediate repeat or a self-repair of neighbours."""
    marked: set[int] = set()

    def mark(a: int, b: int) -> None:
        marked.update(range(max(a, lo), min(b, hi)))

    start, stop = max(0, lo - MAX_REPEAT * 2 - 3), min(len(seq), hi + MAX_REPEAT * 2 + 3)
    for n in range(1, MAX_REPEAT + 1):
        for p in range(start, stop - n + 1):
            unit = seq[p:p + n]
            for gap in range(0, 4):
                q = p + n + gap
                if q + n > len(seq) or seq[q:q + n] != unit:
                    continue
                if gap and not all(w in EDITING for w in seq[p + n:q]):
                    continue
                if gap == 0:
                    if lo <= p and p + n <= hi:
                        mark(p, p + n)
                    if lo <= q and q + n <= hi:
                        mark(q, q + n)
                elif lo <= p and q <= hi:
                    mark(p, q)
                    if q + n <= hi:
                        mark(q, q + n)
    return marked


def repetition_mask(stream: list[str], lo: int, hi: int) -> list[bool]:
    """For stream[lo:hi], which sub-words are repeats, stutters or self-repairs of neighbours.

    An n-gram immediately repeated ("the the", "might might") marks either copy; an n-gram
    repeated after a short interregnum of editing words ("a UN staff member, well, not a UN
    staff member") marks the first copy and the interregnum, and the repair only if the first
    copy is marked too (dropping only the repair would change the meaning). Copies are also
    compared on content words alone, so "it's UN staff member" repeats "it's a UN staff member".
    """
    marked = _repeats(stream, lo, hi)
    keep = [i for i in range(max(0, lo - 40), min(len(stream), hi + 40)) if stream[i] not in FUNCTION]
    projected = [stream[i] for i in keep]
    plo = next((k for k, i in enumerate(keep) if i >= lo), len(keep))
    phi = next((k for k, i in enumerate(keep) if i >= hi), len(keep))
    hits = sorted(keep[k] for k in _repeats(projected, plo, phi))
    marked.update(hits)
    for a, b in zip(hits, hits[1:]):  # function words inside a repeated stretch go with it
        if b - a <= 6 and all(stream[k] in FUNCTION for k in range(a + 1, b)):
            marked.update(range(a, b))
    return [i in marked for i in range(lo, hi)]


def _discourse_mask(words: list[str]) -> list[bool]:
    mask = [w in DISCOURSE for w in words]
    for k in range(len(words) - 1):
        if (words[k], words[k + 1]) in DISCOURSE_PAIRS:
            mask[k] = mask[k + 1] = True
    return mask


def _similar(a: str, b: str) -> float:
    """How alike two wordings look or sound, 0..1."""
    return max(fuzz.ratio(a, b) / 100, sounds_alike(a, b))


def _prob_stats(tokens: Sequence[Token]) -> tuple[Optional[float], Optional[float]]:
    probs = [t.probability for t in tokens if t.probability is not None]
    if not probs:
        return None, None
    return sum(probs) / len(probs), min(probs)


def assess(rec: Sequence[Token], off: Sequence[Token], rec_stream: list[str], rec_lo: int,
           gap_mark: Optional[str] = None) -> Assessment:
    """Decide severity and reason for one region.

    `rec_stream` is the whole recording's sub-word stream and `rec_lo` the index of the
    region's first sub-word in it, so repetitions can be checked against the neighbours.
    """
    rec_words = [t for t in rec if not t.filler]
    off_words = [t for t in off if not t.filler]
    rs, os_ = _subs(rec_words), _subs(off_words)
    mean_p, min_p = _prob_stats(rec_words)
    evidence: dict[str, Any] = {}
    if mean_p is not None:
        evidence["mean_probability"] = round(mean_p, 3)
        evidence["min_probability"] = round(min_p, 3)
    if not rs and not os_:
        return Assessment(COSMETIC, "filler", evidence=evidence)
    if gap_mark and not os_:
        evidence["official_gap"] = gap_mark
        return Assessment(COSMETIC, f"the official text marks this passage as {gap_mark}",
                          evidence=evidence)
    if (joined_form(rec_words) == joined_form(off_words)
            or contracted_form(rec_words) == contracted_form(off_words)):
        return Assessment(COSMETIC, "same words written another way", evidence=evidence)

    repeat = repetition_mask(rec_stream, rec_lo, rec_lo + len(rs))
    discourse_r = _discourse_mask(rs)
    rest_r = [w for w, a, b in zip(rs, repeat, discourse_r) if not (a or b)]
    rest_o = [w for w, d in zip(os_, _discourse_mask(os_)) if not d]
    if "".join(rest_r) == "".join(rest_o):
        reason = ("false start or repetition" if any(repeat) else "filler or discourse marker")
        return Assessment(COSMETIC, reason, evidence=evidence)
    changed_r, changed_o = _changed(rest_r, rest_o)
    if len(changed_r) + len(changed_o) <= 2 and all(w in FUNCTION for w in changed_r + changed_o):
        return Assessment(COSMETIC, "function word", evidence=evidence)
    if not rest_o and 0 < len(rest_r) <= 4 and _is_restart(rec_stream, rec_lo + len(rs), rest_r):
        return Assessment(COSMETIC, "false start", evidence=evidence)

    content = [w for w in rest_r + rest_o if w not in FUNCTION]
    # a negation or a number counts where it changed, not where both sides have it ("has not yet
    # approved" heard as "does not yet approve" changes no negation)
    negation = any(w in NEGATIONS for w in changed_r + changed_o)
    number = any(_DIGIT_RE.search(w) for w in changed_r + changed_o)
    suspect = False
    if rest_r and rest_o:
        similarity = _similar(" ".join(changed_r), " ".join(changed_o))
        evidence["similarity"] = round(similarity, 3)
        pairs = _paired_similarity(rest_r, rest_o)
        suspect = ((pairs is not None and pairs >= 0.6) or similarity >= 0.6
                   or (mean_p is not None and mean_p < 0.45 and similarity >= 0.45))
        suspect = suspect and not negation and not number
    elif rest_r and mean_p is not None:
        suspect = len(rest_r) <= 2 and mean_p < 0.3 and not negation and not number
    suspect = bool(suspect)
    evidence["likely_recognition_error"] = suspect
    importance = len(content) + 3 * negation + 2 * number
    if suspect:
        importance *= 0.3
    reasons = [r for r, flag in (("negation", negation), ("number", number)) if flag]
    reason = ", ".join(reasons) if reasons else "content words"
    if suspect:
        reason += " (looks like a recognition error)"
    return Assessment(SUBSTANTIVE, reason, suspect, float(importance), evidence)


def _paired_similarity(a: list[str], b: list[str]) -> Optional[float]:
    """Lowest similarity over the word-for-word substitutions, or None if words go unpaired."""
    from rapidfuzz.distance import Levenshtein

    scores = []
    for op in Levenshtein.opcodes(a, b):
        if op.tag == "equal":
            continue
        left, right = a[op.src_start:op.src_end], b[op.dest_start:op.dest_end]
        if not left or not right:
            if all(w in FUNCTION for w in left + right):
                continue
            return None
        scores.append(_similar(" ".join(left), " ".join(right)))
    return min(scores) if scores else None


def _changed(a: list[str], b: list[str]) -> tuple[list[str], list[str]]:
    """The words of `a` and of `b` that an edit-distance alignment does not match."""
    from rapidfuzz.distance import Levenshtein

    out_a: list[str] = []
    out_b: list[str] = []
    for op in Levenshtein.opcodes(a, b):
        if op.tag != "equal":
            out_a.extend(a[op.src_start:op.src_end])
            out_b.extend(b[op.dest_start:op.dest_end])
    return out_a, out_b


def _is_restart(stream: list[str], after: int, words: list[str]) -> bool:
    """A false start: the omitted words begin like what the speaker said next ('we will, we have')."""
    if any(w in NEGATIONS or _DIGIT_RE.search(w) for w in words):
        return False
    nxt = stream[after:after + len(words)]
    return bool(nxt) and nxt[0] == words[0]
