"""Benchmark cases: each shared recording's transcript, faithful and with known edits injected.

Deterministic: the same seed and the same transcripts give the same cases. For every recording
there is one faithful case (no edits) and a few edited variants, each holding a handful of
substantive edits (a clause omitted, a phrase reworded, a sentence inserted, a number changed, a
"not" dropped or added, a word printed as a sound-alike word) and cosmetic ones (fillers removed, contractions, number formats, repeats
and false starts removed, spelling variants), every edit at least GAP words from the others.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterator, Optional

from .edits import COSMETIC, SUBSTANTIVE, Proposal, Word, split_words

SEED = 20240611
GAP = 8  # words between a substantive edit and any other edit
COSMETIC_GAP = 2  # words between two cosmetic edits
SCARCE = 6  # a number or negation edit with at most this many unused places is placed first
SCARCE_TYPES = ("number", "negation")
AUDIO_SUFFIXES = (".mp3", ".wav", ".flac", ".ogg", ".m4a", ".mp4", ".opus")


@dataclass(frozen=True)
class Recording:
    name: str
    audio: Path
    transcript: Path


@dataclass(frozen=True)
class Edit:
    """One known edit. [start, end) is the new wording in the edited text (empty where words were
    removed: the place they were taken from); [orig_start, orig_end) is what it replaced."""

    type: str
    substantive: bool
    expected_kind: Optional[str]
    start: int
    end: int
    orig_start: int
    orig_end: int
    original: str
    replacement: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Case:
    id: str
    recording: Recording
    original: str
    text: str
    edits: tuple[Edit, ...]

    @property
    def faithful(self) -> bool:
        return not self.edits


def find_recordings(shared: Path) -> list[Recording]:
    """Every folder under `shared` with a transcript.txt and one audio file, by name."""
    found = []
    for folder in sorted(p for p in shared.iterdir() if p.is_dir()):
        transcript = folder / "transcript.txt"
        audio = sorted(p for p in folder.iterdir() if p.suffix.lower() in AUDIO_SUFFIXES)
        if transcript.is_file() and len(audio) == 1:
            found.append(Recording(folder.name, audio[0], transcript))
    return found


def apply_edits(original: str, proposals: list[Proposal]) -> tuple[str, tuple[Edit, ...]]:
    """The edited text and, for each proposal, where its new wording lies in it."""
    parts: list[str] = []
    edits: list[Edit] = []
    pos = shift = 0
    for p in sorted(proposals, key=lambda p: (p.orig_start, p.orig_end)):
        if p.orig_start < pos:
            raise ValueError(f"edit {p} overlaps the previous one")
        parts.append(original[pos:p.orig_start])
        at = p.orig_start + shift
        edits.append(Edit(p.type, p.substantive, p.expected_kind, at + p.new[0], at + p.new[1],
                          p.orig_start, p.orig_end, original[p.orig_start:p.orig_end], p.replacement))
        parts.append(p.replacement)
        shift += len(p.replacement) - (p.orig_end - p.orig_start)
        pos = p.orig_end
    parts.append(original[pos:])
    return "".join(parts), tuple(edits)


def _fits(p: Proposal, chosen: list[Proposal]) -> bool:
    for c in chosen:
        gap = GAP if p.substantive or c.substantive else COSMETIC_GAP
        if not (p.lo >= c.hi + gap or p.hi + gap <= c.lo):
            return False
        if p.orig_start < c.orig_end and c.orig_start < p.orig_end:
            return False
    return True


class Planner:
    """Places edits in the variants of one transcript, rotating through the edit types so every
    type gets its turn, and preferring places not yet used by an earlier variant."""

    def __init__(self, text: str, seed: int, name: str) -> None:
        self.text = text
        self.words: list[Word] = split_words(text)
        self.rng = random.Random(f"{seed}:{name}")
        wording_rng = random.Random(f"{seed}:{name}:wording")
        self.sites = {t: op(text, self.words, wording_rng) for t, op in {**SUBSTANTIVE, **COSMETIC}.items()}
        self.rotation = {
            True: self._rotated(list(SUBSTANTIVE)),
            False: self._rotated(list(COSMETIC)),
        }
        self.used: set[tuple[str, int, int]] = set()

    def _rotated(self, types: list[str]) -> list[str]:
        k = self.rng.randrange(len(types))
        return types[k:] + types[:k]

    def _scarcity(self, t: str) -> int:
        """Numbers and negations, where few places are left, go first so they are not crowded out."""
        fresh = sum(p.key not in self.used for p in self.sites[t])
        return fresh if t in SCARCE_TYPES and 0 < fresh <= SCARCE else SCARCE + 1

    def variant(self, substantive: int, cosmetic: int) -> list[Proposal]:
        chosen: list[Proposal] = []
        for count, kind in ((substantive, True), (cosmetic, False)):
            for _ in range(count):
                self._place(chosen, kind)
        return chosen

    def _place(self, chosen: list[Proposal], substantive: bool) -> None:
        order = self.rotation[substantive]
        for reuse in (False, True):  # a type whose places are all used waits for one with new ones
            for t in sorted(order, key=self._scarcity):
                pool = [p for p in self.sites[t] if _fits(p, chosen) and (reuse or p.key not in self.used)]
                if pool:
                    pick = self.rng.choice(pool)
                    chosen.append(pick)
                    self.used.add(pick.key)
                    order.remove(t)
                    order.append(t)
                    return


def variant_plan(n_words: int) -> tuple[int, int, int]:
    """(variants, substantive edits per variant, cosmetic edits per variant) for a transcript."""
    variants = 4 if n_words >= 40 else 2
    return variants, max(1, n_words // 45), max(1, n_words // 60)


def make_cases(recording: Recording, seed: int = SEED) -> Iterator[Case]:
    """The faithful case, then the edited variants, of one recording."""
    original = recording.transcript.read_text(encoding="utf-8")
    yield Case(f"{recording.name}/faithful", recording, original, original, ())
    planner = Planner(original, seed, recording.name)
    variants, substantive, cosmetic = variant_plan(len(planner.words))
    for v in range(1, variants + 1):
        proposals = planner.variant(substantive, cosmetic)
        text, edits = apply_edits(original, proposals)
        yield Case(f"{recording.name}/v{v}", recording, original, text, edits)


def all_cases(shared: Path, seed: int = SEED) -> list[Case]:
    return [case for recording in find_recordings(shared) for case in make_cases(recording, seed)]
