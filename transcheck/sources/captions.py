"""Caption files (WebVTT, SRT): cue text in order, roll-up repeats removed, cue times kept.

A small parser of our own (both formats are a few lines of grammar): it keeps millisecond
times and decodes character references, which the caption libraries we tried did not both do.
Each cue's new words become a character span of the text with the times it was on screen.
"""

from __future__ import annotations

import logging

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..errors import OfficialTextError
from ..models import Cue
from .base import Extracted, check_size
from .encoding import decode_text

log = logging.getLogger("transcheck")

MAX_CUES = 200_000
PARAGRAPH_PAUSE = 2.0  # seconds without captions that start a new paragraph
PARAGRAPH_CHARS = 600  # a paragraph this long ends at its next sentence end

_TIME = r"(?:\d+:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_TIMING_RE = re.compile(rf"^\s*(?P<t0>-?{_TIME})\s*-->\s*(?P<t1>-?{_TIME})(?:\s.*)?$")
_VOICE_RE = re.compile(r"<v(?:\.[^\s>]+)?\s+([^>]+)>")
_TAG_RE = re.compile(r"<[^>\n]*>|\{\\[^}\n]*\}")
_SPEAKER_CHANGE_RE = re.compile(r"^\s*>>+\s*")
_SENTENCE_END = tuple(".?!\"\u201d\u2026")
_FIX = "pass a WebVTT (.vtt) or SubRip (.srt) caption file"


@dataclass(frozen=True)
class RawCue:
    """One cue as shown: its times, its text lines (tags removed), its voice and a new-speaker mark."""

    t0: float
    t1: float
    lines: tuple[str, ...]
    voice: Optional[str] = None
    new_speaker: bool = False


def read_captions(path: Path, data: bytes) -> Extracted:
    cues = parse_cues(decode_text(data, path))
    if not cues:
        raise OfficialTextError(f"{path}: holds no caption cues (no timing lines such as "
                                f"00:00:01.000 --> 00:00:04.000); {_FIX}")
    if len(cues) > MAX_CUES:
        raise OfficialTextError(f"{path}: holds over {MAX_CUES} cues, far more than one briefing; {_FIX}")
    text, spans = assemble(remove_rollup(cues))
    return Extracted(check_size(text, path, "caption file"), spans)


def parse_cues(text: str) -> list[RawCue]:
    """Every timed cue of a WebVTT or SRT file, in file order; headers, notes and styles skipped."""
    cues: list[RawCue] = []
    for block in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = block.strip("\n").split("\n")
        timing = next((i for i, line in enumerate(lines) if _TIMING_RE.match(line)), None)
        if timing is None:
            continue  # the WEBVTT header, NOTE, STYLE and REGION blocks, or stray text
        m = _TIMING_RE.match(lines[timing])
        t0, t1 = seconds(m.group("t0")), seconds(m.group("t1"))
        if t0 < 0 or t1 < t0:  # broken times: keep the words, clamp the hint
            log.warning("caption cue %s has impossible times; its text is kept", lines[timing].strip())
            t0 = max(0.0, t0)
        raw = lines[timing + 1:]
        voice = next((v.group(1).strip() for v in map(_VOICE_RE.search, raw) if v), None)
        new_speaker = bool(raw) and bool(_SPEAKER_CHANGE_RE.match(raw[0]))
        shown = [_clean(line) for line in raw]
        cues.append(RawCue(t0, max(t0, t1), tuple(s for s in shown if s), voice, new_speaker))
    return cues


def seconds(stamp: str) -> float:
    """'01:02:03.500', '02:03,5' or '02:03' to seconds (a leading '-' gives a negative time)."""
    sign = -1.0 if stamp.startswith("-") else 1.0
    clock, _, fraction = stamp.lstrip("-").replace(",", ".").partition(".")
    total = 0
    for part in clock.split(":"):
        total = total * 60 + int(part)
    return sign * (total + (float("0." + fraction) if fraction else 0.0))


def _clean(line: str) -> str:
    line = _SPEAKER_CHANGE_RE.sub("", _TAG_RE.sub("", line))
    return " ".join(html.unescape(line).split())


def remove_rollup(cues: list[RawCue]) -> list[RawCue]:
    """Keep only what each cue adds: roll-up captions repeat the previous cue's lines, and
    paint-on captions repeat the previous cue's last line before adding words to it."""
    out = []
    previous: tuple[str, ...] = ()
    for cue in cues:
        shown = tuple(_key(line) for line in cue.lines)
        overlap = next((j for j in range(min(len(shown), len(previous)), 0, -1)
                        if shown[:j] == previous[-j:]), 0)
        lines = list(cue.lines[overlap:])
        if not overlap and lines and previous:
            before, words = previous[-1].split(), cue.lines[0].split()
            if before and [_key(w) for w in words[:len(before)]] == before:
                lines[0] = " ".join(words[len(before):])
        previous = shown
        lines = [line for line in lines if line]
        if lines:
            out.append(RawCue(cue.t0, cue.t1, tuple(lines), cue.voice, cue.new_speaker))
    return out


def _key(line: str) -> str:
    return " ".join(line.casefold().split())


def assemble(cues: list[RawCue]) -> tuple[str, tuple[Cue, ...]]:
    """The cues' text as paragraphs (a new one at a voice change, `>>`, or a pause) with each cue's span."""
    text = ""
    spans = []
    voice: Optional[str] = None
    last_end = None
    paragraph_start = 0
    for cue in cues:
        words = " ".join(cue.lines)
        new_voice = cue.voice is not None and cue.voice != voice
        pause = last_end is not None and cue.t0 - last_end >= PARAGRAPH_PAUSE
        long = len(text) - paragraph_start > PARAGRAPH_CHARS and text.endswith(_SENTENCE_END)
        if text and (new_voice or cue.new_speaker or pause or long):
            text += "\n\n"
            paragraph_start = len(text)
        elif text:
            text += " "
        if new_voice:
            text += f"{cue.voice.upper()}: "
            voice = cue.voice
        spans.append(Cue(len(text), len(text) + len(words), cue.t0, cue.t1))
        text += words
        last_end = cue.t1
    return text, tuple(spans)
