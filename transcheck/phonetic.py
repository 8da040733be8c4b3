"""How words sound: Metaphone codes (jellyfish), and how alike two wordings sound.

One place for it, used where a discrepancy is first assessed (does it look like a mishearing?) and
where verification compares a printed name or wording with what was heard.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

_WORD_RE = re.compile(r"[A-Za-z'\u2019]+")


def words(text: str) -> list[str]:
    """Lower-cased words of two letters or more (figures and one-letter words left out)."""
    return [w.lower().replace("\u2019", "'") for w in _WORD_RE.findall(text) if len(w) > 1]


def code(text: str) -> str:
    """The Metaphone code of a wording, its words run together ('Amina Okafor' -> 'AMNKFR')."""
    import jellyfish

    return "".join(jellyfish.metaphone(w) for w in words(text))


def sounds_alike(printed: str, heard: str) -> float:
    """How alike two wordings sound, 0..1 (rapidfuzz ratio of their Metaphone codes)."""
    a, b = code(printed), code(heard)
    return fuzz.ratio(a, b) / 100 if a and b else 0.0
