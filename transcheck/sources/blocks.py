"""Blocks of a structured document (paragraphs, headings) to the plain text the report shows.

Readers of HTML, Word and PDF files hand over their paragraphs as Blocks; this module writes them
one paragraph per blank-line-separated block, headings as Markdown headings (editorial, not
spoken) and a speaker's name that stands alone above a turn as `NAME: ` at the start of the turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from ..models import Furniture, Label
from .base import Extracted
from .labels import head_of, label_only

MIN_COLON_LEADS = 3
_SPACES_RE = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE_RE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


@dataclass(frozen=True)
class Block:
    """One paragraph of a document; `bold` when all of its text is bold (a name above a turn).

    `furniture` names what the block is when the document's structure says it is not spoken (a
    metadata row, margin line numbers); `speaker` is the speaker its markup gives it (an attribute).
    """

    text: str
    heading: bool = False
    bold: bool = False
    furniture: str = ""
    speaker: str = ""
    lead: str = ""  # the bold run the block opens with, when more text follows it


def bold_lead(parts: Iterable[tuple[str, bool]]) -> str:
    """The bold run that opens a paragraph given as (text, bold) pieces, when plain text follows it."""
    lead: list[str] = []
    parts = list(parts)
    for k, (text, bold) in enumerate(parts):
        if not text.strip():
            lead.append(text)
            continue
        if not bold:
            return "".join(lead) if any(t.strip() for t in lead) and any(t.strip() for t, _ in parts[k:]) else ""
        lead.append(text)
    return ""


def clean_lines(text: str) -> str:
    """Collapse runs of spaces, drop invisible characters and empty lines; keep line breaks and tabs."""
    text = _INVISIBLE_RE.sub("", text)
    lines = (_SPACES_RE.sub(_space, line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _space(m: re.Match[str]) -> str:
    """A run of spaces as one space; one holding a tab stays a tab (a tab stop: "Q<tab>answer")."""
    return "\t" if "\t" in m.group() else " "


def blocks_to_extracted(blocks: Iterable[Block]) -> Extracted:
    """Paragraphs separated by blank lines; headings as `# heading`; lone names joined to their turn.

    Returns the text with the furniture and the labels the blocks' structure gave.
    """
    blocks = list(blocks)
    out = _Out()
    pending = ""  # a speaker's name that stood alone, waiting for its turn
    # where the document ends its bold labels with a colon, a bold run without one is a name in a
    # sentence ("Mr. Lesrima asked the Minister ..."), not a label
    colons = sum(1 for b in blocks if b.lead and _after_lead(b).startswith(":")) >= MIN_COLON_LEADS
    for block in blocks:
        text = clean_lines(block.text)
        if not text:
            continue
        if block.furniture:
            out.add(text, furniture=block.furniture)
            continue
        if block.heading:
            if pending:
                out.add(pending)
                pending = ""
            out.add("# " + " ".join(text.split("\n")))
            continue
        if block.speaker:
            if pending:
                out.add(pending)
                pending = ""
            out.add(text, speaker=" ".join(block.speaker.split()))
            continue
        lead = clean_lines(block.lead).strip()
        # else plain text after a bold run is as good as a colon: "TAVELA   Where did you grow up?"
        if (lead and text.startswith(lead) and label_only(lead.rstrip(":") + ":") and not pending
                and (lead.endswith(":") or not colons)):
            out.add(text, lead=len(lead))
            continue
        label = label_only(text, block.bold)
        if label:
            if pending:
                out.add(pending)
            pending = label
            continue
        out.add(f"{pending} {text}" if pending else text)
        pending = ""
    if pending:
        out.add(pending)
    return Extracted("".join(out.parts), furniture=tuple(out.furniture), labels=tuple(out.labels))


def _after_lead(block: Block) -> str:
    """What follows a block's bold run, or the run's own last character when that is a colon."""
    lead = block.lead.rstrip()
    return ":" if lead.endswith(":") else block.text[len(block.lead):].lstrip()


class _Out:
    """Paragraphs joined by blank lines, with the spans of furniture and given labels."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.furniture: list[Furniture] = []
        self.labels: list[Label] = []

    def add(self, text: str, furniture: str = "", speaker: str = "", lead: int = 0) -> None:
        if self.parts:
            self._put("\n\n")
        if speaker:
            start = self.size
            self._put(speaker + ":")
            self.labels.append(Label(start, self.size, head_of(speaker)))
            self._put(" ")
        start = self.size
        self._put(text)
        if lead:
            self.labels.append(Label(start, start + lead, head_of(text[:lead])))
        if furniture:
            self.furniture.append(Furniture(start, self.size, furniture))

    def _put(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)


def row_blocks(cells: list[Block]) -> list[Block]:
    """A table row: "name | words" rows (a transcript laid out as a table) become one `NAME: words` turn."""
    cells = [cell for cell in cells if clean_lines(cell.text)]
    if len(cells) >= 2:
        label = label_only(clean_lines(cells[0].text), bold=True)
        if label:
            return [Block(label + " " + " ".join(clean_lines(c.text) for c in cells[1:]))]
    return cells
