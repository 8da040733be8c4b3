"""Tokens for matching: the same named normalisation steps on both sides, originals kept.

Every token keeps its display text and where it came from (seconds on the recording side,
character offsets on the official side), so the report always shows the real wording.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable, Iterable, Optional

from .models import OfficialText, Token, Transcript, Word
from .numbers import normalize_number

# ---------------------------------------------------------------------------------------------
# Splitting text into words, each with its span

_SPLIT_RE = re.compile(r"[^\s\u2014\u2013\u2026]+")
_INNER_BREAK_RE = re.compile(r"--+|\.\.\.+|/")
_EDGE = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb()[]{}<>,;:!?.*_`~|\\"
_ABBREV_RE = re.compile(r"^(?:[A-Za-z]\.){2,}$|^(?:[A-Za-z]\.)+[A-Za-z]$")


@dataclass(frozen=True)
class Piece:
    """A display word before normalisation: text plus its location and probability."""

    text: str
    start: float
    end: float
    probability: Optional[float] = None
    ends_sentence: bool = False
    ends_clause: bool = False  # followed by , ; : or a sentence end
    joins_previous: bool = True  # False after a speaker label or editorial mark: runs never span it
    heard: str = ""  # recording side: the word as the recogniser wrote it, with its punctuation


_SENTENCE_END_RE = re.compile(r"^[\"'\u201d\u2019)\]]*[.?!\u2026]")
_CLAUSE_END_RE = re.compile(r"^[\"'\u201d\u2019)\]]*\s*[.?!\u2026,;:]")


def split_words(text: str, base: int = 0) -> list[tuple[int, int]]:
    """Character spans (absolute, offset by `base`) of the words in `text`, punctuation trimmed."""
    spans = []
    for m in _SPLIT_RE.finditer(text):
        start = m.start()
        for part in _INNER_BREAK_RE.split(m.group()):
            span = _trim(part, start)
            start += len(part)
            if span:
                spans.append((base + span[0], base + span[1]))
            start += _inner_break_len(m.group(), start - m.start())
    return spans


def _inner_break_len(word: str, pos: int) -> int:
    m = _INNER_BREAK_RE.match(word, pos)
    return len(m.group()) if m else 0


def _trim(part: str, start: int) -> Optional[tuple[int, int]]:
    if not any(c.isalnum() for c in part):
        return None
    lo, hi = 0, len(part)
    while part[lo] in _EDGE:
        lo += 1
    while part[hi - 1] in _EDGE:
        hi -= 1
    if part[hi:hi + 1] == "." and _ABBREV_RE.match(part[lo:hi + 1]):
        hi += 1  # keep the last dot of "U.N."
    return start + lo, start + hi


# ---------------------------------------------------------------------------------------------
# Per-word steps: each maps a lower-cased word to its matching form (possibly several words)

FILLERS = frozenset({"um", "umm", "uh", "uhh", "er", "erm", "ah", "ahh", "eh", "hmm", "hm", "mm", "mmm",
                     "mhm", "uhm"})
CONTRACTIONS = {
    "won't": "will not", "can't": "can not", "cannot": "can not", "shan't": "shall not",
    "ain't": "is not", "let's": "let us", "y'all": "you all", "'em": "them", "'cause": "because",
    "'til": "until", "o'er": "over", "e'er": "ever", "ne'er": "never", "e'en": "even",
    "'tis": "it is", "'twas": "it was", "'twere": "it were", "th'": "the", "gonna": "going to",
    "wanna": "want to", "gotta": "got to", "gimme": "give me", "alright": "all right",
    "yknow": "you know", "y'know": "you know", "ya": "you", "'bout": "about", "ok": "okay", "o.k.": "okay", "mister": "mr", "&": "and", "percent": "%", "per cent": "%",
}
_PRONOUNS_D = frozenset({"i", "you", "he", "she", "it", "we", "they", "who", "that", "there", "what",
                         "where", "how", "why", "when"})
_S_IS = frozenset({"it", "that", "there", "here", "what", "who", "where", "when", "how", "he", "she",
                   "this", "why", "which", "everything", "nothing", "something", "everyone", "one"})
_SUFFIXES = (("n't", " not"), ("'re", " are"), ("'ve", " have"), ("'ll", " will"), ("'m", " am"))


def step_unicode(word: str) -> str:
    """Compatibility forms and accents folded: 'José' = 'Jose', curly quotes = straight."""
    word = unicodedata.normalize("NFKD", word)
    word = "".join(c for c in word if not unicodedata.combining(c))
    return word.replace("\u2019", "'").replace("\u2018", "'").replace("\u02bc", "'")


def step_case(word: str) -> str:
    return word.lower()


def step_abbreviation(word: str) -> str:
    """'U.N.' = 'UN', 'B.C.' = 'BC'."""
    return word.replace(".", "") if _ABBREV_RE.match(word) else word


def step_punctuation(word: str) -> str:
    """Punctuation other than in-word apostrophes and hyphens is not compared."""
    word = re.sub(r"[\"\u201c\u201d()\[\]{}<>,;:!?*_`~|\\]", "", word)
    word = word.strip(".")
    return word.strip("'") if not word.startswith("'") or word in CONTRACTIONS else word


def step_contractions(word: str) -> str:
    """'it's' = 'it is', 'don't' = 'do not', 'gonna' = 'going to', archaic 'deserv'd' = 'deserved'."""
    if word in CONTRACTIONS:
        return CONTRACTIONS[word]
    if "'" not in word:
        return word
    if word.endswith("'d"):
        stem = word[:-2]
        return f"{stem} would" if stem in _PRONOUNS_D else stem + ("d" if stem.endswith("e") else "ed")
    if word.endswith("'st"):
        return word[:-3] + "est"
    if word.endswith("'s"):  # "it's" = "it is"; "Columbia's" stays one word (see contracted_form)
        stem = word[:-2]
        return f"{stem} is" if stem in _S_IS else stem + "s"
    for suffix, expansion in _SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix):
            return word[: -len(suffix)] + expansion
    return word.replace("'", "")


@lru_cache(maxsize=1)
def _spelling_map() -> dict[str, str]:
    from whisper_normalizer.english import EnglishSpellingNormalizer

    return EnglishSpellingNormalizer().mapping


def step_spelling(word: str) -> str:
    """British = American spelling ('colour' = 'color'), from Whisper's English normaliser."""
    mapping = _spelling_map()
    return " ".join(mapping.get(w, w) for w in word.split())


def step_hyphens(word: str) -> str:
    """'well-known' = 'well known'; 're-read' matches 'reread' through the equivalence check."""
    return " ".join(part for part in re.split(r"[-\u2010\u2011]+", word) if part)


def step_fillers(word: str) -> str:
    return "" if word in FILLERS else word


WORD_STEPS: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("unicode", step_unicode),
    ("case", step_case),
    ("abbreviation", step_abbreviation),
    ("punctuation", step_punctuation),
    ("contractions", step_contractions),
    ("spelling", step_spelling),
    ("hyphens", step_hyphens),
    ("fillers", step_fillers),
)


@lru_cache(maxsize=65536)
def normalize_word(word: str) -> str:
    """The matching form of one display word: zero or more space-separated sub-words."""
    for _, step in WORD_STEPS:
        word = step(word)
        if not word:
            return ""
    return " ".join(word.split())


# ---------------------------------------------------------------------------------------------
# Numbers: runs of number words or digits are normalised together ('twenty-two fifty' = '2250')

_NUMBER_WORDS = frozenset(
    "zero oh one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty "
    "ninety hundred thousand million billion trillion first second third fourth fifth sixth "
    "seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth "
    "seventeenth eighteenth nineteenth twentieth thirtieth fortieth fiftieth sixtieth seventieth "
    "eightieth ninetieth hundredth thousandth millionth billionth".split())
_JOINERS = frozenset({"and", "point", "a"})
_UNITS = frozenset({"percent", "%", "dollars", "dollar", "cents", "cent", "pounds", "euros"})
_DIGITS_RE = re.compile(r"^[$\u00a3\u20ac]?\d[\d,.]*(?:%|st|nd|rd|th|s|m|bn|k)?$")


def _number_parts(text: str) -> Optional[list[str]]:
    """The lower-cased parts of a display word if every part is a number word or digits."""
    word = step_case(step_unicode(text)).strip(_EDGE)
    parts = [p for p in re.split(r"[-\u2010\u2011]+", word) if p]
    if parts and all(p in _NUMBER_WORDS or _DIGITS_RE.match(p) for p in parts):
        return parts
    return None


def _number_runs(pieces: list[Piece]) -> Iterable[tuple[int, int]]:
    """Index ranges [i, j) of maximal runs of number words, with joiners and a trailing unit.

    A run never crosses a speaker label or an editorial mark (`joins_previous` is False there).
    """
    i, n = 0, len(pieces)

    def word(k: int) -> str:
        return step_case(pieces[k].text).strip(_EDGE)

    def joined(k: int) -> bool:
        return k < n and pieces[k].joins_previous

    while i < n:
        if _number_parts(pieces[i].text) is None:
            i += 1
            continue
        j = i + 1
        while joined(j):
            if _continues_number(pieces[j - 1], pieces[j]):
                j += 1
            elif (word(j) in _JOINERS and joined(j + 1) and _number_parts(pieces[j + 1].text) is not None
                  and not _ends_clause(pieces[j - 1])):
                j += 2
            else:
                break
        if joined(j) and word(j) in _UNITS and not _ends_clause(pieces[j - 1]):
            j += 1
        elif joined(j) and joined(j + 1) and word(j) == "per" and word(j + 1) == "cent":
            j += 2
        yield i, j
        i = j


_SCALES = frozenset({"hundred", "thousand", "million", "billion", "trillion"})


def _continues_number(prev: Piece, piece: Piece) -> bool:
    """Number words chain ('twenty two'); digits only take a scale word ('5 million')."""
    parts, prev_parts = _number_parts(piece.text), _number_parts(prev.text)
    if parts is None or prev_parts is None or _ends_clause(prev):
        return False
    return all(p in _NUMBER_WORDS for p in prev_parts) or parts[0] in _SCALES


def _ends_clause(piece: Piece) -> bool:
    text = piece.text
    return piece.ends_clause or (text.rstrip().endswith((".", ",", ";", ":", "?", "!")) and not _ABBREV_RE.match(text))


# ---------------------------------------------------------------------------------------------
# Pieces -> tokens


def tokenize(pieces: list[Piece], source: Optional[str] = None) -> list[Token]:
    """Normalise a stream of display words into tokens, merging number runs into one token.

    With `source` (the official text the pieces' offsets point into), a merged token's display
    text is the exact slice of it.
    """
    tokens: list[Token] = []
    runs = {i: j for i, j in _number_runs(pieces)}
    i = 0
    while i < len(pieces):
        if i in runs and runs[i] - i > 1 or i in runs and _number_parts(pieces[i].text):
            j = runs[i]
            group = pieces[i:j]
            # normalised from the words alone, so both sides agree whatever stands between them in
            # the official text ('0 < million' printed, '0 million' heard)
            spoken = " ".join(p.text.strip(_EDGE) for p in group)
            text = source[int(group[0].start):int(group[-1].end)] if source is not None else spoken
            norm = normalize_number(step_hyphens(step_case(step_unicode(spoken))))
            tokens.append(Token(norm=norm, text=text, start=group[0].start, end=group[-1].end,
                                probability=_min_prob(group), ends_sentence=group[-1].ends_sentence,
                                heard=" ".join(p.heard for p in group if p.heard)))
            i = j
            continue
        piece = pieces[i]
        norm = normalize_word(piece.text)
        filler = not norm and step_case(piece.text).strip(_EDGE) in FILLERS
        tokens.append(Token(norm=norm, text=piece.text, start=piece.start, end=piece.end,
                            probability=piece.probability, filler=filler, ends_sentence=piece.ends_sentence,
                            heard=piece.heard))
        i += 1
    return tokens


def _min_prob(group: list[Piece]) -> Optional[float]:
    probs = [p.probability for p in group if p.probability is not None]
    return min(probs) if probs else None


def official_pieces(official: OfficialText) -> list[Piece]:
    """Display words of the official text, skipping speaker labels, editorial marks and page furniture."""
    skip = sorted([(x.start, x.end) for x in (*official.labels, *official.marks, *official.furniture)])
    pieces: list[Piece] = []
    pos = 0
    for start, end in [*skip, (len(official.text), len(official.text))]:
        if start > pos:
            for k, (a, b) in enumerate(split_words(official.text[pos:start], base=pos)):
                after = official.text[b:b + 4]
                pieces.append(Piece(official.text[a:b], a, b, ends_sentence=bool(_SENTENCE_END_RE.match(after)),
                                    ends_clause=bool(_CLAUSE_END_RE.match(official.text[b:b + 6])),
                                    joins_previous=k > 0 or not pieces))
        pos = max(pos, end)
    return pieces


def _join_split_numbers(words: Iterable[Word]) -> list[Word]:
    """Whisper splits '3,800' into '3' + ',800' and '2.5' into '2' + '.5': join them again."""
    out: list[Word] = []
    for word in words:
        if out and re.match(r"^[,.]\d", word.text) and out[-1].text[-1:].isdigit():
            prev = out.pop()
            word = Word(prev.text + word.text, prev.start, max(prev.end, word.end),
                        min(prev.probability, word.probability))
        out.append(word)
    return out


def recording_pieces(transcript: Transcript) -> list[Piece]:
    """Display words as heard; a recognised word holding several (`well-known—no`) is split."""
    pieces: list[Piece] = []
    for word in _join_split_numbers(transcript.words):
        spans = split_words(word.text)
        if not spans and pieces and _CLAUSE_END_RE.match(word.text.strip()):
            pieces[-1] = replace(pieces[-1], ends_clause=True,  # punctuation heard as a word of its own
                                 ends_sentence=pieces[-1].ends_sentence or bool(_SENTENCE_END_RE.match(word.text.strip())),
                                 heard=pieces[-1].heard + word.text.strip())
            continue
        total = max(1, sum(b - a for a, b in spans))
        t, duration = word.start, word.end - word.start
        for n, (a, b) in enumerate(spans):
            share = duration * (b - a) / total
            last = n == len(spans) - 1
            end = last and bool(_SENTENCE_END_RE.match(word.text[b:]))
            pause = last and bool(_CLAUSE_END_RE.match(word.text[b:]))
            # what stands between two words of one recognised word ("well-known—no") stays with the first
            shown = word.text[0 if n == 0 else a: len(word.text) if last else spans[n + 1][0]].strip()
            pieces.append(Piece(word.text[a:b], round(t, 3), round(t + share, 3), word.probability, end, pause,
                                heard=shown))
            t += share
    return pieces


def normalize_official(official: OfficialText) -> list[Token]:
    return tokenize(official_pieces(official), official.text)


def normalize_recording(transcript: Transcript) -> list[Token]:
    return tokenize(recording_pieces(transcript))


def joined_form(tokens: Iterable[Token]) -> str:
    """The sub-words of `tokens` with spaces and fillers removed: equal when only splitting differs."""
    return "".join(t.norm.replace(" ", "") for t in tokens)


def contracted_form(tokens: Iterable[Token]) -> str:
    """Joined form with "X is"/"X has" written "Xs": 'Columbia's lost' = 'Columbia is lost'."""
    words = [w for t in tokens for w in t.subwords]
    out: list[str] = []
    for w in words:
        if w in ("is", "has") and out:
            out[-1] += "s"
        else:
            out.append(w)
    return "".join(out)
