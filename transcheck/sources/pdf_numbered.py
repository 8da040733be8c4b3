"""Numbered-line layouts (court reporters' transcripts): margin line numbers 1..25, read top to bottom.

Layout analysis groups such a page's text into boxes that it then orders badly (an indented
first line after the lines below it, "Q"/"A" after their answers). On a page whose left margin
holds a run of line numbers, every line is put on the numbered row it sits on and the rows are
read top to bottom; the numbers themselves become the page's margin, kept as furniture.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Optional

from .pdf_types import Line, Page

MIN_NUMBERS = 10  # a run of at least this many margin numbers makes a numbered page
_NUMBER_RE = re.compile(r"\s*(\d{1,2})(?:\s+(\S.*))?\s*$")
WIDE_GAP = 1.5  # a gap this many font sizes wide between two pieces of a row reads as a tab


def numbered(page: Page) -> Page:
    """The page with its lines put in numbered rows and its margin numbers set aside, when it has them."""
    found = _margin_numbers(page)
    if found is None:
        return page
    numbers, rest = found
    rows: list[list[Line]] = [[] for _ in numbers]
    others = []
    pitch = (numbers[-1].top - numbers[0].top) / max(1, len(numbers) - 1)
    for line in rest:
        k = min(range(len(numbers)), key=lambda i: abs(numbers[i].top - line.top))
        if abs(numbers[k].top - line.top) <= 0.5 * pitch:
            rows[k].append(line)
        else:
            others.append(line)
    body = [_row(pieces) for pieces in rows if pieces]
    before = [line for line in others if line.top < numbers[0].top]
    after = [line for line in others if line.top >= numbers[0].top]
    margin = " ".join(str(i + 1) for i in range(len(numbers)))
    return replace(page, lines=tuple(before + body + after), margin=margin)


def _margin_numbers(page: Page) -> Optional[tuple[list[Line], list[Line]]]:
    """The margin's numbered lines 1..n top to bottom (text after a number split off), and the other lines."""
    left = min((line.x0 for line in page.lines if _NUMBER_RE.match(line.text)), default=0.0)
    numbers: dict[int, Line] = {}
    rest: list[Line] = []
    for line in page.lines:
        m = _NUMBER_RE.match(line.text)
        if m and line.x0 - left < 2 * line.size and int(m.group(1)) not in numbers:
            n = int(m.group(1))
            numbers[n] = line
            if m.group(2):  # the row's text, merged into the number's line by layout analysis
                width = (line.x1 - line.x0) / max(1, len(line.text.strip()))
                x0 = line.x0 + width * (len(m.group(1)) + 1)
                rest.append(replace(line, text=m.group(2), x0=x0))
        else:
            rest.append(line)
    run = []
    for n in range(1, len(numbers) + 2):
        if n not in numbers:
            break
        run.append(numbers[n])
    if len(run) < MIN_NUMBERS or any(b.top <= a.top for a, b in zip(run, run[1:])):
        return None
    extra = [line for n, line in numbers.items() if n > len(run)]
    return run, rest + extra


def _row(pieces: list[Line]) -> Line:
    """The pieces of one row, left to right; a wide gap (a tab stop: "Q", then the answer) as a tab."""
    pieces = sorted(pieces, key=lambda line: line.x0)
    text = pieces[0].text.strip()
    for previous, piece in zip(pieces, pieces[1:]):
        gap = piece.x0 - previous.x1
        text += ("\t" if gap > WIDE_GAP * piece.size else " ") + piece.text.strip()
    first = pieces[0]
    return Line(text=text, x0=first.x0, x1=max(p.x1 for p in pieces), top=min(p.top for p in pieces),
                bottom=max(p.bottom for p in pieces), size=max(p.size for p in pieces),
                bold=all(p.bold for p in pieces))
