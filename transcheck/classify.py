"""Alignment -> discrepancies (kind, severity, evidence), the aligned word stream and a summary."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional, Sequence

from rapidfuzz import fuzz

from .coverage import Coverage
from .models import (COSMETIC, INSERTION, KINDS, NOT_FOLLOWED, NOT_FOLLOWED_RECORDING, OMISSION, REWORDING, SEVERITIES, SUBSTANTIVE, VERDICTS,
                     AlignmentOp, Discrepancy, OfficialText, Token)
from .ner import ner_score
from .severity import Assessment, assess

_SENTENCE_END = (".", "?", "!", "\u2026")


@dataclass(frozen=True)
class Region:
    """Token ranges [rec) and [off) that differ (possibly with small equal islands inside)."""

    rec: tuple[int, int]
    off: tuple[int, int]


def _prefix_counts(tokens: Sequence[Token]) -> list[int]:
    """counts[i] = number of sub-words before token i."""
    counts = [0]
    for t in tokens:
        counts.append(counts[-1] + len(t.subwords))
    return counts


class Classifier:
    """Turns one alignment into discrepancies; holds the context the rules need."""

    def __init__(self, rec: Sequence[Token], off: Sequence[Token], ops: Sequence[AlignmentOp],
                 official: OfficialText, merge_gap: int = 2) -> None:
        self.rec, self.off, self.ops, self.official = rec, off, list(ops), official
        self.merge_gap = merge_gap
        self.rec_stream = [s for t in rec for s in t.subwords]
        self.rec_counts = _prefix_counts(rec)
        self.gap_marks = [m for m in official.marks if m.gap]
        self.rec_starts = [i == 0 or rec[i - 1].ends_sentence for i in range(len(rec))]
        self.off_starts = [self._starts_sentence(t) for t in off]

    def _starts_sentence(self, token: Token) -> bool:
        before = self.official.text[:int(token.start)].rstrip(" \t\"'\u201c\u2018(")
        return not before or before.endswith(_SENTENCE_END + ("\n", ":", "]", ")"))

    # -- splitting a differing run at sentence boundaries -------------------------------------
    def _split(self, region: Region) -> list[Region]:
        """Pair the changed words with the sentence they belong to; the rest stands alone, where that
        pairs them better than the run taken whole.

        "... measures, and only measures because it's not a system. The broad information is
        disclosed" against "... measures. Those allegations are made clear" is an omission of
        the first clause and a rewording of the next sentence, not one rewording of both.
        """
        (r0, r1), (o0, o1) = region.rec, region.off
        if r1 - r0 < 2 or o1 - o0 < 1:
            return [region]
        off_text = " ".join(t.norm for t in self.off[o0:o1])
        # kept whole unless a split pairs the words better: "Dr. Sivu Seizom" heard for "Doctor
        # Sibusiso" is one misheard name, not "Dr." left out and the rest reworded
        best, best_score = [region], self._similarity((r0, r1), off_text)
        for side, starts, lo, hi in (("rec", self.rec_starts, r0, r1), ("off", self.off_starts, o0, o1)):
            for k in range(lo + 1, hi):
                if not starts[k]:
                    continue
                if side == "rec":
                    head, tail = Region((r0, k), (o0, o0)), Region((k, r1), (o0, o1))
                    alt_head, alt_tail = Region((r0, k), (o0, o1)), Region((k, r1), (o1, o1))
                    options = [([head, tail], self._similarity((k, r1), off_text)),
                               ([alt_head, alt_tail], self._similarity((r0, k), off_text))]
                else:
                    rec_text = " ".join(t.norm for t in self.rec[r0:r1])
                    head, tail = Region((r0, r0), (o0, k)), Region((r0, r1), (k, o1))
                    alt_head, alt_tail = Region((r0, r1), (o0, k)), Region((r1, r1), (k, o1))
                    options = [([head, tail], fuzz.ratio(rec_text, self._off_norm(k, o1))),
                               ([alt_head, alt_tail], fuzz.ratio(rec_text, self._off_norm(o0, k)))]
                for parts, score in options:
                    if score > best_score:
                        best, best_score = parts, score
        return best

    def _similarity(self, rec_range: tuple[int, int], off_text: str) -> float:
        return fuzz.ratio(" ".join(t.norm for t in self.rec[rec_range[0]:rec_range[1]]), off_text)

    def _off_norm(self, a: int, b: int) -> str:
        return " ".join(t.norm for t in self.off[a:b])

    # -- regions -----------------------------------------------------------------------------
    def _assess(self, region: Region) -> Assessment:
        r0, r1 = region.rec
        o0, o1 = region.off
        rec_tokens = self.rec[r0:r1]
        off_tokens = self.off[o0:o1]
        lo, hi = self._official_window(region)
        gap = next((m.text for m in self.gap_marks if lo <= m.start and m.end <= hi), None)
        return assess(rec_tokens, off_tokens, self.rec_stream, self.rec_counts[r0], gap)

    def _official_window(self, region: Region) -> tuple[int, int]:
        """Characters between the matched official words either side of the region."""
        o0, o1 = region.off
        lo = int(self.off[o0 - 1].end) if o0 > 0 else 0
        hi = int(self.off[o1].start) if o1 < len(self.off) else len(self.official.text)
        return lo, hi

    def regions(self) -> list[tuple[Region, Assessment]]:
        """Differing runs, assessed; nearby substantive runs merged into one edited clause."""
        out: list[tuple[Region, Assessment]] = []
        last_equal: Optional[AlignmentOp] = None
        for op in self.ops:
            if op.tag == "equal":
                last_equal = op
                continue
            for n, region in enumerate(self._split(Region(op.rec, op.off))):
                found = self._assess(region)
                if n == 0 and self._mergeable(out, found, region, last_equal):
                    prev = out[-1][0]
                    merged = Region((prev.rec[0], region.rec[1]), (prev.off[0], region.off[1]))
                    out[-1] = (merged, self._assess(merged))
                else:
                    out.append((region, found))
            last_equal = None
        return [(region, a) for region, a in out if region.rec[1] > region.rec[0] or region.off[1] > region.off[0]]

    def _mergeable(self, out, found: Assessment, region: Region, last_equal: Optional[AlignmentOp]) -> bool:
        """Nearby substantive runs within one sentence are one edited clause."""
        if not out or not last_equal or found.severity != SUBSTANTIVE or out[-1][1].severity != SUBSTANTIVE:
            return False
        if last_equal.rec[1] - last_equal.rec[0] > self.merge_gap:
            return False
        r0, o0 = region.rec[0], region.off[0]
        new_sentence = ((r0 < len(self.rec) and self.rec_starts[r0]) or (o0 < len(self.off) and self.off_starts[o0])
                        or any(self.rec_starts[i] for i in range(*last_equal.rec)))
        return not new_sentence

    # -- discrepancies -----------------------------------------------------------------------
    def discrepancies(self) -> list[Discrepancy]:
        found = []
        for n, (region, a) in enumerate(self.regions(), start=1):
            found.append(self._discrepancy(f"d{n}", region, a))
        return found

    def _discrepancy(self, ident: str, region: Region, a: Assessment) -> Discrepancy:
        r0, r1 = region.rec
        o0, o1 = region.off
        rec_words = [t for t in self.rec[r0:r1] if not t.filler]
        off_words = [t for t in self.off[o0:o1] if not t.filler]
        if rec_words and off_words:
            kind = REWORDING
        elif off_words:
            kind = INSERTION
        else:
            kind = OMISSION
        if r1 > r0:
            rec_start, rec_end = self.rec[r0].start, self.rec[r1 - 1].end
            rec_text = " ".join(t.text for t in self.rec[r0:r1])
        else:
            rec_start = rec_end = self.rec[r0 - 1].end if r0 > 0 else (self.rec[0].start if self.rec else 0.0)
            rec_text = ""
        if o1 > o0:
            off_start, off_end = int(self.off[o0].start), int(self.off[o1 - 1].end)
        else:
            off_start = off_end = self._official_window(region)[0]
        evidence = dict(a.evidence)
        evidence["recording_words"] = [
            {"text": t.text, "probability": t.probability} for t in self.rec[r0:r1]]
        return Discrepancy(
            id=ident, kind=kind, severity=a.severity, reason=a.reason,
            rec_start=float(rec_start), rec_end=float(rec_end), rec_text=rec_text,
            off_start=off_start, off_end=off_end, off_text=self.official.text[off_start:off_end],
            rec_tokens=(r0, r1), off_tokens=(o0, o1), speaker=self.official.speaker_at(off_start),
            importance=a.importance, evidence=evidence,
        )


def classify(rec: Sequence[Token], off: Sequence[Token], ops: Sequence[AlignmentOp],
             official: OfficialText, merge_gap: int = 2) -> list[Discrepancy]:
    return Classifier(rec, off, ops, official, merge_gap).discrepancies()


# -------------------------------------------------------------------------------------------
# The aligned word stream and the summary


def word_stream(rec: Sequence[Token], off: Sequence[Token], ops: Sequence[AlignmentOp],
                discrepancies: Sequence[Discrepancy], coverage: Optional[Coverage] = None) -> list[dict[str, Any]]:
    """Every token of both sides exactly once, in alignment order, with its match status
    ("coverage" for a word outside what the other side covers)."""
    rec_out = coverage.rec_indices() if coverage else set()
    off_out = coverage.off_indices() if coverage else set()
    rec_owner: dict[int, Discrepancy] = {}
    off_owner: dict[int, Discrepancy] = {}
    for d in discrepancies:
        rec_owner.update({i: d for i in range(*d.rec_tokens)})
        off_owner.update({j: d for j in range(*d.off_tokens)})

    def rec_item(i: int) -> dict[str, Any]:
        t = rec[i]
        return {"text": t.text, "heard": t.heard or t.text, "start": t.start, "end": t.end,
                "probability": t.probability}

    def off_item(j: int) -> dict[str, Any]:
        t = off[j]
        return {"text": t.text, "start": int(t.start), "end": int(t.end)}

    words: list[dict[str, Any]] = []
    for op in ops:
        if op.tag == "equal":
            for i, j in zip(range(*op.rec), range(*op.off)):
                d = rec_owner.get(i)
                words.append({"status": "match", "discrepancy": d.id if d else None,
                              "recording": rec_item(i), "official": off_item(j)})
            continue
        for i in range(*op.rec):
            d = rec_owner.get(i)
            status = "filler" if rec[i].filler else (d.kind if d else "coverage" if i in rec_out else OMISSION)
            words.append({"status": status, "discrepancy": d.id if d else None,
                          "recording": rec_item(i), "official": None})
        for j in range(*op.off):
            d = off_owner.get(j)
            status = "filler" if off[j].filler else (d.kind if d else "coverage" if j in off_out else INSERTION)
            words.append({"status": status, "discrepancy": d.id if d else None,
                          "recording": None, "official": off_item(j)})
    return words


def overlap(rec: Sequence[Token], off: Sequence[Token], ops: Sequence[AlignmentOp],
            coverage: Optional[Coverage] = None) -> dict[str, Any]:
    """How much the two sides share, whatever their discrepancies: what the pairing check reads.

    Words outside what the other side covers (`coverage`) count in neither side's total."""
    coverage = coverage or Coverage()
    rec_out, off_out = coverage.rec_indices(), coverage.off_indices()
    spoken = sum(1 for i, t in enumerate(rec) if not t.filler and i not in rec_out)
    runs = [op.rec[1] - op.rec[0] for op in ops if op.tag == "equal"]
    matched = sum(runs)
    printed = sum(1 for j, t in enumerate(off) if not t.filler and j not in off_out)
    smaller = max(1, min(spoken, printed))
    return {
        "recorded_words": spoken,
        "official_words": printed,
        "matched_words": matched,
        "shared_share": round(matched / smaller, 4),
        # words in runs of 3+ matched words: near 0 for unrelated texts, whatever their common words
        "run_share": round(sum(r for r in runs if r >= 3) / smaller, 4),
    }


def recording_followed(discrepancies: Sequence[Discrepancy]) -> bool:
    """False where verification found that the recogniser cannot follow the recording: a verdict
    set aside for it, or marked so (verify/followed.py); True otherwise, and where nothing was verified."""
    for d in discrepancies:
        check = (d.evidence or {}).get("verification") or {}
        if check.get("basis") == NOT_FOLLOWED_RECORDING or check.get("recording_followed") is False:
            return False
    return True


def summarize(rec: Sequence[Token], off: Sequence[Token], ops: Sequence[AlignmentOp],
              discrepancies: Sequence[Discrepancy], coverage: Optional[Coverage] = None) -> dict[str, Any]:
    """Counts per kind and severity, and the share of spoken words faithfully in the official text.

    Words outside what the other side covers (`coverage`) count in neither side's total."""
    coverage = coverage or Coverage()
    counts = {k: {s: 0 for s in SEVERITIES} for k in KINDS}
    verdicts = {v: 0 for v in VERDICTS}
    suspects = not_followed = set_aside = 0
    for d in discrepancies:
        counts[d.kind][d.severity] += 1
        if d.verdict:
            verdicts[d.verdict] += 1
            basis = d.evidence.get("verification", {}).get("basis")
            not_followed += basis == NOT_FOLLOWED
            set_aside += basis == NOT_FOLLOWED_RECORDING
        if d.severity == SUBSTANTIVE and d.evidence.get("likely_recognition_error"):
            suspects += 1
    followed = recording_followed(discrepancies)
    shared = overlap(rec, off, ops, coverage)
    spoken = shared["recorded_words"]
    substantive_rec = {i for d in discrepancies if d.severity == SUBSTANTIVE for i in range(*d.rec_tokens)
                       if not rec[i].filler}
    faithful = (spoken - len(substantive_rec)) / spoken if spoken else 0.0
    return {
        "counts": counts,
        COSMETIC: sum(c[COSMETIC] for c in counts.values()),
        SUBSTANTIVE: sum(c[SUBSTANTIVE] for c in counts.values()),
        "alarms": sum(1 for d in discrepancies if d.is_alarm),
        "likely_recognition_errors": suspects,
        "verdicts": verdicts,
        # of the recognition errors: those where the recogniser could not follow the audio at all
        "not_followed": not_followed,
        # the recogniser cannot follow most of the recording: every verdict resting on it set aside
        "recording_followed": followed,
        "set_aside": set_aside,
        **shared,
        "faithful_share": round(faithful, 4),
        "coverage": {"recording_stretches": len(coverage.recording), "official_stretches": len(coverage.official),
                     "recording_seconds": round(sum(s.end - s.start for s in coverage.recording), 3),
                     "recording_words": sum(s.words for s in coverage.recording),
                     "official_words": sum(s.words for s in coverage.official)},
        "ner": ner_score(discrepancies, spoken, followed=followed),
    }
