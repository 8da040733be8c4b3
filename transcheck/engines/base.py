"""The protocol every recogniser implements, and the types of its acoustic scoring."""

from __future__ import annotations

import math
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Generic, Iterator, Optional, Protocol, Sequence, TypeVar

from ..audio import Audio
from ..models import Transcript
from ..options import EngineOptions

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
    options: EngineOptions

    @property
    def model_id(self) -> str:
        """Identifies the weights, cheaply (no model load): part of the cache key."""

    @property
    def runtime(self) -> dict[str, str]:
        """Library versions, compute type and CPU that decide the words: part of the cache key."""

    def transcribe(self, audio: Audio, progress: Progress = None) -> Transcript:
        """Recognise the whole recording with word timestamps and word probabilities."""

    def score(self, audio: Audio, requests: list[ScoreRequest]) -> list[ScoreResult]:
        """Teacher-forced scores of each request's candidates against its audio window."""

    def hear(self, audio: Audio, start: float, end: float, prompt: str, prefix: str = "") -> str:
        """The window [start, end) decoded again (greedy) with `prompt` as the text said before it and,
        where given, `prefix` forced as the first words of the window's own transcript."""


def looped(text: str, max_ratio: float) -> bool:
    """Whisper's test for a decoding loop: the text's zlib compression ratio above `max_ratio`."""
    import zlib

    data = text.strip().encode("utf-8")
    return len(data) > 0 and len(data) / len(zlib.compress(data)) > max_ratio


Features = TypeVar("Features")

# Windows are padded with silence to a whole number of these: a recogniser's kernels are prepared
# (and cached) per input shape, so windows of every possible length made memory grow with the number
# of discrepancies (10 GB for 323 windows of an hour-long recording); with 30 lengths it stays flat.
BUCKET_SECONDS = 1.0


@dataclass(frozen=True)
class ScoreItem:
    """One text to score: which request and text it is, which window's features, its tokens."""

    request: int
    text: int
    window: int
    tokens: list[int]


@dataclass(frozen=True)
class ScorePlan(Generic[Features]):
    """Every text to score, and each distinct window's features with its texts, made on demand.

    Features are computed while `groups()` is iterated, one window at a time, so memory holds one
    window's features however many discrepancies a recording has.
    """

    items: list[ScoreItem]
    spans: list[Optional[tuple[int, int]]]  # per window: samples [a, b) of the audio; None = silence
    audio: Audio
    featurize: Callable[[Any], Features]
    # (request, text) pairs whose tokens and window repeat an item's, with that item's (request, text):
    # scored once ("as heard" and its normalised form are often the same tokens, and so are the
    # texts of many discrepancies on the shared silence)
    repeats: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)

    def fill_repeats(self, logprobs: list[list[Any]]) -> None:
        """Copy each scored item's result to the texts that repeat it."""
        for (r, k), (r0, k0) in self.repeats:
            logprobs[r][k] = logprobs[r0][k0]

    def groups(self) -> Iterator[tuple[Features, list[ScoreItem]]]:
        for span, items in self._by_span():
            yield self.featurize(window_samples(self.audio, span)), items

    def encoded(self, encode: Callable[[Features], Any],
                kept: Optional["EncodedWindows"] = None) -> Iterator[tuple[Any, list[ScoreItem]]]:
        """Like `groups()`, each window's features already encoded by `encode`; a window `kept`
        holds (scored earlier in the same verification) is neither featurized nor encoded again."""
        for span, items in self._by_span():
            def make(span=span):
                return encode(self.featurize(window_samples(self.audio, span)))
            yield (kept.get(self.audio, span, make) if kept is not None else make()), items

    def _by_span(self) -> Iterator[tuple[Optional[tuple[int, int]], list[ScoreItem]]]:
        by_window: dict[int, list[ScoreItem]] = {}
        for item in self.items:
            by_window.setdefault(item.window, []).append(item)
        for w, span in enumerate(self.spans):
            if w in by_window:
                yield span, by_window[w]


class EncodedWindows:
    """The encoder's output for each window scored in one verification, so that a window scored again
    (a part of a passage, its figures, the prompted and second looks) is not encoded again.

    It serves one recording (the `Audio` it was opened for; any other is encoded as usual) and holds
    at most `budget` bytes, dropping the window used least recently first: an hour-long recording's
    hundreds of windows keep memory flat.
    """

    BUDGET = 256 << 20

    def __init__(self, audio: Audio, budget: int = BUDGET) -> None:
        self.samples = audio.samples
        self.budget = budget
        self.held: dict[Optional[tuple[int, int]], tuple[Any, int]] = {}
        self.size = 0
        self.hits = self.misses = 0

    def get(self, audio: Audio, span: Optional[tuple[int, int]], make: Callable[[], Any]) -> Any:
        if audio.samples is not self.samples:
            return make()
        if span in self.held:
            self.hits += 1
            value = self.held.pop(span)
            self.held[span] = value  # now the most recently used
            return value[0]
        self.misses += 1
        value = make()
        size = _nbytes(value)
        while self.held and self.size + size > self.budget:
            self.size -= self.held.pop(next(iter(self.held)))[1]
        if size <= self.budget:
            self.held[span] = (value, size)
            self.size += size
        return value


def _nbytes(value: Any) -> int:
    """Bytes held by an encoder output: an array or tensor, or a tuple holding them."""
    if isinstance(value, tuple):
        return sum(_nbytes(v) for v in value)
    if hasattr(value, "nbytes"):
        return int(value.nbytes)
    if hasattr(value, "element_size"):
        return int(value.element_size() * value.nelement())
    return 0


@contextmanager
def windows_kept(engine: Any, audio: Audio) -> Iterator[Optional[EncodedWindows]]:
    """While inside, an engine that can (one with a `kept_windows` attribute) encodes each window of
    `audio` once, however often it is scored."""
    if not hasattr(engine, "kept_windows"):
        yield None
        return
    before = engine.kept_windows
    engine.kept_windows = kept = EncodedWindows(audio)
    try:
        yield kept
    finally:
        engine.kept_windows = before


def window_samples(audio: Audio, span: Optional[tuple[int, int]]) -> Any:
    """The window's samples, padded with silence to a whole number of `BUCKET_SECONDS` (30 s at most).

    Silence, not the audio that follows: speech after the window's last word would change what the
    model expects next, and so the scores of its texts.
    """
    import numpy as np

    rate = audio.sample_rate
    samples = audio.samples[span[0]:span[1]] if span else np.zeros(rate, dtype=np.float32)
    bucket = int(BUCKET_SECONDS * rate)
    size = min(30 * rate, -(-max(1, len(samples)) // bucket) * bucket)
    return np.pad(samples, (0, max(0, size - len(samples))))


def score_items(audio: Audio, requests: Sequence[ScoreRequest], featurize: Callable[[Any], Features],
                encode: Callable[[str], list[int]], eot: int) -> ScorePlan[Features]:
    """What every scorer does first: the texts to score, and which window each is scored against.

    Every blank request shares one second of silence; an empty text is scored as end-of-text alone.
    A text whose tokens repeat another's in the same window is scored once (`ScorePlan.repeats`).
    """
    rate = audio.sample_rate
    spans: list[Optional[tuple[int, int]]] = []
    items: list[ScoreItem] = []
    repeats: list[tuple[tuple[int, int], tuple[int, int]]] = []
    first: dict[tuple[int, tuple[int, ...]], tuple[int, int]] = {}
    blank_window: Optional[int] = None
    for r, request in enumerate(requests):
        if request.blank and blank_window is not None:
            w = blank_window
        else:
            spans.append(None if request.blank else (int(request.start * rate), int(math.ceil(request.end * rate))))
            w = len(spans) - 1
            if request.blank:
                blank_window = w
        for k, text in enumerate(request.texts):
            tokens = encode(" " + " ".join(text.split())) if text.strip() else []
            key = (w, tuple(tokens or [eot]))
            if key in first:
                repeats.append(((r, k), first[key]))
                continue
            first[key] = (r, k)
            items.append(ScoreItem(r, k, w, tokens or [eot]))
    return ScorePlan(items, spans, audio, featurize, repeats)


class LazyModel:
    """Engine plumbing: `ref.model_id` names the weights; `_load()` runs on first use of `model`."""

    ref: Any
    _model: Any = None
    kept_windows: Optional[EncodedWindows] = None  # set by `windows_kept` for one verification

    @property
    def model_id(self) -> str:
        return self.ref.model_id

    @property
    def model(self):
        if self._model is None:
            self._model = self._load()
        return self._model

    def _load(self):
        raise NotImplementedError
