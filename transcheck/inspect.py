"""What of an official transcript will be compared: its text cut into speech, labels, marks and furniture.

`transcheck inspect OFFICIAL` shows this so a user sees at a glance why a word is or is not
compared. The library gives the pieces and a plain-marker rendering; the CLI adds colour.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from .models import OfficialText
from .normalize import normalize_official

KINDS = ("speech", "label", "mark", "furniture")
# plain markers, for pipes, files and terminals without colour
MARKERS = {"label": ("\u00ab", "\u00bb"), "mark": ("[[", "]]"), "furniture": ("{{", "}}")}


@dataclass(frozen=True)
class Piece:
    """A span of the official text: `kind` is one of KINDS; `detail` the speaker or the furniture's kind."""

    kind: str
    start: int
    end: int
    text: str
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "start": self.start, "end": self.end, "text": self.text, "detail": self.detail}


def pieces(official: OfficialText) -> list[Piece]:
    """The whole text, in order, as speech and the spans left out of the comparison."""
    spans = sorted([*(("label", x.start, x.end, x.speaker) for x in official.labels),
                    *(("mark", x.start, x.end, "gap" if x.gap else "editorial") for x in official.marks),
                    *(("furniture", x.start, x.end, x.kind) for x in official.furniture)],
                   key=lambda s: (s[1], -s[2]))
    out: list[Piece] = []
    pos = 0
    text = official.text
    for kind, start, end, detail in spans:
        if end <= pos:
            continue  # inside a span already shown
        start = max(start, pos)
        if start > pos:
            out.append(Piece("speech", pos, start, text[pos:start]))
        out.append(Piece(kind, start, end, text[start:end], detail))
        pos = end
    if pos < len(text):
        out.append(Piece("speech", pos, len(text), text[pos:]))
    return out


def summary(official: OfficialText) -> dict[str, Any]:
    """Counts a user checks first: labels, speakers, marks, furniture by kind, words compared."""
    kinds: dict[str, int] = {}
    for f in official.furniture:
        kinds[f.kind] = kinds.get(f.kind, 0) + 1
    return {
        "format": official.format,
        "title": official.title,
        "date": official.date,
        "labels": len(official.labels),
        "speakers": sorted({x.speaker for x in official.labels}),
        "marks": len(official.marks),
        "furniture": kinds,
        "words_compared": sum(1 for t in normalize_official(official) if t.norm),
    }


def summary_line(info: dict[str, Any]) -> str:
    """The summary in one line: "markdown; 2 labels (2 speakers), 1 marks, furniture: ...; 5 words compared"."""
    furniture = ", ".join(f"{n} {kind}" for kind, n in sorted(info["furniture"].items())) or "none"
    return (f"{info['format']}; {info['labels']} labels ({len(info['speakers'])} speakers), {info['marks']} marks, "
            f"furniture: {furniture}; {info['words_compared']} words compared")


def plain(kind: str, text: str, detail: str) -> str:
    """A piece with plain markers: «LABEL:», [[mark]], {{furniture kind: text}}."""
    if kind == "speech":
        return text
    left, right = MARKERS[kind]
    if kind == "furniture":
        return f"{left}{detail}: {text}{right}"
    return f"{left}{text}{right}"


def render(official: OfficialText, style: Callable[[str, str, str], str] = plain) -> str:
    """The official text with each piece passed through `style(kind, text, detail)`."""
    return "".join(style(p.kind, p.text, p.detail) for p in pieces(official))


def inspect_dict(official: OfficialText) -> dict[str, Any]:
    """The full structure for `--json`: the official text as the report stores it, its pieces and counts."""
    return {"official": official.to_dict(), "summary": summary(official),
            "pieces": [p.to_dict() for p in pieces(official)]}
