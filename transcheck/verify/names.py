"""Names the official text itself contains, and whether what was heard sounds like them.

A recogniser that has never met "Okafor" writes something that sounds like it ("Kaffir"): the
score margin then favours its own spelling, though nobody changed anything. The official text
says which words are names — capitalised words inside sentences, the words of speaker labels,
capitalised words it repeats — and a phonetic code (jellyfish's Metaphone) says whether what was
heard sounds like them. Such a difference is never confirmed on the score margin alone.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Optional, Sequence

from ..models import OfficialText
from ..phonetic import code, sounds_alike, words

# A capitalised word after a lower-case word, a comma or a semicolon: inside a sentence.
_INSIDE_RE = re.compile(r"(?<=[a-z0-9,;])\s+([A-Z][A-Za-z'\u2019]+(?:-[A-Z][A-Za-z'\u2019]+)*)")
_CAPITAL_RE = re.compile(r"\b([A-Z][A-Za-z'\u2019]+(?:-[A-Z][A-Za-z'\u2019]+)*)")
_TOKEN_RE = re.compile(r"[A-Za-z0-9'\u2019]+")
ALIKE = 0.6  # Metaphone codes at least this alike (rapidfuzz ratio, 0..1): the wordings sound alike


def _tokens(text: str) -> list[str]:
    """Words and figures, lower-cased, one-letter words too."""
    return [w.lower().replace("\u2019", "'") for w in _TOKEN_RE.findall(text)]


def official_names(official: OfficialText) -> frozenset[str]:
    """Lower-cased words the official text treats as names."""
    text = official.text
    names = {w for m in _INSIDE_RE.finditer(text) for w in words(m.group(1))}
    for label in official.labels:
        names.update(words(label.speaker))
    repeated = Counter(w for m in _CAPITAL_RE.finditer(text) for w in words(m.group(1)))
    names.update(w for w, n in repeated.items() if n >= 2 and w not in _COMMON)
    return frozenset(names - _COMMON)


# Words often capitalised that name nobody (sentence openers a document repeats, titles).
_COMMON = frozenset("""a an and as at but by for from he her his i if in is it its mr mrs ms no not of on or our
she so that the their then there they this we what when where which who why will with you your yes
thank thanks good""".split())


def printed_name(printed: str, names: frozenset[str]) -> Optional[str]:
    """The printed wording's name words, joined, if it holds any."""
    found = [w for w in words(printed) if w in names]
    return " ".join(found) or None


def _stretches(p: list[str], h: list[str]) -> list[list[int]]:
    """The stretches where two word lists differ, aligned by edit distance, adjacent edits run
    together: [printed from, to, heard from, to] each."""
    from rapidfuzz.distance import Levenshtein

    stretches: list[list[int]] = []
    for op in Levenshtein.opcodes(p, h):
        if op.tag == "equal":
            continue
        if stretches and stretches[-1][1] == op.src_start and stretches[-1][3] == op.dest_start:
            stretches[-1][1], stretches[-1][3] = op.src_end, op.dest_end
        else:
            stretches.append([op.src_start, op.src_end, op.dest_start, op.dest_end])
    return stretches


def only_names_differ(printed: str, heard: str, names: frozenset[str]) -> bool:
    """Is every difference between the wordings a printed name heard as something that sounds like it?

    The words (and figures) are aligned by edit distance; each stretch that differs must be nothing
    but names on the printed side and sound like what was heard there ("Janima" for "Geneva", "Bobo de
    Lasso" for "Bobo-Dioulasso"). A differing word or figure outside the names ("near" for "there",
    "27" for "28") is not a name's doing.
    """
    p, h = _tokens(printed), _tokens(heard)
    stretches = _stretches(p, h)
    for p0, p1, h0, h1 in stretches:
        if p0 == p1 or not all(w in names for w in p[p0:p1]) \
                or sounds_alike(" ".join(p[p0:p1]), " ".join(h[h0:h1])) < ALIKE:
            return False
    return bool(stretches)


def differing_likeness(printed: str, heard: str) -> float:
    """How alike the words that differ sound, 0..1, the words both wordings share left out: "where
    any children turn the way" against "were any children turned trade deal" compares "where turn the
    way" with "were turned trade deal", so a shared context does not make a changed phrase sound alike."""
    p, h = _tokens(printed), _tokens(heard)
    stretches = _stretches(p, h)
    ours = " ".join(w for p0, p1, _, _ in stretches for w in p[p0:p1])
    theirs = " ".join(w for _, _, h0, h1 in stretches for w in h[h0:h1])
    return sounds_alike(ours, theirs)


def differing_probability(printed: str, heard: Sequence[tuple[str, float]]) -> Optional[float]:
    """The mean probability the recogniser gave the heard words that differ from the printed ones
    (None where none differ): in "the market film" heard for "By noon the market fills", "film" at
    0.29, not the 0.73 that "the market" lifts the whole stretch to."""
    tokens, owner = [], []
    for i, (text, _) in enumerate(heard):
        for t in _tokens(text):
            tokens.append(t)
            owner.append(i)
    differing = sorted({owner[k] for _, _, h0, h1 in _stretches(_tokens(printed), tokens) for k in range(h0, h1)})
    return sum(heard[i][1] for i in differing) / len(differing) if differing else None


def name_evidence(printed: str, heard: str, names: frozenset[str]) -> Optional[dict]:
    """For a printed name heard as something that sounds like it: the codes and their likeness."""
    name = printed_name(printed, names)
    if name is None or not heard.strip():
        return None
    likeness = sounds_alike(printed, heard)
    return {"name": name, "printed_code": code(printed), "heard_code": code(heard),
            "sounds_alike": round(likeness, 3), "alike": likeness >= ALIKE,
            "only_names_differ": likeness >= ALIKE and only_names_differ(printed, heard, names)}
