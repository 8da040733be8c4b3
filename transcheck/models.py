"""Frozen dataclasses passed between the stages of a check."""

from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass, field
from typing import Any, Optional

OMISSION, INSERTION, REWORDING, MOVED, REPEATED = KINDS = ("omission", "insertion", "rewording", "moved", "repeated")
COSMETIC, SUBSTANTIVE = SEVERITIES = ("cosmetic", "substantive")
CONFIRMED, RECOGNITION_ERROR, UNCERTAIN = VERDICTS = ("confirmed", "recognition-error", "uncertain")
# The basis of a recognition-error verdict where the recogniser could not follow the audio at all
# (noise, radio, crosstalk): no evidence against the official wording, but none for it either.
NOT_FOLLOWED = "the recogniser cannot follow this audio"
# ...and where it cannot follow most of the recording: its hearing anywhere in it is no evidence.
NOT_FOLLOWED_RECORDING = "the recogniser cannot follow this recording"
# The reason of an omission where the official text prints [inaudible] over speech the audio shows is clear.
MARKED_CLEAR = "marked inaudible, but the recording is clear here"


def is_alarm(severity: str, verdict: Optional[str]) -> bool:
    """The alarm rule, the one place it is written: substantive, and not judged a recognition error.

    The exit code (--fail-on substantive), the summary's alarm count, the CSV and the batch index's
    ranking all come from it, through Discrepancy.is_alarm.
    """
    return severity == SUBSTANTIVE and verdict != RECOGNITION_ERROR


@dataclass(frozen=True)
class Word:
    """One recognised word with its time span (seconds) and the recogniser's probability."""

    text: str
    start: float
    end: float
    probability: float

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"word {self.text!r} ends ({self.end}) before it starts ({self.start})")

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "probability": self.probability}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Word":
        return cls(str(data["text"]), float(data["start"]), float(data["end"]), float(data["probability"]))


@dataclass(frozen=True)
class Transcript:
    """What the recogniser heard: the word stream plus how it was produced."""

    words: tuple[Word, ...]
    duration: float
    language: str
    engine: str
    model: str
    options: dict[str, Any] = field(default_factory=dict, hash=False)
    runtime: dict[str, str] = field(default_factory=dict, hash=False)  # library versions, compute type, CPU
    # stretches (seconds) that hold speech by the voice-activity detector but gave no words, heard alone
    unrecognised: tuple[tuple[float, float], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "words": [w.to_dict() for w in self.words],
            "duration": self.duration,
            "language": self.language,
            "engine": self.engine,
            "model": self.model,
            "options": dict(self.options),
            "runtime": dict(self.runtime),
            "unrecognised": [list(s) for s in self.unrecognised],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Transcript":
        return cls(
            words=tuple(Word.from_dict(w) for w in data["words"]),
            duration=float(data["duration"]),
            language=str(data["language"]),
            engine=str(data["engine"]),
            model=str(data["model"]),
            options=dict(data.get("options", {})),
            runtime=dict(data.get("runtime", {})),
            unrecognised=tuple((float(a), float(b)) for a, b in data.get("unrecognised", [])),
        )


@dataclass(frozen=True)
class Label:
    """A speaker label in the official text (`THE PRESIDENT:`): shown, never counted as spoken."""

    start: int
    end: int
    speaker: str


@dataclass(frozen=True)
class Mark:
    """An editorial mark (`[inaudible]`, `(Laughter)`); `gap` marks admit that speech is missing."""

    start: int
    end: int
    text: str
    gap: bool


@dataclass(frozen=True)
class Furniture:
    """Page furniture in the official text (front matter, a column marker, margin line numbers):
    kept in the text and shown, never compared; `kind` says what it is."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class Cue:
    """A caption cue: a character span of the official text with the times it was shown."""

    start: int
    end: int
    t0: float
    t1: float


@dataclass(frozen=True)
class OfficialText:
    """The published transcript as plain text, with the spans that are not spoken words."""

    text: str
    format: str
    path: str
    sha256: str
    labels: tuple[Label, ...] = ()
    marks: tuple[Mark, ...] = ()
    paragraphs: tuple[tuple[int, int], ...] = ()
    cues: tuple[Cue, ...] = ()
    furniture: tuple[Furniture, ...] = ()
    title: Optional[str] = None  # as the document itself gives them (front matter)
    date: Optional[str] = None

    def __post_init__(self) -> None:
        n = len(self.text)
        for span in (*self.labels, *self.marks, *self.cues, *self.furniture):
            if not 0 <= span.start <= span.end <= n:
                raise ValueError(f"span {span} lies outside the official text of {n} characters")

    def paragraph_at(self, offset: int) -> int:
        """Index of the paragraph holding `offset` (the last one starting at or before it)."""
        starts = [p[0] for p in self.paragraphs]
        return max(0, bisect.bisect_right(starts, offset) - 1)

    def speaker_at(self, offset: int) -> Optional[str]:
        """The speaker whose label most recently precedes `offset`, or None."""
        ends = [label.end for label in self.labels]
        i = bisect.bisect_right(ends, offset) - 1
        return self.labels[i].speaker if i >= 0 else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "format": self.format,
            "text": self.text,
            "labels": [asdict(x) for x in self.labels],
            "marks": [asdict(x) for x in self.marks],
            "paragraphs": [list(p) for p in self.paragraphs],
            "cues": [asdict(x) for x in self.cues],
            "furniture": [{**asdict(x), "text": self.text[x.start:x.end]} for x in self.furniture],
            "title": self.title,
            "date": self.date,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "OfficialText":
        return cls(
            text=data["text"],
            format=data["format"],
            path=data["path"],
            sha256=data["sha256"],
            labels=tuple(Label(**x) for x in data.get("labels", [])),
            marks=tuple(Mark(**x) for x in data.get("marks", [])),
            paragraphs=tuple(tuple(p) for p in data.get("paragraphs", [])),
            cues=tuple(Cue(**x) for x in data.get("cues", [])),
            furniture=tuple(Furniture(x["start"], x["end"], x["kind"]) for x in data.get("furniture", [])),
            title=data.get("title"),
            date=data.get("date"),
        )


@dataclass(frozen=True)
class Token:
    """A unit of comparison: normalised form for matching plus the original wording and place.

    `norm` holds zero or more space-separated sub-words ("it's" -> "it is", "um" -> "").
    `start`/`end` are seconds on the recording side and character offsets on the official side.
    """

    norm: str
    text: str
    start: float
    end: float
    probability: Optional[float] = None
    filler: bool = False
    ends_sentence: bool = False  # followed by . ? ! in its source
    heard: str = ""  # recording side: as the recogniser wrote it, punctuation and capitals kept

    @property
    def subwords(self) -> list[str]:
        return self.norm.split()


@dataclass(frozen=True)
class AlignmentOp:
    """A run of recording tokens [rec) facing a run of official tokens [off): equal or differing."""

    tag: str
    rec: tuple[int, int]
    off: tuple[int, int]

    def __post_init__(self) -> None:
        if self.tag not in ("equal", "differ"):
            raise ValueError(f"alignment tag must be 'equal' or 'differ', not {self.tag!r}")
        if self.rec[0] > self.rec[1] or self.off[0] > self.off[1]:
            raise ValueError(f"alignment op has a reversed range: {self}")


@dataclass(frozen=True)
class Discrepancy:
    """One difference between what was said and what was printed, with where and why."""

    id: str
    kind: str
    severity: str
    reason: str
    rec_start: float
    rec_end: float
    rec_text: str
    off_start: int
    off_end: int
    off_text: str
    rec_tokens: tuple[int, int]
    off_tokens: tuple[int, int]
    speaker: Optional[str] = None
    importance: float = 0.0
    evidence: dict[str, Any] = field(default_factory=dict, hash=False)
    verdict: Optional[str] = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"discrepancy kind must be one of {KINDS}, not {self.kind!r}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"discrepancy severity must be one of {SEVERITIES}, not {self.severity!r}")
        if self.verdict is not None and self.verdict not in VERDICTS:
            raise ValueError(f"discrepancy verdict must be one of {VERDICTS}, not {self.verdict!r}")

    @property
    def is_alarm(self) -> bool:
        """Substantive and not judged a recognition error: what a reader should look at."""
        return is_alarm(self.severity, self.verdict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "severity": self.severity,
            "verdict": self.verdict,
            "reason": self.reason,
            "importance": round(self.importance, 3),
            "speaker": self.speaker,
            "recording": {"start": self.rec_start, "end": self.rec_end, "text": self.rec_text,
                          "tokens": list(self.rec_tokens)},
            "official": {"start": self.off_start, "end": self.off_end, "text": self.off_text,
                         "tokens": list(self.off_tokens)},
            "evidence": dict(self.evidence),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Discrepancy":
        rec, off = data["recording"], data["official"]
        return cls(
            id=data["id"], kind=data["kind"], severity=data["severity"], reason=data.get("reason", ""),
            rec_start=rec["start"], rec_end=rec["end"], rec_text=rec["text"],
            off_start=off["start"], off_end=off["end"], off_text=off["text"],
            rec_tokens=tuple(rec.get("tokens", (0, 0))), off_tokens=tuple(off.get("tokens", (0, 0))),
            speaker=data.get("speaker"), importance=data.get("importance", 0.0),
            evidence=dict(data.get("evidence", {})), verdict=data.get("verdict"),
        )
