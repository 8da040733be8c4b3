#!/usr/bin/env python3
"""Regenerate the bundled ``unmiss-2017`` sample recording.

The sample recreates, with synthetic speech, the case transcheck was started
for: an answer the UNMISS spokesperson gave at a 2017 press conference, whose
published official transcript differs from what was actually said.  See
``samples/README.md`` for the background and the list of differences.

This script synthesises the *verbatim* text (the words of
``unmiss-2017/verbatim.txt``, kept in ``TURNS`` below with a little SSML)
with the ``espeak-ng`` speech synthesiser, one voice per speaker, and writes
``unmiss-2017/briefing.mp3`` (mono, 16 kHz, constant bit rate MP3).

Usage::

    python samples/make_sample.py            # writes samples/unmiss-2017/briefing.mp3
    python samples/make_sample.py -o out.mp3  # somewhere else

Requirements: Python 3.11, numpy, PyAV (``av``) and the ``espeak-ng``
executable (Debian/Ubuntu: ``apt-get install espeak-ng``).

The output is deterministic for a given espeak-ng and PyAV/libmp3lame
version: espeak-ng is a rule-based synthesiser with no randomness, the
silences are exact sample counts, and the MP3 file is written without an ID3
tag or FFmpeg version string (running the script twice gives identical bytes).
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import wave
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

SAMPLE_DIR = Path(__file__).resolve().parent / "unmiss-2017"
DEFAULT_OUTPUT = SAMPLE_DIR / "briefing.mp3"

OUTPUT_RATE = 16_000  # Hz, mono
BITRATE = 48_000  # bit/s, constant bit rate
SPEED_WPM = 160  # espeak-ng -s (words per minute)
LEAD_SILENCE_S = 0.5  # before the first and after the last turn
GAP_SILENCE_S = 0.8  # between turns


@dataclass(frozen=True)
class Turn:
    speaker: str  # label used in verbatim.txt
    voice: str  # espeak-ng voice (-v)
    pitch: int  # espeak-ng base pitch (-p, 0-99, default 50)
    ssml: str  # what espeak-ng is asked to say (SSML body)


# "U.N." read as the letters "you en", followed by a tiny pause.  Without the
# pause, "a U N staff member" runs together and is heard as "a human staff
# member" by speech recognisers.
UN = 'U.N.<break time="60ms"/>'

# Voices.  Note: espeak-ng 1.51 silently ignores a variant appended to
# "en-gb" (e.g. "en-gb+f3" sounds exactly like "en-gb"); use "en+..." for
# British English.  The formant variants f1-f5 make "nine" sound like
# "high" to Whisper, so the spokesperson uses the Klatt synthesiser
# (variant klatt2) with a raised pitch instead.
#
# The spoken text follows verbatim.txt word for word.  Only the spelling is
# adapted so that espeak-ng pronounces it as a speaker would: "U.N." as
# above; a hesitation before the self-correction "well, not unless ..."
# (without it Whisper tends to drop the repeated phrase); and the cut-off
# word "resolu..." is followed by an SSML break before the speaker restarts
# with "disposition".
TURNS: tuple[Turn, ...] = (
    Turn(
        speaker="QUESTION",
        voice="en-us+m3",  # American English, male
        pitch=50,
        ssml=(
            "Thank you. Anna Berg, Nordic Radio. My question is about the "
            "allegations of sexual exploitation and abuse. What happens to "
            "these cases, and will you publish the names of those accused?"
        ),
    ),
    Turn(
        speaker="SPOKESPERSON",
        voice="en+klatt2",  # British English, Klatt synthesiser
        pitch=75,
        ssml=(
            "When it's an allegation, clearly, it remains an allegation, and "
            "the disposition of the case, if the case goes further, will be in "
            f"the hands of, unless it's a {UN} staff member, "
            '<break time="400ms"/>'
            f"well, not unless it's a {UN} staff member, if it's a person who's "
            f"related to the {UN} and an international, there are disciplinary measures, and "
            "only disciplinary measures because it's not a judicial system. "
            f"Um, the broad information is disclosed on the {UN} website while "
            "the claims are at the allegation stage, but the names of the "
            "accused certainly are not. They would be disclosed at a later "
            "stage, once there is a resolu"
            '<break time="500ms"/>'
            " disposition of the case. We have received nine allegations "
            "this year."
        ),
    ),
)


def find_espeak() -> str:
    """Return the path of the espeak-ng executable or exit with a clear error."""
    exe = shutil.which("espeak-ng")
    if exe is None:
        sys.exit(
            "error: the 'espeak-ng' executable was not found on PATH.\n"
            "Install it first, e.g. 'apt-get install espeak-ng' (Debian/Ubuntu)"
            " or 'brew install espeak-ng' (macOS)."
        )
    return exe


def synthesise(espeak: str, turn: Turn) -> tuple[np.ndarray, int]:
    """Speak one turn with espeak-ng; return (mono float32 samples, rate)."""
    cmd = [
        espeak,
        "-m",  # interpret SSML markup (used for the break after "resolu")
        "-v", turn.voice,
        "-s", str(SPEED_WPM),
        "-p", str(turn.pitch),
        "--stdout",
        f"<speak>{turn.ssml}</speak>",
    ]
    proc = subprocess.run(cmd, capture_output=True, check=False)
    if proc.returncode != 0 or not proc.stdout:
        sys.exit(
            f"error: espeak-ng failed for the {turn.speaker} turn "
            f"(exit {proc.returncode}): {proc.stderr.decode(errors='replace').strip()}"
        )
    return read_wav(proc.stdout)


def read_wav(data: bytes) -> tuple[np.ndarray, int]:
    """Decode 16-bit PCM WAV bytes (as written by espeak-ng) to mono float32."""
    with wave.open(io.BytesIO(data)) as wav:
        if wav.getsampwidth() != 2:
            raise ValueError(f"unexpected sample width {wav.getsampwidth()}")
        rate = wav.getframerate()
        channels = wav.getnchannels()
        # espeak-ng writes the WAV header before it knows the length when
        # streaming to stdout, so read whatever frames are actually present.
        frames = wav.readframes(sys.maxsize)
    pcm = np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32768.0
    if channels > 1:
        pcm = pcm[: len(pcm) // channels * channels].reshape(-1, channels).mean(axis=1)
    return pcm, rate


def silence(seconds: float, rate: int) -> np.ndarray:
    return np.zeros(round(seconds * rate), dtype=np.float32)


def build_recording(espeak: str) -> tuple[np.ndarray, int]:
    """Concatenate all turns with the configured silences at the synth rate."""
    parts: list[np.ndarray] = []
    rate: int | None = None
    for i, turn in enumerate(TURNS):
        pcm, turn_rate = synthesise(espeak, turn)
        if rate is None:
            rate = turn_rate
            parts.append(silence(LEAD_SILENCE_S, rate))
        elif turn_rate != rate:
            raise ValueError(f"espeak-ng voices disagree on sample rate: {rate} vs {turn_rate}")
        if i:
            parts.append(silence(GAP_SILENCE_S, rate))
        parts.append(pcm)
    assert rate is not None
    parts.append(silence(LEAD_SILENCE_S, rate))
    return np.concatenate(parts), rate


def encode_mp3(pcm: np.ndarray, rate: int, path: Path) -> None:
    """Resample mono float32 ``pcm`` to 16 kHz and write a CBR MP3 to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    s16 = (np.clip(pcm, -1.0, 1.0) * 32767.0).round().astype(np.int16)

    # No ID3v2 tag and "bitexact" muxing: no FFmpeg (Lavf) version string
    # in the file, so it depends only on the audio and on libmp3lame.
    options = {"id3v2_version": "0", "fflags": "+bitexact"}
    with av.open(str(path), mode="w", format="mp3", options=options) as container:
        stream = container.add_stream("mp3", rate=OUTPUT_RATE)
        stream.bit_rate = BITRATE
        stream.layout = "mono"
        resampler = av.AudioResampler(format="s16p", layout="mono", rate=OUTPUT_RATE)

        frame_size = 4096
        for start in range(0, len(s16), frame_size):
            chunk = s16[start : start + frame_size]
            frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="s16", layout="mono")
            frame.sample_rate = rate
            frame.pts = start
            frame.time_base = Fraction(1, rate)
            for out in resampler.resample(frame):
                container.mux(stream.encode(out))
        for out in resampler.resample(None):  # flush the resampler
            container.mux(stream.encode(out))
        container.mux(stream.encode(None))  # flush the encoder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "-o", "--output", type=Path, default=DEFAULT_OUTPUT,
        help=f"MP3 file to write (default: {DEFAULT_OUTPUT})",
    )
    args = parser.parse_args(argv)

    espeak = find_espeak()
    pcm, rate = build_recording(espeak)
    encode_mp3(pcm, rate, args.output)
    duration = len(pcm) / rate
    size = args.output.stat().st_size
    print(f"wrote {args.output} ({duration:.1f} s, {size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
