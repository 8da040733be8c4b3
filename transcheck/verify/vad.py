"""Where somebody speaks: Silero voice-activity detection (shipped with faster-whisper) over a recording.

An insertion's printed words set over a stretch where nobody speaks were not said: whatever the
scores against that stretch say (scores against a pause decide nothing), it is a confirmed insertion.
The whole recording is scanned once, on first need (an insertion whose gap is long enough to tell),
and the speech spans kept for every candidate: most checks never need them, and the scan costs
about as much as scoring a passage.
"""

from __future__ import annotations

import bisect
import logging
from dataclasses import dataclass
from typing import Optional, Union

from ..audio import Audio

log = logging.getLogger("transcheck")

RATE = 16000  # Silero VAD's rate
TRIM = 0.15  # seconds trimmed off each end of a gap: word times are not exact
MIN_GAP = 0.8  # a gap shorter than this is the timing evidence's business (room for the words)
SPEECH_SHARE = 0.1  # a gap with less speech than this share of it holds no speech


@dataclass(frozen=True)
class SpeechMap:
    """Speech spans of a recording, in seconds, sorted and disjoint."""

    spans: tuple[tuple[float, float], ...]

    def speech_in(self, start: float, end: float) -> float:
        """Seconds of speech between start and end."""
        total = 0.0
        i = max(0, bisect.bisect_right([s for s, _ in self.spans], start) - 1)
        for s, e in self.spans[i:]:
            if s >= end:
                break
            total += max(0.0, min(e, end) - max(s, start))
        return total


def speech_map(audio: Audio) -> Optional[SpeechMap]:
    """The recording's speech spans; None where faster-whisper (and so Silero VAD) is not installed."""
    try:
        from faster_whisper.vad import VadOptions, get_speech_timestamps
    except ImportError:  # openai-whisper only
        return None
    if audio.sample_rate != RATE:  # every decoded recording is 16 kHz; anything else is not scanned
        return None
    stamps = get_speech_timestamps(audio.samples, VadOptions(min_silence_duration_ms=300, speech_pad_ms=30))
    log.debug("voice activity: %d speech spans", len(stamps))
    return SpeechMap(tuple((s["start"] / RATE, s["end"] / RATE) for s in stamps))


class SpeechOnDemand:
    """A recording's speech map, scanned on the first question asked of it (`speech_map`)."""

    def __init__(self, audio: Audio) -> None:
        self.audio = audio
        self.scanned = False
        self._map: Optional[SpeechMap] = None

    def speech_in(self, start: float, end: float) -> Optional[float]:
        """Seconds of speech between start and end; None where no detector is installed."""
        if not self.scanned:
            self._map, self.scanned = speech_map(self.audio), True
        return None if self._map is None else self._map.speech_in(start, end)


def silence_evidence(speech: Union[SpeechMap, SpeechOnDemand, None], start: float, end: float) -> dict:
    """Whether nobody speaks in the gap [start, end) where an insertion's printed words would be."""
    if speech is None:
        return {}
    lo, hi = start + TRIM, end - TRIM
    if hi - lo < MIN_GAP:
        return {}
    spoken = speech.speech_in(lo, hi)
    if spoken is None:  # no voice-activity detector installed
        return {}
    share = spoken / (hi - lo)
    return {"speech_share": round(share, 3), "nobody_speaks": share < SPEECH_SHARE}
