"""A small, independent reader and writer of English number words, for building benchmark edits.

Kept apart from transcheck's own number normalisation on purpose: the benchmark must not grade
the normaliser with the normaliser.
"""

from __future__ import annotations

from typing import Optional

UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
         "fifteen sixteen seventeen eighteen nineteen").split()
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1000}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
            "eighth": 8, "ninth": 9, "tenth": 10}
VALUES = {**{w: n for n, w in enumerate(UNITS)}, **TENS}
NUMBER_WORDS = frozenset({*VALUES, *SCALES, *ORDINALS})

# A different number of the same class, for "change a number" edits.
_SWAP_CYCLES = (
    ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
    ("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen"),
    ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"),
    ("first", "second", "third", "fourth", "fifth", "sixth"),
)
SWAP = {w: cycle[(i + 1) % len(cycle)] for cycle in _SWAP_CYCLES for i, w in enumerate(cycle)}


def _two_digit(parts: list[str], i: int) -> tuple[Optional[int], int]:
    """A number below 100 starting at parts[i] ('twenty two', 'fifteen'), and the next index."""
    if i >= len(parts):
        return None, i
    word = parts[i]
    if word in TENS:
        if i + 1 < len(parts) and parts[i + 1] in VALUES and VALUES[parts[i + 1]] < 10:
            return TENS[word] + VALUES[parts[i + 1]], i + 2
        return TENS[word], i + 1
    if word in VALUES and VALUES[word] >= 10:
        return VALUES[word], i + 1
    return None, i


def words_to_int(parts: list[str]) -> Optional[int]:
    """'three thousand eight hundred' = 3800, 'twenty two fifty' = 2250 (year form); else None."""
    parts = [p.lower() for p in parts]
    if not parts or any(p not in NUMBER_WORDS or p in ORDINALS for p in parts):
        return None
    if not any(p in SCALES for p in parts):
        first, i = _two_digit(parts, 0)
        second, j = _two_digit(parts, i)
        if first is not None and second is not None and j == len(parts):
            return first * 100 + second  # "twenty-two fifty" read as a year
    total = current = 0
    for p in parts:
        if p in SCALES:
            current = max(current, 1) * SCALES[p]
            if SCALES[p] >= 1000:
                total, current = total + current, 0
        else:
            current += VALUES[p]
    return total + current


def int_to_words(n: int) -> str:
    """0 <= n < 10000 in words: 11 = 'eleven', 1500 = 'one thousand five hundred'."""
    if not 0 <= n < 10000:
        raise ValueError(f"{n} is out of range for int_to_words")
    if n < 20:
        return UNITS[n]
    if n < 100:
        tens = next(w for w, v in TENS.items() if v == n - n % 10)
        return tens if n % 10 == 0 else f"{tens}-{UNITS[n % 10]}"
    if n < 1000:
        rest = f" {int_to_words(n % 100)}" if n % 100 else ""
        return f"{UNITS[n // 100]} hundred{rest}"
    rest = f" {int_to_words(n % 1000)}" if n % 1000 else ""
    return f"{UNITS[n // 1000]} thousand{rest}"


def ordinal_digits(word: str) -> Optional[str]:
    """'second' = '2nd'."""
    n = ORDINALS.get(word.lower())
    if n is None:
        return None
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(n, "th")
    return f"{n}{suffix}"
