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
    """Score competing wordings of one stretch of audio [start, end) in seconds.

    `prefix` is the text heard just before the stretch (shared context); each candidate is
    scored as the continuation of that prefix, teacher-forced.
    """

    start: float
    end: float
    prefix: str
    candidates: tuple[str, ...]


@dataclass(frozen=True)
class ScoreResult:
    """Mean log-probability per token of each candidate, and the token counts behind it."""

    logprobs: tuple[float, ...]
    tokens: tuple[int, ...]


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
