"""Positioned PDF lines to paragraphs: page furniture dropped, lines joined, hyphenation undone.

Pure functions over Line/Page so the rules are tested without a PDF library. Running headers,
footers and document symbols are lines repeated at the same height on many pages; page numbers
are lone numbers ("3", "- 3 -", "Page 3 of 9") near the top or bottom edge.
"""

from __future__ import annotations

import itertools
import math
import re
import statistics
from typing import Iterable

from .labels import label_only, starts_with_label
from .blocks import Block
from .pdf_numbered import numbered
from .pdf_types import Line, Page

EDGE_BAND = 0.12  # top and bottom share of a page where headers, footers and page numbers live
SAME_HEIGHT = 6.0  # points: a running header sits at the same height on every page
SHORT_LINE_WORDS = 8  # headers and footers are short; a long body line never has its digits masked
PARAGRAPH_GAP = 1.4  # a line this many usual line pitches below the previous one starts a paragraph
HEADING_SIZE = 1.25  # a line this many times the body's font size is a heading

_ROMAN = r"(?=[ivxl])(?:xl|l?x{0,3})(?:ix|iv|v?i{0,3})"  # i to lxxxix, as front matter is numbered
_PAGE_NUMBER_RE = re.compile(
    rf"^[\W_]*(?:page|p\.|pg\.?|seite|p\u00e1gina|pagina)?\s*(?:\d{{1,4}}|{_ROMAN})"
    r"(?:\s*(?:of|/|de|sur|von|\|)\s*\d{1,4})?[\W_]*$", re.IGNORECASE)
_DIGITS_RE = re.compile(r"\d+")
_SENTENCE_END = tuple(".?!:;\"\u201d\u2019)]\u2026")
# "knowledge.With": a space the text layer lost between two sentences
_GLUED_SENTENCE_RE = re.compile(r"(?<=[a-z]{3}[.?!])(?=[A-Z][a-z]{2})")
# words that form hyphenated compounds in English ("well-known", "self-evident", "twenty-five")
COMPOUND_HEADS = frozenset({"well", "self", "half", "cross", "quasi", "semi", "vice", "great", "twenty", "thirty",
                            "forty", "fifty", "sixty", "seventy", "eighty", "ninety"})
# endings that make one word of what comes before ("self-" + "less" is "selfless")
SUFFIXES = frozenset({"less", "ness", "ish", "ly", "ful", "dom", "ing", "ed", "er", "est", "ment", "ship", "hood",
                      "ward", "wards", "able", "ish", "ism", "ist", "ity", "ies", "s", "es"})
_WORD_RE = re.compile(r"[^\W\d_][\w\u2019'\-]*")


def paragraphs(pages: list[Page]) -> list[Block]:
    """The document's paragraphs in reading order, running headers and footers left out.

    A page's margin line numbers come first as a furniture block, kept but never compared.
    """
    pages = [numbered(page) for page in pages]
    kept = _without_furniture(pages)
    body = [line for page in kept for line in page]
    if not body:
        return []
    body_size = statistics.median(line.size for line in body)
    vocabulary = _vocabulary(body)
    pitch = _line_pitch(kept)
    items: list[list[Line] | Block] = []
    last: list[Line] | None = None  # the paragraph a page's first line may carry on
    for page, lines in zip(pages, kept):
        if page.margin:
            items.append(Block(page.margin, furniture="line numbers"))
        previous = None
        for line in lines:
            heading = line.size >= HEADING_SIZE * body_size
            if previous is not None and last is not None and not _starts_paragraph(previous, line, heading, pitch):
                last.append(line)
            elif previous is None and last is not None and _continues(last[-1], line, heading, body_size):
                last.append(line)
            else:
                last = [line]
                items.append(last)
            previous = line
    return [item if isinstance(item, Block) else _block(item, body_size, vocabulary) for item in items]


def _without_furniture(pages: list[Page]) -> list[list[Line]]:
    drop = _furniture(pages)
    return [[line for i, line in enumerate(page.lines) if (p, i) not in drop] for p, page in enumerate(pages)]


def _furniture(pages: list[Page]) -> set[tuple[int, int]]:
    """(page, line) indices of running headers, footers, document symbols and page numbers.

    Only the lines at a page's top or bottom edge count: the run of lines from the edge inwards
    that stay within the edge band, so no body line with lines beyond it is ever taken.
    """
    places: dict[str, list[tuple[int, float]]] = {}
    edge: list[tuple[int, int, str, float]] = []
    drop = set()
    for p, page in enumerate(pages):
        for i in _edge_lines(page):
            text = page.lines[i].text.strip()
            if _PAGE_NUMBER_RE.match(text):
                drop.add((p, i))
            elif not starts_with_label(text):
                key = _furniture_key(text)
                edge.append((p, i, key, page.lines[i].top))
                places.setdefault(key, []).append((p, page.lines[i].top))
    need = max(2, math.ceil(0.4 * len(pages)))
    for p, i, key, top in edge:
        if len({q for q, t in places[key] if abs(t - top) <= SAME_HEIGHT}) >= need:
            drop.add((p, i))
    return drop


def _edge_lines(page: Page) -> set[int]:
    band = EDGE_BAND * page.height
    order = sorted(range(len(page.lines)), key=lambda i: page.lines[i].top)
    top = list(itertools.takewhile(lambda i: page.lines[i].top <= band, order))
    bottom = list(itertools.takewhile(lambda i: page.lines[i].bottom >= page.height - band, reversed(order)))
    return set(top) | set(bottom)


def _furniture_key(text: str) -> str:
    """Short lines compare with their numbers masked ("Page 3", "12 May 2017 | 4"); long ones exactly."""
    words = text.lower().split()
    joined = " ".join(words)
    return _DIGITS_RE.sub("#", joined) if len(words) <= SHORT_LINE_WORDS else joined


def _line_pitch(pages: list[list[Line]]) -> float:
    """The usual distance from one line's top to the next one's in the same column.

    A low quantile rather than the median, so documents of many one-line paragraphs still tell
    line spacing from paragraph spacing.
    """
    steps = sorted(b.top - a.top for page in pages for a, b in zip(page, page[1:])
                   if _below(a, b) and b.top - a.top <= 4 * a.size)
    return steps[len(steps) // 4] if steps else 0.0


def _below(previous: Line, line: Line) -> bool:
    """`line` sits under `previous` in the same column."""
    return line.top > previous.top and line.x0 < previous.x1 and previous.x0 < line.x1


def _name_line(line: Line) -> bool:
    """A bold line holding only a speaker's name, above the turn."""
    return line.bold and bool(label_only(line.text.strip(), bold=True))


def _capitals(line: Line) -> bool:
    """A line in capitals only (a heading: "EXAMINATION", "BY MS. SMITH:") stands as its own paragraph."""
    letters = [c for c in line.text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _starts_paragraph(previous: Line, line: Line, heading: bool, pitch: float) -> bool:
    if heading or not _below(previous, line) or starts_with_label(line.text):
        return True
    if _name_line(line) or _name_line(previous) or _capitals(line) or _capitals(previous):
        return True
    if line.lead and label_only(line.lead.strip().rstrip(":") + ":"):
        return True  # a bold name opening the line: a new turn
    if pitch and line.top - previous.top > PARAGRAPH_GAP * pitch:
        return True
    indented = line.x0 - previous.x0 > 0.8 * line.size
    return indented and previous.text.rstrip().endswith(_SENTENCE_END)


def _continues(last: Line, line: Line, heading: bool, body_size: float) -> bool:
    """Does the first line of a page carry on the paragraph the previous page ended in?"""
    if heading or last.size >= HEADING_SIZE * body_size or starts_with_label(line.text):
        return False
    return not last.text.rstrip().endswith(_SENTENCE_END)


def _block(lines: list[Line], body_size: float, vocabulary: set[str]) -> Block:
    text = lines[0].text.strip()
    for line in lines[1:]:
        text = join_lines(text, line.text.strip(), vocabulary)
    heading = all(line.size >= HEADING_SIZE * body_size for line in lines) and len(text.split()) <= 20
    text = _GLUED_SENTENCE_RE.sub(" ", text)
    return Block(text, heading=heading, bold=all(line.bold for line in lines), lead=lines[0].lead)


def join_lines(left: str, right: str, vocabulary: Iterable[str] = ()) -> str:
    """Join two lines of one paragraph, undoing end-of-line hyphenation.

    "re-" + "mains" gives "remains"; the hyphen stays where the document writes the word with
    one elsewhere ("well-" + "known" when "well-known" occurs), before a capital ("Secretary-General"),
    after a digit ("2016-2017"), after a compound-forming word ("well-", "self-", "twenty-"), before a
    part that has a hyphen of its own ("well-" + "brought-up") and in a rhyme ("nitty-" + "gritty"),
    unless the document writes the joined word without one.
    """
    if left.endswith("\u00ad"):
        return left[:-1] + right
    if not left.endswith(("-", "\u2010")) or len(left) < 2 or left.endswith("--"):
        return f"{left} {right}"
    before = left[-2]
    if before.isspace():
        return f"{left} {right}"
    if not before.isalpha() or not right[:1].islower():
        return left + right
    head = _WORD_RE.findall(left[:-1])
    tail = _WORD_RE.match(right)
    if head and tail and left[:-1].endswith(head[-1]):
        stem, rest = head[-1].lower(), tail.group().lower()
        if f"{stem}{rest}" in vocabulary:
            return left[:-1] + right
        if "-" in stem or f"{stem}-{rest}" in vocabulary or _compound(stem, rest, right[tail.end():]):
            return left + right
    return left[:-1] + right


def _compound(stem: str, rest: str, after: str) -> bool:
    """Does the language write these two parts with a hyphen whatever the line breaks?"""
    if rest in SUFFIXES:
        return False
    return (stem in COMPOUND_HEADS or after.startswith("-") or "-" in rest
            or (len(stem) >= 4 and len(rest) >= 4 and stem[-3:] == rest[-3:]))


def _vocabulary(lines: list[Line]) -> set[str]:
    """Lower-cased words as the document writes them inside its lines (line-end fragments excluded)."""
    words = set()
    for line in lines:
        found = _WORD_RE.findall(line.text)
        if found and line.text.rstrip().endswith("-"):
            found = found[:-1]
        words.update(w.lower().rstrip("-") for w in found)
    return words
