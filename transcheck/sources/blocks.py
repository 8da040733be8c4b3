"""Blocks of a structured document (paragraphs, headings) to the plain text the report shows.

Readers of HTML, Word and PDF files hand over their paragraphs as Blocks; this module writes them
one paragraph per blank-line-separated block, headings as Markdown headings (editorial, not
spoken) and a speaker's name that stands alone above a turn as `NAME: ` at the start of the turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from .labels import label_only

_SPACES_RE = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE_RE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


@dataclass(frozen=True)
class Block:
    """One paragraph of a document; `bold` when all of its text is bold (a name above a turn)."""

    text: str
    heading: bool = False
    bold: bool = False


def clean_lines(text: str) -> str:
    """Collapse runs of spaces, drop invisible characters and empty lines; keep line breaks."""
    text = _INVISIBLE_RE.sub("", text)
    lines = (_SPACES_RE.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def blocks_to_text(blocks: Iterable[Block]) -> str:
    """Paragraphs separated by blank lines; headings as `# heading`; lone names joined to their turn."""
    out: list[str] = []
    pending = ""  # a speaker's name that stood alone, waiting for its turn
    for block in blocks:
        text = clean_lines(block.text)
        if not text:
            continue
        if block.heading:
            if pending:
                out.append(pending)
                pending = ""
            out.append("# " + " ".join(text.split("\n")))
            continue
        label = label_only(text, block.bold)
        if label:
            if pending:
                out.append(pending)
            pending = label
            continue
        out.append(f"{pending} {text}" if pending else text)
        pending = ""
    if pending:
        out.append(pending)
    return "\n\n".join(out)


def row_blocks(cells: list[Block]) -> list[Block]:
    """A table row: "name | words" rows (a transcript laid out as a table) become one `NAME: words` turn."""
    cells = [cell for cell in cells if clean_lines(cell.text)]
    if len(cells) >= 2:
        label = label_only(clean_lines(cells[0].text), bold=True)
        if label:
            return [Block(label + " " + " ".join(clean_lines(c.text) for c in cells[1:]))]
    return cells
