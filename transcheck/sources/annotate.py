"""Find what in an official text is not spoken: speaker labels, editorial marks, headings, furniture."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Optional, Sequence

from ..models import Furniture, Label, Mark
from .furniture import find_furniture, front_matter
from .labels import find_labels, label_only

GAP_WORDS = ("inaudible", "unintelligible", "indiscernible", "crosstalk", "cross-talk", "cross talk",
             "off mic", "off-mic", "audio gap", "audio drops", "audio cuts", "technical difficult",
             "garbled", "unclear", "overlapping", "no audio", "interruption", "gap in audio")
EDITORIAL_WORDS = GAP_WORDS + (
    "laughter", "laughs", "applause", "sic", "pause", "pauses", "silence", "music", "break", "recess",
    "video", "end", "begin", "start", "in progress", "as prepared", "translation", "translated",
    "interpretation", "speaks in", "via interpreter", "through interpreter", "coughs", "phone",
    "noise", "sighs", "chuckles", "groans", "all", "off the record", "on background")
BRACKET_RE = re.compile(r"\[[^\[\]\n]{1,80}\]|\{[^{}\n]{1,80}\}")
PAREN_RE = re.compile(r"\([^()\n]{1,60}\)")
HEADING_RE = re.compile(r"^[ \t]*#{1,6}[ \t]+[^\n]*$", re.MULTILINE)
PARAGRAPH_BREAK_RE = re.compile(r"\n[ \t]*\r?\n|\r[ \t]*\r(?!\n)")


def is_gap(text: str) -> bool:
    low = text.lower()
    return any(word in low for word in GAP_WORDS) or low.strip("[]{}() ") in ("?", "...", "\u2026")


def _is_editorial(inner: str) -> bool:
    low = inner.lower().strip()
    return any(low.startswith(w) or w in low for w in EDITORIAL_WORDS)


def find_marks(text: str) -> list[Mark]:
    """Bracketed notes are always editorial; parenthesised ones only when they read like one."""
    marks = [Mark(m.start(), m.end(), m.group(), is_gap(m.group())) for m in BRACKET_RE.finditer(text)]
    for m in PAREN_RE.finditer(text):
        if _is_editorial(m.group()[1:-1]):
            marks.append(Mark(m.start(), m.end(), m.group(), is_gap(m.group())))
    marks.extend(Mark(m.start(), m.end(), m.group().strip(), False) for m in HEADING_RE.finditer(text))
    marks.sort(key=lambda x: (x.start, -x.end))
    merged: list[Mark] = []
    for mark in marks:  # drop marks nested inside an earlier one
        if merged and mark.start < merged[-1].end:
            continue
        merged.append(mark)
    return merged


def find_paragraphs(text: str, labels: Sequence[Label]) -> list[tuple[int, int]]:
    """Blocks separated by blank lines; a speaker label also starts a new paragraph (one inside a line
    splits it there: two turns run into one paragraph)."""
    cuts = {0, len(text)}
    cuts.update(m.end() for m in PARAGRAPH_BREAK_RE.finditer(text))
    for label in labels:
        line_start = text.rfind("\n", 0, label.start) + 1
        before = text[line_start:label.start]
        cuts.add(line_start if not before.strip(" \t>*_-0123456789.T[]") else label.start)
    points = sorted(cuts)
    spans = [(a, b) for a, b in zip(points, points[1:]) if text[a:b].strip()]
    return spans or [(0, len(text))]


@dataclass(frozen=True)
class Annotation:
    """What in an official text is not spoken, each a span of character offsets."""

    labels: tuple[Label, ...]
    marks: tuple[Mark, ...]
    paragraphs: tuple[tuple[int, int], ...]
    furniture: tuple[Furniture, ...] = ()
    title: Optional[str] = None
    date: Optional[str] = None


def annotate_all(text: str, furniture: Iterable[Furniture] = (), labels: Iterable[Label] = (),
                 fmt: str = "text") -> Annotation:
    """Labels, editorial marks, paragraphs and furniture of `text`.

    `furniture` and `labels` are what the reader already knew from the file's structure.
    """
    given = list(furniture)
    matter, title, date = front_matter(text)
    if matter is not None:
        given.append(matter)
    marks = [m for m in find_marks(text) if not _inside(m, given)]
    skip = [(f.start, f.end) for f in given] + [(m.start, m.end) for m in marks]
    found = find_labels(text, _line_starts(text), skip, labels)
    blocks = find_paragraphs(text, found)
    first = found[0].start if found else None
    extra = find_furniture(text, blocks, first, captions=fmt in ("vtt", "srt"))
    extra = [f for f in extra if not _inside(f, given) and not any(_overlaps(f, m) for m in marks)
             and not (f.kind == "heading" and label_only(text[f.start:f.end], bold=True))]  # a name above its turn
    every = sorted([*given, *extra], key=lambda f: (f.start, f.end))
    kept = [lab for lab in found if not any(f.start <= lab.start < f.end for f in every)]
    return Annotation(tuple(kept), tuple(marks), tuple(find_paragraphs(text, kept)), tuple(every), title, date)


def annotate(text: str) -> tuple[tuple[Label, ...], tuple[Mark, ...], tuple[tuple[int, int], ...]]:
    """Labels, editorial marks and paragraph spans of `text`, each a span of character offsets."""
    result = annotate_all(text)
    return result.labels, result.marks, result.paragraphs


def _line_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in re.finditer(r"\n", text) if m.end() < len(text))]


def _inside(span: Any, spans: Iterable[Furniture]) -> bool:
    return any(f.start <= span.start and span.end <= f.end for f in spans)


def _overlaps(a: Any, b: Any) -> bool:
    return a.start < b.end and b.start < a.end
