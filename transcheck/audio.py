"""Open any recording PyAV can read, downmix every channel, resample to 16 kHz mono float32."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import numpy as np

from .errors import AudioError

log = logging.getLogger("transcheck")

SAMPLE_RATE = 16000


@dataclass(frozen=True)
class Audio:
    """Decoded audio ready for a recogniser, with where it came from."""

    path: str
    sha256: str
    samples: np.ndarray
    sample_rate: int
    channels: int
    source_rate: int = 0  # the file's own sample rate (evidence clips are cut at it)

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate


def file_sha256(path: str | Path, chunk: int = 1 << 20) -> str:
    """Hex sha256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def probe_duration(path: str) -> float:
    """The recording's length in seconds from its header, 0 when it cannot be told (it may be damaged)."""
    try:
        import av

        with av.open(path) as container:
            if container.duration:
                return container.duration / av.time_base
            for stream in container.streams.audio:
                if stream.duration and stream.time_base:
                    return float(stream.duration * stream.time_base)
    except Exception:  # any failure here is reported properly when the briefing is checked
        pass
    return 0.0


def _check_file(path: Path) -> None:
    if not path.exists():
        raise AudioError(f"{path}: no such recording; check the path")
    if path.is_dir():
        raise AudioError(f"{path}: is a directory; pass an audio or video file")
    if path.stat().st_size == 0:
        raise AudioError(f"{path}: the file is empty (0 bytes); pass the full recording")


def load_audio(path: str | Path, progress: Optional[Callable[[float, float], None]] = None) -> Audio:
    """Decode the first audio stream of `path`; every channel is averaged so no speaker is lost."""
    import av  # PyAV bundles FFmpeg's libraries: no ffmpeg executable is needed

    path = Path(path)
    _check_file(path)
    try:
        container = av.open(str(path))
    except (av.error.FFmpegError, OSError, UnicodeDecodeError):
        raise AudioError(f"{path}: cannot be decoded: the file is damaged or truncated, or is not a recording; "
                         f"pass the complete recording (wav, mp3, flac, ogg/opus, m4a or mp4)") from None
    with container:
        streams = [s for s in container.streams if s.type == "audio"]
        if not streams:
            raise AudioError(f"{path}: has no audio track; pass the file that holds the sound")
        stream = streams[0]
        channels = stream.codec_context.channels or 1
        source_rate = stream.codec_context.sample_rate or 0
        layout = stream.codec_context.layout.name if stream.codec_context.layout else None
        samples = _decode(container, stream, path, progress)
    if not len(samples):
        raise AudioError(f"{path}: the audio track holds no decodable sound: the file is damaged or truncated; "
                         "pass the complete recording")
    if not np.isfinite(np.sum(samples, dtype=np.float64)):
        raise AudioError(f"{path}: decoded audio holds invalid values; re-encode the file")
    log.debug("decoded %s: %d channels (%s), %.1f s", path, channels, layout, len(samples) / SAMPLE_RATE)
    return Audio(str(path), file_sha256(path), samples, SAMPLE_RATE, channels, source_rate)


class _Buffer:
    """Decoded samples appended in place: preallocated from the container's duration when known,
    so a long recording is held once, not twice (a list of chunks and their concatenation)."""

    def __init__(self, expected_seconds: Optional[float]) -> None:
        size = int(expected_seconds * SAMPLE_RATE * 1.01) + SAMPLE_RATE if expected_seconds else SAMPLE_RATE * 60
        self.data = np.empty(size, dtype=np.float32)
        self.size = 0

    def append(self, chunk: np.ndarray) -> None:
        end = self.size + len(chunk)
        if end > len(self.data):
            grown = np.empty(max(end, int(len(self.data) * 1.5)), dtype=np.float32)
            grown[: self.size] = self.data[: self.size]
            self.data = grown
        self.data[self.size:end] = chunk
        self.size = end

    def samples(self) -> np.ndarray:
        if self.size < len(self.data) * 0.9:
            return self.data[: self.size].copy()
        return self.data[: self.size]


def _decode(container, stream, path: Path, progress: Optional[Callable[[float, float], None]] = None) -> np.ndarray:
    """Decode to float planar at 16 kHz, keeping the channels, then average them per frame."""
    import av

    expected = float(container.duration) / av.time_base if container.duration else None
    resampler = av.AudioResampler(format="fltp", rate=SAMPLE_RATE)
    buffer = _Buffer(expected)
    errors = shown = 0
    try:
        for packet in container.demux(stream):
            try:
                frames = packet.decode()
            except av.error.InvalidDataError:
                errors += 1  # a damaged packet: skip it, as players do
                continue
            for frame in frames:
                for out in resampler.resample(frame):
                    buffer.append(_downmix(out))
            if progress and expected and buffer.size >= shown + SAMPLE_RATE * 60:  # every minute of audio
                shown = buffer.size
                progress(min(expected, shown / SAMPLE_RATE), expected)
        for out in resampler.resample(None):
            buffer.append(_downmix(out))
    except (av.error.FFmpegError, ValueError) as exc:
        if not buffer.size:
            raise AudioError(f"{path}: the audio cannot be decoded: the file is damaged or truncated; "
                             "pass the complete recording") from None
        log.warning("%s: decoding stopped early (%s): the file is damaged or truncated; using the first %.1f s",
                    path, _reason(exc), buffer.size / SAMPLE_RATE)
    if progress and shown:  # a bar was started: finish it
        progress(expected, expected)
    if errors:
        log.warning("%s: skipped %d damaged audio packets", path, errors)
    return buffer.samples()


def _reason(exc: Exception) -> str:
    """FFmpeg's words for a failure, without its errno ('[Errno 1094995529] Invalid data...')."""
    return getattr(exc, "strerror", None) or re.sub(r"^\[Errno -?\d+\]\s*", "", str(exc))


def _downmix(frame) -> np.ndarray:
    data = frame.to_ndarray()  # shape (channels, samples) for planar formats
    if data.ndim == 2 and data.shape[0] > 1:
        return data.mean(axis=0)
    return data.reshape(-1)


def quiet_cuts(samples: np.ndarray, rate: int, every: float, search: float = 20.0) -> list[tuple[int, int]]:
    """Sample ranges of about `every` seconds each, cut at the quietest 100 ms near each boundary.

    Long recordings are transcribed piece by piece so memory stays bounded; cutting in a pause
    keeps words whole.
    """
    n = len(samples)
    step, hop = int(every * rate), rate // 10
    if n <= step * 1.5:
        return [(0, n)]
    cuts, pos = [0], 0
    while n - pos > step * 1.5:
        lo, hi = pos + step - int(search * rate), min(n, pos + step + int(search * rate))
        frames = samples[lo:hi][: (hi - lo) // hop * hop].reshape(-1, hop)
        quietest = int(np.argmin((frames.astype(np.float64) ** 2).mean(axis=1)))
        pos = lo + quietest * hop + hop // 2
        cuts.append(pos)
    cuts.append(n)
    return list(zip(cuts, cuts[1:]))
