"""A number's one digit form, whichever way it is written or heard: 'twenty-two' = '22', '1.4 percent' =
'1.4%', '200 and 12' = '212'. Whisper's English number normaliser does the work; this module mends
what it leaves (a 1 inside a decimal as the word, a number Whisper writes in two parts)."""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=1)
def _number_normalizer():
    from whisper_normalizer.english import EnglishNumberNormalizer

    return EnglishNumberNormalizer()


def normalize_number(text: str) -> str:
    """Spoken or written numbers, ordinals, currency and percentages to one digit form."""
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    out = _number_normalizer()(text)
    out = re.sub(r"(?<=\d),(?=\d{3}\b)", "", out)
    words = [("1" if w == "one" else _DECIMAL_ONE_RE.sub("1", w) if _DECIMAL_RE.fullmatch(w) else w)
             for w in out.split()]
    return _COMPOUND_RE.sub(_compound, " ".join(words))


# Whisper writes a number said in two parts in digits ("two hundred and twelve" heard as "200 and
# 12", "two thousand and twenty-two" as "2,000 and 22"); the normaliser leaves the digits apart, so
# the printed "212" differed from it and a figure check weighed "200" and "12" against it one by one.
_COMPOUND_RE = re.compile(r"(?<![\d.,$\u00a3\u20ac])(\d+) and (\d+)(?![\d.,])")


def _compound(m: re.Match) -> str:
    """'200 and 12' -> '212' where the first figure is whole hundreds and the second fills its
    places ('2000 and 22' -> '2022'); any other pair ('5 and 6', '200 and 120') stays as it is."""
    big, small = int(m.group(1)), int(m.group(2))
    room = 1000 if big % 1000 == 0 else 100
    if big >= 100 and big % 100 == 0 and 0 < small < room:
        return str(big + small)
    return m.group(0)


# Whisper's number normaliser leaves a 1 of a decimal as the word ("1.4" -> "one.4", "2.1" -> "2.one"),
# which is no spoken form: the audio check would score "one.four" for "one point four".
_DECIMAL_RE = re.compile(r"\$?(?:one|\d+)(?:\.(?:one|\d+))+\D*")
_DECIMAL_ONE_RE = re.compile(r"(?<![a-z])one(?![a-z])")
