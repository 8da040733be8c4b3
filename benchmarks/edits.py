"""Edit operators: every place in a transcript where one kind of known edit can be made.

Each operator returns all its candidate `Proposal`s for a text (a character span of the
original to replace, the replacement, and where the new wording lies inside it); the planner in
`cases.py` picks among them with a seeded generator. Nothing here is random except the choice of
replacement wording, which takes the generator as an argument.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Callable, Iterator, Optional

from .numbers import NUMBER_WORDS, SWAP, int_to_words, ordinal_digits, words_to_int

FUNCTION = frozenset(
    "a an the and of to that in is are was were it its so but for on at as with this be by or there then "
    "also do did have has had will would we i you they he she their our which who from not no if my your "
    "me us him her them what here all just some more very may might can could should must been being "
    "am i'm we're you're it's there's that's here's we'd we've i've we'll".split())
FILLERS = frozenset({"um", "uh", "er", "erm", "uhm", "hmm"})
AUX = frozenset("is was are were can could will would should might may must".split())
AUX_CONTRACTED = frozenset("i'm we're you're they're it's that's there's here's he's she's".split())
NEGATED = {"won't": "will", "can't": "can", "don't": "do", "didn't": "did", "weren't": "were",
           "wasn't": "was", "isn't": "is", "aren't": "are", "doesn't": "does", "couldn't": "could",
           "wouldn't": "would", "shouldn't": "should", "haven't": "have", "hasn't": "has"}
EXPAND = {"i'm": "i am", "we're": "we are", "you're": "you are", "they're": "they are",
          "there's": "there is", "here's": "here is", "it's": "it is", "that's": "that is",
          "we've": "we have", "i've": "i have", "we'll": "we will", "won't": "will not",
          "weren't": "were not", "don't": "do not", "didn't": "did not", "we'd": "we would"}
CONTRACT = {("it", "is"): "it's", ("there", "is"): "there's", ("did", "not"): "didn't",
            ("i", "am"): "i'm", ("we", "are"): "we're", ("do", "not"): "don't", ("that", "is"): "that's",
            ("you", "are"): "you're", ("will", "not"): "won't", ("is", "not"): "isn't",
            ("was", "not"): "wasn't", ("we", "have"): "we've"}
SPELLING = {"okay": "OK", "alright": "all right", "yknow": "you know"}
# A word printed as a different word that sounds alike (never a homophone): the edit the
# recogniser's own mistakes look like, so a checker cannot dismiss such pairs on sound alone.
SOUND_ALIKE = {
    "stowage": "storage", "sealed": "healed", "cover": "color", "suggestion": "question", "fit": "sit",
    "wars": "walls", "city": "pity", "shrine": "shine", "flourished": "nourished", "name": "game",
    "kings": "kin", "obscure": "secure", "bright": "white", "fuel": "jewel", "spring": "string",
    "fresh": "flesh", "glutton": "button", "fast": "vast", "slow": "low", "cold": "gold", "speech": "peach",
    "pause": "cause", "different": "difficult", "country": "county", "fellow": "yellow",
}

# Wording that was never said, for rewordings and inserted sentences (no numbers, no negations).
PHRASES = (
    "budget talks", "fresh water", "border patrol", "trade deal", "fuel prices", "vaccine supply",
    "the northern province", "a ceasefire agreement", "the refugee camps", "new tax rules",
    "the election commission", "regional health officials", "the peace talks collapsed",
    "food convoys reached the coast", "the minister resigned yesterday", "police closed the border",
    "the council rejected the proposal", "aid workers left the region",
)
SENTENCES = (
    "The ministry will publish the full report next week.",
    "Officials said the talks would resume on Monday.",
    "Our teams have already delivered food to the camps.",
    "The council approved the new security plan.",
    "We expect the road to reopen very soon.",
    "Everyone here agreed that the decision was correct.",
    "The convoy reached the border late last night.",
    "I want to thank our partners for their support.",
    "Funding for the program was cut again this spring.",
    "The governor promised an inquiry into the shooting.",
)

_ABBREV_RE = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]\.?$")


@dataclass(frozen=True)
class Word:
    """One word of the original text: its whole chunk, its core (punctuation trimmed) and context."""

    index: int
    cstart: int
    cend: int
    start: int
    end: int
    core: str
    clause_end: bool
    sentence_end: bool

    @property
    def lower(self) -> str:
        return self.core.lower().replace("\u2019", "'")

    @property
    def content(self) -> bool:
        return self.lower not in FUNCTION and self.lower not in FILLERS and self.lower.isalpha()


@dataclass(frozen=True)
class Proposal:
    """Replace original[orig_start:orig_end] by `replacement`; its new wording is replacement[new]."""

    type: str
    substantive: bool
    expected_kind: Optional[str]
    lo: int  # word range [lo, hi) of the original the edit touches (lo == hi: between words)
    hi: int
    orig_start: int
    orig_end: int
    replacement: str
    new: tuple[int, int]

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.type, self.lo, self.hi)


def split_words(text: str) -> list[Word]:
    """The words of `text` with chunk and core offsets; dashes between words end a clause."""
    chunks = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    words: list[Word] = []
    for k, (a, b) in enumerate(chunks):
        chunk = text[a:b]
        if not any(c.isalnum() for c in chunk):
            continue
        lo, hi = 0, len(chunk)
        while not chunk[lo].isalnum():
            lo += 1
        while not chunk[hi - 1].isalnum():
            hi -= 1
        if _ABBREV_RE.match(chunk[lo:hi + 1]):
            hi += 1
        trailing = chunk[hi:].rstrip("\"')\u201d\u2019")
        nxt = chunks[k + 1] if k + 1 < len(chunks) else None
        dash_next = nxt is not None and not any(c.isalnum() for c in text[nxt[0]:nxt[1]])
        newline = "\n" in text[b:nxt[0] if nxt else len(text)]
        sentence_end = trailing.endswith((".", "!", "?")) or newline or nxt is None
        clause_end = sentence_end or dash_next or bool(trailing and trailing[-1] in ",;:")
        words.append(Word(len(words), a, b, a + lo, a + hi, chunk[lo:hi], clause_end, sentence_end))
    return words


def unpunctuated(text: str) -> bool:
    """Verbatim research transcripts (lower case, no punctuation) get edits in the same style."""
    return not re.search(r"[.,;:!?]", text) and text == text.lower()


def styled(phrase: str, text: str, capital: bool) -> str:
    if unpunctuated(text):
        return re.sub(r"[.,;:!?]", "", phrase).lower()
    return phrase[0].upper() + phrase[1:] if capital else phrase[0].lower() + phrase[1:]


def same_case(new: str, old: str) -> str:
    return new[0].upper() + new[1:] if old[:1].isupper() else new


def _replace(type_: str, substantive: bool, kind: Optional[str], lo: int, hi: int, start: int, end: int,
             new: str) -> Proposal:
    return Proposal(type_, substantive, kind, lo, hi, start, end, new, (0, len(new)))


def _remove(type_: str, substantive: bool, kind: Optional[str], lo: int, hi: int, start: int,
            end: int) -> Proposal:
    return Proposal(type_, substantive, kind, lo, hi, start, end, "", (0, 0))


# -------------------------------------------------------------------------------------------
# Substantive edits


def omissions(text: str, words: list[Word], rng: random.Random) -> list[Proposal]:
    """A clause of 4-12 words dropped (any 4-8 word run in unpunctuated text)."""
    out = []
    n = len(words)
    free = unpunctuated(text)
    for i in range(n):
        for j in range(i + 4, min(n, i + (8 if free else 12)) + 1):
            run = words[i:j]
            if not free and not ((i == 0 or words[i - 1].clause_end) and run[-1].clause_end):
                continue
            if any(w.sentence_end for w in run[:-1]) or any(w.lower in FILLERS for w in run):
                continue
            if sum(w.content for w in run) < 2 or _repeats_at_edge(words, i, j):
                continue
            if i > 0 and not words[i - 1].sentence_end:  # mid-sentence: keep the clause's last punctuation
                start, end = words[i - 1].end, run[-1].end
            else:  # from a sentence start: up to the next word kept
                start, end = run[0].cstart, words[j].start if j < n else run[-1].cend
            out.append(_remove("omission", True, "omission", i, j, start, end))
    return out


def _repeats_at_edge(words: list[Word], i: int, j: int) -> bool:
    """Dropping words next to a copy of themselves would look like removing a repetition."""
    before = words[i - 1].lower if i > 0 else None
    after = words[j].lower if j < len(words) else None
    return before == words[i].lower or after == words[j - 1].lower or before == words[j - 1].lower


def rewordings(text: str, words: list[Word], rng: random.Random) -> list[Proposal]:
    """2-5 words, starting and ending on content words, replaced by unrelated wording."""
    out = []
    for i, first in enumerate(words):
        for j in range(i + 2, min(len(words), i + 5) + 1):
            run = words[i:j]
            if not (first.content and run[-1].content) or any(w.clause_end for w in run[:-1]):
                continue
            said = {w.lower for w in run}
            choices = [p for p in PHRASES if abs(len(p.split()) - len(run)) <= 1
                       and not said & (set(p.split()) - FUNCTION)]
            if not choices:
                continue
            capital = first.core[:1].isupper() and (i == 0 or words[i - 1].sentence_end)
            phrase = styled(rng.choice(choices), text, capital)
            out.append(_replace("reword", True, "rewording", i, j, first.start, run[-1].end, phrase))
    return out


def sound_alikes(text: str, words: list[Word], rng: random.Random) -> list[Proposal]:
    """One word printed as another that sounds alike ('long wars' as 'long walls')."""
    return [_replace("sound-alike", True, "rewording", i, i + 1, w.start, w.end,
                     same_case(SOUND_ALIKE[w.lower], w.core))
            for i, w in enumerate(words) if w.lower in SOUND_ALIKE]


def insertions(text: str, words: list[Word], rng: random.Random) -> list[Proposal]:
    """A sentence that was never said, put in at a sentence start (anywhere in unpunctuated text)."""
    out = []
    free = unpunctuated(text)
    for i in range(1, len(words)):
        if not (free or words[i - 1].sentence_end) or words[i].lower in FILLERS:
            continue
        sentence = styled(rng.choice(SENTENCES), text, capital=True)
        at = words[i].cstart
        out.append(Proposal("insertion", True, "insertion", i, i, at, at, sentence + " ", (0, len(sentence))))
    return out


def number_sites(words: list[Word]) -> list[tuple[int, int]]:
    """Word ranges holding one number: digits, or a run of number words (a lone 'one' is a pronoun)."""
    sites = []
    i = 0
    while i < len(words):
        if words[i].core.isdigit():
            sites.append((i, i + 1))
            i += 1
            continue
        j = i
        while j < len(words) and all(p in NUMBER_WORDS for p in words[j].lower.split("-")):
            j += 1
            if words[j - 1].clause_end:
                break
        if j > i and not (j == i + 1 and words[i].lower == "one"):
            sites.append((i, j))
        i = max(j, i + 1)
    return sites


def _numbers(text: str, words: list[Word]) -> Iterator[tuple[int, int, int, int, str]]:
    """(first word, end word, start, end, wording) of every number in the text."""
    for i, j in number_sites(words):
        start, end = words[i].start, words[j - 1].end
        yield i, j, start, end, text[start:end]


def number_changes(text: str, words: list[Word], rng: random.Random) -> list[Proposal]:
    """A number said one way, printed as a different number (same format)."""
    out = []
    for i, j, start, end, old in _numbers(text, words):
        if old.isdigit():
            new = str(int(old) + 1)
        else:
            parts = re.split(r"([\s-]+)", old)
            k = next((k for k, p in enumerate(parts) if p.lower() in SWAP), None)
            if k is None:
                continue
            parts[k] = same_case(SWAP[parts[k].lower()], parts[k])
            new = "".join(parts)
        out.append(_replace("number", True, "rewording", i, j, start, end, new))
    return out


def negations(text: str, words: list[Word], rng: random.Random) -> list[Proposal]:
    """A spoken 'not' dropped, or a 'not' added that was never said; dropping comes first."""
    dropped, added = [], []
    for i, w in enumerate(words):
        if w.lower in ("not", "never") and i > 0:
            dropped.append(_remove("drop-not", True, "omission", i, i + 1, words[i - 1].end, w.end))
        elif w.lower in NEGATED:
            new = same_case(NEGATED[w.lower], w.core)
            dropped.append(_replace("drop-not", True, "rewording", i, i + 1, w.start, w.end, new))
        elif ((w.lower in AUX or w.lower in AUX_CONTRACTED) and not w.clause_end and i + 1 < len(words)
              and words[i + 1].lower not in ("not", "never") and words[i + 1].lower not in FILLERS):
            added.append(Proposal("add-not", True, "insertion", i + 1, i + 1, w.end, w.end, " not", (1, 4)))
    return dropped or added


# -------------------------------------------------------------------------------------------
# Cosmetic edits


def fillers(text: str, words: list[Word], rng: random.Random) -> list[Proposal]:
    """'um' and 'uh' left out of the official text."""
    out = []
    for i, w in enumerate(words):
        if w.lower in FILLERS:
            end = words[i + 1].cstart if i + 1 < len(words) else w.cend
            out.append(_remove("filler", False, None, i, i + 1, w.cstart, end))
    return out


def contractions(text: str, words: list[Word], rng: random.Random) -> list[Proposal]:
    """'it's' written 'it is', or 'did not' written 'didn't'."""
    out = []
    for i, w in enumerate(words):
        if w.lower in EXPAND:
            new = same_case(EXPAND[w.lower], w.core)
            out.append(_replace("contraction", False, None, i, i + 1, w.start, w.end, new))
        if i + 1 < len(words) and not w.clause_end and (w.lower, words[i + 1].lower) in CONTRACT:
            new = same_case(CONTRACT[(w.lower, words[i + 1].lower)], w.core)
            out.append(_replace("contraction", False, None, i, i + 2, w.start, words[i + 1].end, new))
    return out


def number_formats(text: str, words: list[Word], rng: random.Random) -> list[Proposal]:
    """'three thousand eight hundred' written '3,800', 'twenty-two fifty' '2250', '11' 'eleven'."""
    out = []
    for i, j, start, end, old in _numbers(text, words):
        if old.isdigit():
            new = int_to_words(int(old))
            new = same_case(new, "A") if i == 0 or words[i - 1].sentence_end else new
        elif j == i + 1 and ordinal_digits(old):
            new = ordinal_digits(old)
        else:
            parts = re.split(r"[\s-]+", old)
            value = words_to_int(parts)
            if value is None:
                continue
            scaled = any(p.lower() in ("hundred", "thousand") for p in parts)
            new = f"{value:,}" if scaled and value >= 1000 else str(value)
        out.append(_replace("number-format", False, None, i, j, start, end, new))
    return out


def repeats(text: str, words: list[Word], rng: random.Random) -> list[Proposal]:
    """A repeated word ('old, old') or a false start cut off by a dash ('We'd like - the') removed."""
    out = []
    for i in range(len(words) - 1):
        w, nxt = words[i], words[i + 1]
        if w.lower == nxt.lower and w.lower not in FILLERS:
            out.append(_remove("repeat", False, None, i, i + 1, w.start, nxt.start))
        elif w.clause_end and not w.sentence_end and text[w.cend:nxt.start].strip().startswith("-"):
            first = i
            while first > 0 and not words[first - 1].clause_end:
                first -= 1
            if i - first < 3:  # a fragment of at most three words broken off by a dash
                out.append(_remove("false-start", False, None, first, i + 1, words[first].start, nxt.start))
    return out


def spellings(text: str, words: list[Word], rng: random.Random) -> list[Proposal]:
    """Spelling variants: 'Okay' as 'OK', 'B.C.' as 'BC', 'self-substantial' as 'self substantial'."""
    out = []
    for i, w in enumerate(words):
        if w.lower in SPELLING:
            new = SPELLING[w.lower] if w.lower == "okay" else same_case(SPELLING[w.lower], w.core)
            out.append(_replace("spelling", False, None, i, i + 1, w.start, w.end, new))
        elif _ABBREV_RE.match(w.core):
            out.append(_replace("spelling", False, None, i, i + 1, w.start, w.end, w.core.replace(".", "")))
        elif "-" in w.core and not any(p in NUMBER_WORDS for p in w.lower.split("-")):
            out.append(_replace("spelling", False, None, i, i + 1, w.start, w.end, w.core.replace("-", " ")))
    return out


Operator = Callable[[str, list[Word], random.Random], list[Proposal]]

SUBSTANTIVE: dict[str, Operator] = {
    "omission": omissions, "reword": rewordings, "insertion": insertions, "number": number_changes,
    "negation": negations, "sound-alike": sound_alikes,
}
COSMETIC: dict[str, Operator] = {
    "filler": fillers, "contraction": contractions, "number-format": number_formats, "repeat": repeats,
    "spelling": spellings,
}
