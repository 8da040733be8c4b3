"""The settings of a check, gathered in one place and recorded in every report."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Optional


@dataclass(frozen=True)
class DecodeOptions:
    """How the recogniser decodes; every field is part of the transcript cache key."""

    language: str = "en"
    beam_size: int = 5
    # Beam search only, no sampling fallback: sampled decoding draws from a random generator that
    # CTranslate2 seeds per worker thread, so the same recording gave other words (76 against 205 on
    # the Apollo 11 radio) and other verdicts from one run to the next. A report must be reproducible.
    temperatures: tuple[float, ...] = (0.0,)
    condition_on_previous_text: bool = False
    vad_filter: bool = False
    chunk_seconds: float = 300.0  # long recordings are transcribed in pieces cut at pauses
    hear_unheard: bool = True  # speech the detector finds with no words is transcribed again on its own
    # ...and what that leaves without words, again in pieces of at most this many seconds
    unheard_piece_seconds: float = 10.0
    # Whisper's own test for a decoding loop ("we can see that we can see that..."): a segment whose
    # text compresses more than this is not taken as heard. Without the sampling fallback nothing else
    # catches such loops, and a loop over speech the transcript prints once became a confirmed omission.
    max_compression_ratio: float = 2.4

    def __post_init__(self) -> None:
        if self.beam_size < 1:
            raise ValueError(f"beam size must be at least 1, not {self.beam_size}")
        if self.chunk_seconds < 30:
            raise ValueError(f"chunk length must be at least 30 s, not {self.chunk_seconds}")
        if not self.temperatures or any(not 0.0 <= t <= 1.0 for t in self.temperatures):
            raise ValueError(f"temperatures must lie in [0, 1], not {self.temperatures}")

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["temperatures"] = list(self.temperatures)
        return data


@dataclass(frozen=True)
class EngineOptions:
    """What a recogniser is handed: how to decode, which model, on which device, with how many threads."""

    decode: DecodeOptions = field(default_factory=DecodeOptions)
    model: Optional[str] = None  # None: the bundled offline tiny.en
    device: str = "cpu"  # "cpu", or "cuda" for a GPU
    threads: int = 0  # 0: let the engine choose


@dataclass(frozen=True)
class CheckOptions:
    """Everything that decides the outcome of `check`, recorded in the report as provenance."""

    engine: str = "faster-whisper"
    model: Optional[str] = None  # None: the bundled offline tiny.en
    decode: DecodeOptions = field(default_factory=DecodeOptions)
    official_format: Optional[str] = None
    verify: bool = True
    threads: int = 0  # 0: let the engine choose
    device: str = "cpu"  # "cpu", or "cuda" for a GPU
    title: Optional[str] = None
    date: Optional[str] = None
    merge_gap: int = 2
    min_shared: float = 0.1  # below this share of words in common passages the pairing is refused
    force: bool = False  # report even when the two files look like different briefings, or hold no speech

    @property
    def engine_options(self) -> EngineOptions:
        """The part of these settings the engine is given."""
        return EngineOptions(self.decode, self.model, self.device, self.threads)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["decode"] = self.decode.to_dict()
        return data
