"""The protocol every recogniser implements, and the types of its acoustic scoring."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional, Protocol

from ..audio import Audio
from ..models import Transcript
from ..options import CheckOptions

Progress = Optional[Callable[[float], None]]


@dataclass(frozen=True)
class ScoreRequest:
    """Score competing wordings of one stretch of audio [start, end) in seconds (at most 30 s).

    Each text is the wording of the window from its start (shared context plus one variant); it
    is scored teacher-forced as the beginning of that window's transcript. End-of-text is not
    scored, so a text may stop before the window's speech does.
    """

    start: float
    end: float
    texts: tuple[str, ...]
    blank: bool = False  # score against silence instead: the language prior of each text

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end or self.end - self.start > 30.0:
            raise ValueError(f"score window [{self.start}, {self.end}) must be non-empty and at most 30 s")


@dataclass(frozen=True)
class ScoreResult:
    """Per text: the log-probability of each of its tokens."""

    token_logprobs: tuple[tuple[float, ...], ...]

    def total(self, k: int) -> float:
        return float(sum(self.token_logprobs[k]))

    def mean(self, k: int) -> float:
        probs = self.token_logprobs[k]
        return float(sum(probs) / len(probs)) if probs else 0.0


class Engine(Protocol):
    """A recogniser: transcribes with word times and probabilities, and scores given wordings."""

    name: str
    options: CheckOptions

    @property
    def model_id(self) -> str:
        """Identifies the weights, cheaply (no model load): part of the cache key."""

    def transcribe(self, audio: Audio, progress: Progress = None) -> Transcript:
        """Recognise the whole recording with word timestamps and word probabilities."""

    def score(self, audio: Audio, requests: list[ScoreRequest]) -> list[ScoreResult]:
        """Teacher-forced scores of each request's candidates against its audio window."""
