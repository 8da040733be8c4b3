"""Page furniture in a transcript's text: printed, never spoken, so kept out of the comparison.

Front matter, column markers, time stamps, procedural notes, headings in capitals, examination
headings and swearing boilerplate, transcription credits, division lists, margin line numbers, and
the title block and dateline before the first speech. Each is found as a whole paragraph (or a
whole line), kept in the text and listed with its kind, so nothing is silently deleted.
"""

from __future__ import annotations

import re
from typing import Iterator, Optional, Sequence

from ..models import Furniture

FRONT_MATTER_RE = re.compile(r"\A\ufeff?---[ \t]*\r?\n(?P<body>.*?)\r?\n(?:---|\.\.\.)(?=[ \t]*(?:\r?\n|\Z))", re.DOTALL)
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple((kind, re.compile(pattern)) for kind, pattern in (
    ("column marker", r"(?:\d{1,2}\s+[A-Z][a-z]+\s+\d{4}\s*:\s*)?Column\s+\d{1,4}[A-Z]{0,2}"),
    ("time stamp", r"(?:END\s+)?\[?\d{1,2}[:.]\d{2}\s*(?:[AaPp]\.?\s?[Mm]\.?)(?:\s+[A-Z]{2,5})?\]?"),
    ("procedural note", r"\[?(?:The\s+)?(?:House|Senate|Assembly|Committee|Sitting|Council|Chamber|Court|Meeting)"
                        r"\s+(?:met|rose|adjourned|resumed|divided|was\s+suspended|suspended|went\s+into)\b[^\n]{0,80}"),
    ("examination heading", r"(?:(?:DIRECT|CROSS|REDIRECT|RECROSS|FURTHER)[\s-]*)?EXAMINATION(?:\s+[A-Z .]+)?"
                            r"|(?:QUESTIONS\s+)?BY\s+(?:MR|MS|MRS|MISS|DR)\.?\s+[A-Z][A-Z'\-]+:?"),
    ("line numbers", r"(?:\d{1,2}\s+){3,}\d{1,2}"),
    ("credit", r"(?:Transcri(?:bed|ption|pt)\s+(?:by|prepared\s+by|provided\s+by|services)|Transcriber|"
               r"Audit[- ]edited\s+by|Reviewed\s+by|Edited\s+by|Proofread\s+by)[^\n]{0,160}"
               r"|(?:Copyright|\u00a9)\s*(?:\u00a9\s*)?\d{4}[^\n]{0,120}"),
))
_SWORN_RE = re.compile(r"\bduly\s+sworn\b|\bbeing\s+first\s+sworn\b|\bswore\s+to\s+tell\b|\baffirmed\s+to\s+tell\b")
_DATELINE_RE = re.compile(r"[A-Z][\w .'\u2019-]{1,40},\s+(?:\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+|[A-Z][a-z]+\.?\s+\d{1,2}"
                          r"(?:st|nd|rd|th)?),?\s+\d{4}\b")
_SENTENCE_END = (".", "?", "!", "\u2026", ".\u201d", "?\u201d", ".\"", "?\"")
_DIVISION_START_RE = re.compile(r"(?:AYES|NOES|CONTENTS|NOT[- ]CONTENTS|YEAS|NAYS)")
_DIVISION_NOTE_RE = re.compile(r"(?:The\s+House\s+divided|Division\s+No\.|\[?\d{1,2}[.:]\d{2}\s*[ap]\.?m|Ayes\s+\d+,?\s+Noes)",
                               re.IGNORECASE)
_DIVISION_NAME_RE = re.compile(r"[A-Z][\w'\u2019\-]+(?:\s+[\w'\u2019\-]+)?,\s+\S.*|\(.*\)|Tellers\s+for\s+the\b.*|"
                               r"(?:[A-Z][\w'.\u2019\-]*\s+){0,3}(?:[A-Z][\w'.\u2019\-]*|and)")
MAX_TITLE_WORDS = 14
SHORT_LINE_WORDS = 8  # a paragraph of lines no longer than this is a list (a title page), not prose
MAX_TITLE_PARAGRAPHS = 12


def front_matter(text: str) -> tuple[Optional[Furniture], Optional[str], Optional[str]]:
    """The YAML front matter of a Markdown transcript, with the title and date it gives."""
    m = FRONT_MATTER_RE.match(text)
    if not m:
        return None, None, None
    fields = _yaml_fields(m.group("body"))
    title = fields.get("title")
    date = fields.get("date") or fields.get("published_time") or fields.get("published")
    clean = (lambda v: " ".join(str(v).split()) or None) if fields else (lambda v: None)
    return Furniture(m.start(), m.end(), "front matter"), clean(title) if title else None, clean(date) if date else None


def _yaml_fields(body: str) -> dict[str, object]:
    try:
        import yaml
    except ImportError:  # the few fields we use, read line by line
        return {k: v.strip().strip("'\"") for k, v in re.findall(r"^(\w+):[ \t]*(.+)$", body, re.MULTILINE)}
    try:
        data = yaml.safe_load(body)
    except yaml.YAMLError:
        return {}
    return {str(k): v for k, v in data.items()} if isinstance(data, dict) else {}


def find_furniture(text: str, paragraphs: Sequence[tuple[int, int]], first_label: Optional[int],
                   captions: bool = False) -> list[Furniture]:
    """Furniture paragraphs (and lines) of `text`; `first_label` is where the first speech starts.

    A rule judges a whole paragraph, or each line of a paragraph of short lines; inside wrapped
    prose only a column marker or a run of line numbers is taken (a wrapped line may begin
    "House rose to its feet" or hold "12:30 P.M." in mid-sentence). A text in capitals throughout
    has no headings in capitals.
    """
    letters = [c for c in text[:20000] if c.isalpha()]
    capitals = bool(letters) and sum(c.islower() for c in letters) < 0.2 * len(letters)
    found: list[Furniture] = []
    for a, b in paragraphs:
        lines = list(_lines(text, a, b))
        listing = len(lines) == 1 or _listing(text, lines)
        for start, end in lines:
            kind = line_kind(text[start:end], captions or capitals)
            if kind and (listing or kind in ("column marker", "line numbers")):
                found.append(Furniture(start, end, kind))
        para = text[a:b].strip()
        if _SWORN_RE.search(para) and len(para.split()) <= 80:
            found.append(Furniture(*_trimmed(text, a, b), "swearing-in"))
    found.extend(_division_lists(text, paragraphs))
    if first_label is not None:
        found.extend(_title_block(text, paragraphs, first_label))
    return _merged(found)


def _listing(text: str, lines: list[tuple[int, int]]) -> bool:
    """Short lines, none carrying on a sentence from the line above: a list (a title page), not prose."""
    return all(len(text[s:e].split()) <= SHORT_LINE_WORDS and not text[s].islower() for s, e in lines)


def _lines(text: str, a: int, b: int) -> Iterator[tuple[int, int]]:
    pos = a
    for line in text[a:b].split("\n"):
        start = pos + len(line) - len(line.lstrip())
        end = pos + len(line.rstrip())
        if end > start:
            yield start, end
        pos += len(line) + 1


def in_capitals(line: str) -> bool:
    """No lower-case letter in any script, and a run of three capitals: a heading's line."""
    if any(c.islower() for c in line):
        return False
    run = 0
    for c in line:
        run = run + 1 if c.isupper() else 0
        if run == 3:
            return True
    return False


def line_kind(line: str, captions: bool) -> str:
    """What kind of furniture a whole line is, or ""; `captions` (or a text in capitals): no headings."""
    for kind, pattern in _RULES:
        if pattern.fullmatch(line):
            return kind
    if (not captions and in_capitals(line) and not line.rstrip().endswith((":", "?", "!", "."))
            and len(line.split()) <= 12 and not line.lstrip().startswith("#")):
        return "heading"
    return ""


def _trimmed(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _title_block(text: str, paragraphs: Sequence[tuple[int, int]], first_label: int) -> Iterator[Furniture]:
    """Short unpunctuated lines before the first speech: the title, place, date, room."""
    before = [p for p in paragraphs if p[1] <= first_label]
    if len(before) > MAX_TITLE_PARAGRAPHS:
        return
    for a, b in before:
        lines = list(_lines(text, a, b))
        if len(lines) > 1 and not _listing(text, lines):
            continue  # wrapped prose, not a title page
        for start, end in lines:
            line = text[start:end]
            if line.startswith("#") or line.startswith("---"):
                continue
            short = len(line.split()) <= MAX_TITLE_WORDS and not line.endswith(_SENTENCE_END)
            if short or _DATELINE_RE.fullmatch(line.rstrip(".")):
                yield Furniture(start, end, "title block")


def _division_lists(text: str, paragraphs: Sequence[tuple[int, int]]) -> Iterator[Furniture]:
    """A division's lists of members' names, from its AYES/NOES heading to the first sentence after."""
    spans = [_trimmed(text, a, b) for a, b in paragraphs]
    i = 0
    while i < len(spans):
        if not _DIVISION_START_RE.fullmatch(text[spans[i][0]:spans[i][1]]):
            i += 1
            continue
        first = i
        while first > 0 and _DIVISION_NOTE_RE.match(text[spans[first - 1][0]:spans[first - 1][1]]):
            first -= 1
        last = i
        while last + 1 < len(spans):
            para = text[spans[last + 1][0]:spans[last + 1][1]]
            if not (_DIVISION_START_RE.fullmatch(para) or (_DIVISION_NAME_RE.fullmatch(para) and len(para.split()) <= 8)):
                break
            last += 1
        if last - i >= 2:
            yield Furniture(spans[first][0], spans[last][1], "division list")
        i = last + 1


def _merged(found: list[Furniture]) -> list[Furniture]:
    """Sorted, with spans inside an earlier one dropped."""
    out: list[Furniture] = []
    for f in sorted(found, key=lambda f: (f.start, -f.end)):
        if out and f.start < out[-1].end:
            continue
        out.append(f)
    return out
