"""Short synthetic briefings for batch tests: espeak-ng speech encoded with PyAV, made at test time."""

from __future__ import annotations

import io
import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

# extension -> (codec, sample rate); PyAV splits the samples into the encoder's frame size
CODECS = {".mp3": ("libmp3lame", 16000), ".m4a": ("aac", 16000), ".opus": ("libopus", 48000),
          ".flac": ("flac", 16000), ".wav": ("pcm_s16le", 16000)}


@dataclass(frozen=True)
class Briefing:
    rel_stem: str  # path of both files without extension, under the archive root
    audio_ext: str
    said: str
    official: str
    official_ext: str = ".txt"


BRIEFINGS = (
    Briefing("2017-12-07-unmiss", ".mp3",
             "The mission has deployed four hundred peacekeepers to the town of Yei this week. "
             "We are working with local leaders to protect civilians.",
             "SPOKESPERSON: The mission has deployed 400 peacekeepers. We are working with local leaders "
             "to protect civilians."),
    Briefing("2018-01-15-ocha", ".m4a",
             "Humanitarian partners delivered food to thirty thousand people in the north. "
             "Access remains very difficult because of the heavy rains.",
             "Humanitarian partners delivered food to 30,000 people in the north. Access has improved "
             "since the rains ended.", ".md"),
    Briefing("2018-03-02-unhcr", ".opus",
             "The agency registered two thousand new refugees last month, most of them women and children.",
             "The agency registered 2,000 new refugees last month, most of them women and children."),
    Briefing("field/2018-05-20-wfp", ".wav",
             "We need more funding to keep the operation going until the end of the year.",
             "SPOKESPERSON: We need more funding to keep the operation going until the end of the year. "
             "Donors have already promised all of it."),
)


def espeak() -> str:
    found = shutil.which("espeak-ng")
    if not found:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng); it speaks the test briefings")
    return found


def synthesise(text: str) -> tuple[np.ndarray, int]:
    """16-bit mono samples of `text` spoken by espeak-ng, with a little silence around it."""
    data = subprocess.run([espeak(), "-v", "en-us", "-s", "165", "--stdout", text], check=True,
                          capture_output=True).stdout
    with wave.open(io.BytesIO(data)) as wav:
        rate = wav.getframerate()
        pcm = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    pad = np.zeros(rate // 4, dtype=np.int16)
    return np.concatenate([pad, pcm, pad]), rate


def encode(pcm: np.ndarray, rate: int, path: Path) -> None:
    """Write `pcm` to `path` in the container and codec its extension names."""
    import av

    codec, out_rate = CODECS[path.suffix]
    resampler = av.AudioResampler(format="s16", layout="mono", rate=out_rate)
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream(codec, rate=out_rate, layout="mono")
        frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = rate
        for resampled in resampler.resample(frame) + resampler.resample(None):
            container.mux(stream.encode(resampled))
        container.mux(stream.encode(None))


def make_archive(root: Path, briefings=BRIEFINGS) -> Path:
    """Write each briefing's recording and official transcript under `root`."""
    for b in briefings:
        audio = root / (b.rel_stem + b.audio_ext)
        audio.parent.mkdir(parents=True, exist_ok=True)
        encode(*synthesise(b.said), audio)
        audio.with_suffix(b.official_ext).write_text(b.official + "\n", encoding="utf-8")
    return root


def add_corrupt(root: Path, stem: str = "2018-06-01-corrupt") -> Path:
    """A recording that no decoder can read, with a proper transcript beside it."""
    audio = root / f"{stem}.mp3"
    audio.write_bytes(b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(range(256)) * 40)
    audio.with_suffix(".txt").write_text("Nothing can be heard in this briefing.\n", encoding="utf-8")
    return audio
