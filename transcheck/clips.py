"""Cut passages out of the original recording at its own sample rate and channels, as PCM WAV.

The recogniser hears a 16 kHz mono copy; evidence is cut from the file itself, decoded once
(streamed, so a long recording is never held whole) and written as 16-bit PCM. The report's
"Save clip" does the same in the browser: the same frames (`clip_frames`) and the same
float-to-16-bit rule as the browser's own (`to_int16`), so both give the same WAV.
"""

from __future__ import annotations

import io
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .errors import AudioError


DEFAULT_CONTEXT = 2.0  # seconds either side of a passage


def clip_span(d: dict[str, Any], context: float, duration: float) -> tuple[float, float]:
    """The passage of discrepancy `d` (JSON form) with `context` seconds either side, inside the recording."""
    start = max(0.0, d["recording"]["start"] - context)
    end = min(duration, d["recording"]["end"] + context) if duration else d["recording"]["end"] + context
    return round(start, 3), round(max(end, start), 3)


def clip_frames(report: dict[str, Any], context: float = DEFAULT_CONTEXT) -> dict[str, list[int]]:
    """For the report's "Save clip": each discrepancy's frames [a, b) at the recording's own rate."""
    rate = int(report["recording"].get("sample_rate") or 0)
    if not rate:
        return {}
    duration = float(report["recording"].get("duration") or 0.0)
    return {d["id"]: list(span_samples(*clip_span(d, context, duration), rate)) for d in report["discrepancies"]}


@dataclass(frozen=True)
class Clip:
    """Interleaved 16-bit samples of one passage, shape (frames, channels)."""

    samples: np.ndarray
    sample_rate: int
    first: int  # index of the first frame in the recording

    @property
    def channels(self) -> int:
        return int(self.samples.shape[1])

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate

    def wav_bytes(self) -> bytes:
        """The clip as a PCM WAV file."""
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as out:
            out.setnchannels(self.channels)
            out.setsampwidth(2)
            out.setframerate(self.sample_rate)
            out.writeframes(np.ascontiguousarray(self.samples, dtype="<i2").tobytes())
        return buffer.getvalue()


def span_samples(start: float, end: float, rate: int) -> tuple[int, int]:
    """Frames [a, b) of a passage in seconds: rounded to the nearest frame (report.js does the same)."""
    return int(round(start * rate)), int(round(end * rate))


def to_int16(data: np.ndarray) -> np.ndarray:
    """Float samples in [-1, 1] as 16-bit integers, the way browsers convert (Chromium's media code):
    negative values scaled by 32768, positive by 32767, rounded half to even, clipped. 16-bit
    sources are never converted: their samples are kept as they are."""
    if data.dtype == np.int16:
        return data
    x = data.astype(np.float64)
    return np.clip(np.round(np.where(x < 0, x * 32768.0, x * 32767.0)), -32768, 32767).astype(np.int16)


def cut_clips(path: str | Path, spans: Sequence[tuple[float, float]]) -> list[Clip]:
    """Every span (seconds) of the recording at `path`, in one decoding pass, clipped to its length."""
    import av

    try:
        container = av.open(str(path))
    except (av.error.FFmpegError, OSError) as exc:
        raise AudioError(f"{path}: cannot be decoded ({exc}); pass the recording the report was made from") from None
    with container:
        stream = next((s for s in container.streams if s.type == "audio"), None)
        if stream is None:
            raise AudioError(f"{path}: has no audio track; pass the recording the report was made from")
        rate = stream.codec_context.sample_rate
        ranges = [span_samples(a, b, rate) for a, b in spans]
        parts: list[list[np.ndarray]] = [[] for _ in spans]
        pos = 0
        for data in _frames(container, stream):  # (channels, frames)
            n = data.shape[1]
            for k, (a, b) in enumerate(ranges):
                lo, hi = max(a, pos), min(b, pos + n)
                if lo < hi:
                    parts[k].append(data[:, lo - pos:hi - pos])
            pos += n
            if all(b <= pos for _, b in ranges):
                break
        channels = stream.codec_context.channels or 1
    clips = []
    for (a, _), chunks in zip(ranges, parts):
        data = np.concatenate([to_int16(c) for c in chunks], axis=1) if chunks else np.zeros((channels, 0), np.int16)
        clips.append(Clip(data.T, rate, min(a, pos)))
    return clips


def _frames(container, stream):
    """Decoded frames as (channels, frames) arrays at the stream's own rate and layout: 16-bit
    sources as int16, exactly; any other sample format as float."""
    import av

    resampler = None
    for packet in container.demux(stream):
        try:
            frames = packet.decode()
        except av.error.InvalidDataError:
            continue
        for frame in frames:
            name = frame.format.name
            if name in ("s16", "s16p", "fltp", "flt"):
                yield _planar(frame)
                continue
            if resampler is None:
                resampler = av.AudioResampler(format="fltp", layout=frame.layout.name, rate=frame.sample_rate)
            yield from (_planar(f) for f in resampler.resample(frame))
    if resampler is not None:
        yield from (_planar(f) for f in resampler.resample(None))


def _planar(frame) -> np.ndarray:
    data = frame.to_ndarray()
    channels = len(frame.layout.channels)
    if not frame.format.is_planar:  # packed: one row, channels interleaved
        return data.reshape(-1, channels).T
    return data.reshape(channels, -1)


def read_wav(data: bytes) -> Clip:
    """A 16-bit PCM WAV back into a Clip (for checks and tests)."""
    with wave.open(io.BytesIO(data), "rb") as wav:
        if wav.getsampwidth() != 2:
            raise ValueError(f"expected 16-bit PCM, got {8 * wav.getsampwidth()}-bit")
        frames = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
        return Clip(frames.reshape(-1, wav.getnchannels()), wav.getframerate(), 0)
