"""Find what in an official text is not spoken: speaker labels, editorial marks, headings."""

from __future__ import annotations

import re

from ..models import Label, Mark

_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de"  # ASCII and Latin-1 capitals: "JOSÉ", "MÜLLER"
_CAPS_WORD = rf"[{_UPPER}][{_UPPER}0-9.'\u2019\-]*"
_HONORIFIC = r"(?:Mr|Mrs|Ms|Dr|Prof|Gen|Amb|Sen|Rep)\.?"
_ROLE = (r"(?:Question|Answer|Spokesperson|Spokesman|Spokeswoman|Moderator|Reporter|Journalist|"
         r"Speaker|Operator|Interpreter|Correspondent|Participant|Chair|Host|President|Secretary|"
         r"Minister|Ambassador|Deputy Spokesperson)")
_NAME = r"[A-Z][\w'\u2019\-]+"
_LABEL = (rf"(?:{_CAPS_WORD}(?:[ \t]+{_CAPS_WORD}){{0,5}}"
          rf"|{_HONORIFIC}[ \t]+{_NAME}(?:[ \t]+{_NAME})?"
          rf"|{_ROLE}(?:[ \t]+{_NAME}){{0,2}})")
LABEL_RE = re.compile(
    rf"^[ \t]*(?:[>*\-]+[ \t]+)?(?:\*\*|__)?(?P<label>{_LABEL})(?:[ \t]*\([^)\n]{{1,40}}\))?"
    rf"[ \t]*(?:\*\*|__)?:(?:\*\*|__)?(?=\s|$)",
    re.MULTILINE,
)
LABEL_ONLY_RE = re.compile(rf"[ \t]*(?P<label>{_LABEL})(?:[ \t]*\([^)\n]{{1,40}}\))?[ \t]*(?P<colon>:?)[ \t]*")
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


def label_only(text: str, bold: bool = False) -> str:
    """`text` as a speaker label ("NAME:") when the whole of it is one, else "".

    A block holding only a name ends in a colon, or is bold (a heading-like name above the turn).
    """
    m = LABEL_ONLY_RE.fullmatch(text)
    if not m or not (m.group("colon") or bold) or len(text) > 60:
        return ""
    return text.strip().rstrip(":").rstrip() + ":"


def find_labels(text: str) -> list[Label]:
    labels = []
    for m in LABEL_RE.finditer(text):
        name = m.group("label").strip()
        if len(name) > 60 or not any(c.isalpha() for c in name):
            continue
        labels.append(Label(m.start("label"), m.end(), name.rstrip(".").upper()))
    return labels


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


def find_paragraphs(text: str, labels: list[Label]) -> list[tuple[int, int]]:
    """Blocks separated by blank lines; a speaker label also starts a new paragraph."""
    cuts = {0, len(text)}
    cuts.update(m.end() for m in PARAGRAPH_BREAK_RE.finditer(text))
    for label in labels:
        line_start = text.rfind("\n", 0, label.start) + 1
        cuts.add(line_start)
    points = sorted(cuts)
    spans = [(a, b) for a, b in zip(points, points[1:]) if text[a:b].strip()]
    return spans or [(0, len(text))]


def annotate(text: str) -> tuple[tuple[Label, ...], tuple[Mark, ...], tuple[tuple[int, int], ...]]:
    """Labels, editorial marks and paragraph spans of `text`, each a span of character offsets."""
    marks = find_marks(text)
    labels = [lab for lab in find_labels(text) if not any(m.start <= lab.start < m.end for m in marks)]
    return tuple(labels), tuple(marks), tuple(find_paragraphs(text, labels))
