"""Synthetic-voices benchmark: briefings spoken by espeak-ng voices, full of names, places and numbers.

    python -m benchmarks.voices [--out benchmarks/results/voices] [--held-out] [--noise-db SNR] [--reverb RT60]
                                [--phone] [--no-verify-only] [--json PATH]

The recordings benchmark covers six recordings the developers know well. Here the voices are ones
tiny.en finds hard (synthetic, several accents and pitches), and the words are the ones a
recogniser gets wrong and a publisher may change: people's names, places, figures. Each briefing
is synthesised turn by turn (one voice per speaker, a pause between turns) into a recording
folder with its word-for-word transcript.txt (speaker labels as a publisher prints them); a poem
read with long pauses between lines is there too, where an inserted line has silence to hide in.
The scripts (speakers, voices, turns) are data, in `voices.toml` beside this file. Some speakers hesitate and restart where the transcript prints the clean sentence (`{braces}` in a
turn's text; a whole turn in braces is talk before the briefing starts, which no transcript prints),
`--noise-db` / `--reverb` degrade every briefing as a briefing room would, and `--phone` as a
telephone line does.
The accuracy benchmark then builds its faithful and edited cases from them and scores them the
same way (`python -m benchmarks.accuracy --shared <out>/speech`).

Synthesis is deterministic (espeak-ng with fixed voices and rates), so the audio hash and the
transcript cache stay valid between runs.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "voices"
RATE = 22050  # espeak-ng's output rate


@dataclass(frozen=True)
class Turn:
    label: str  # the speaker label the transcript prints ("" for none)
    voice: str  # espeak-ng voice, with a variant
    # what the voice says; {braces} hold what it says that the transcript leaves out, as near-verbatim
    # editing allows ("{Um, }good morning", "The{, the} Treasury")
    text: str
    rate: int = 160  # words a minute
    pause: float = 0.7  # seconds of silence after the turn

    @property
    def said(self) -> str:
        return self.text.replace("{", "").replace("}", "")

    @property
    def printed(self) -> str:
        """The turn as the transcript prints it: the braced words left out (a sentence they began then
        begins with a capital)."""
        text = re.sub(r"(^|[.?!] )\{[^}]*\}([a-z])", lambda m: m.group(1) + m.group(2).upper(), self.text)
        return re.sub(r"\{[^}]*\}", "", text)


@dataclass(frozen=True)
class Voice:
    """One speaker of a briefing: the label the transcript prints, the espeak-ng voice and the pace,
    set once for all of the speaker's turns."""

    label: str
    voice: str
    rate: int = 160

    def __call__(self, text: str) -> Turn:
        return Turn(self.label, self.voice, text, self.rate)


BRIEFINGS_FILE = Path(__file__).with_suffix(".toml")  # the briefings' scripts: speakers, voices, turns


def briefing(script: dict) -> tuple[Turn, ...]:
    """A briefing's turns from its script in BRIEFINGS_FILE: a reading (one voice, its lines and the
    pause after each), or speakers and their turns ([speaker, text])."""
    if "reading" in script:
        r = script["reading"]
        return tuple(Turn("", r["voice"], line, r["rate"], r["pause"]) for line in script["lines"])
    voices = {key: Voice(s["label"], s["voice"], s.get("rate", 160)) for key, s in script["speakers"].items()}
    return tuple(voices[who](text) for who, text in script["turns"])


def _briefings(section: str) -> dict[str, tuple[Turn, ...]]:
    import tomllib

    with open(BRIEFINGS_FILE, "rb") as f:
        return {name: briefing(script) for name, script in tomllib.load(f)[section].items()}


BRIEFINGS = _briefings("tuned")
# Held out: written after the rules were tuned on BRIEFINGS, and run only to measure them
# (`--held-out`); never tune on these (the file says when each round was written and first run).
HELD_OUT = _briefings("held_out")


def transcript_text(turns: Sequence[Turn]) -> str:
    """The word-for-word transcript as a publisher prints it: one paragraph per turn, with its label."""
    turns = [t for t in turns if t.printed.strip()]  # talk before the briefing starts is not printed
    if not any(t.label for t in turns):
        return "\n".join(t.printed for t in turns) + "\n"
    return "\n\n".join(f"{t.label}: {t.printed}" if t.label else t.printed for t in turns) + "\n"


def _espeak() -> str:
    found = shutil.which("espeak-ng")
    if not found:
        raise SystemExit("Error: espeak-ng is not installed; install it (apt-get install espeak-ng)")
    return found


def synthesise(turns: Sequence[Turn], out: Path) -> None:
    """All turns in one mono WAV file, each in its voice, separated by its pause."""
    espeak = _espeak()
    frames: list[bytes] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, turn in enumerate(turns):
            piece = Path(tmp) / f"{n}.wav"
            subprocess.run([espeak, "-v", turn.voice, "-s", str(turn.rate), "-w", str(piece), turn.said],
                           check=True, capture_output=True)
            with wave.open(str(piece), "rb") as w:
                if w.getframerate() != RATE or w.getnchannels() != 1:
                    raise SystemExit(f"Error: espeak-ng wrote {w.getframerate()} Hz, {w.getnchannels()} channels")
                frames.append(w.readframes(w.getnframes()))
            frames.append(b"\0\0" * int(turn.pause * RATE))
    part = out.with_suffix(".part")
    with wave.open(str(part), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(b"".join(frames))
    part.replace(out)


NOISE_SEED = 16


def add_noise(path: Path, snr_db: float) -> None:
    """Mix pink noise (seeded, so the audio hash stays put) into a WAV file, `snr_db` below the level of
    its speech: a briefing room's hum and murmur, under which tiny.en garbles more."""
    import numpy as np

    with wave.open(str(path), "rb") as w:
        rate = w.getframerate()
        speech = np.frombuffer(w.readframes(w.getnframes()), np.int16).astype(np.float64)
    spectrum = np.fft.rfft(np.random.default_rng(NOISE_SEED).standard_normal(len(speech)))
    spectrum /= np.sqrt(np.maximum(1, np.arange(len(spectrum))))  # 1/f power: pink
    noise = np.fft.irfft(spectrum, len(speech))
    level = np.sqrt(np.mean(speech[np.abs(speech) > 200] ** 2))  # the voiced samples, not the pauses
    noise *= level / np.sqrt(np.mean(noise ** 2)) / 10 ** (snr_db / 20)
    _write_samples(path, rate, speech + noise)


REVERB_SEED = 17


def add_reverb(path: Path, rt60: float) -> None:
    """Convolve a WAV file with a seeded synthetic room (noise decaying 60 dB in `rt60` seconds after
    the direct sound): a briefing room's echo, heard by a microphone at the back of the room."""
    import numpy as np

    with wave.open(str(path), "rb") as w:
        rate = w.getframerate()
        speech = np.frombuffer(w.readframes(w.getnframes()), np.int16).astype(np.float64)
    t = np.arange(int(rt60 * rate)) / rate
    room = np.random.default_rng(REVERB_SEED).standard_normal(len(t)) * 10 ** (-3 * t / rt60) * 0.1
    room[0] = 1.0  # the direct sound
    size = len(speech) + len(room) - 1
    wet = np.fft.irfft(np.fft.rfft(speech, size) * np.fft.rfft(room, size), size)[:len(speech)]
    wet *= np.max(np.abs(speech)) / max(1e-9, np.max(np.abs(wet)))
    _write_samples(path, rate, wet)


PHONE_BAND = (300.0, 3400.0)  # Hz: what a telephone line carries


def add_phone(path: Path) -> None:
    """Pass a WAV file through a telephone line: only 300 to 3400 Hz kept, then G.711's 8-bit mu-law
    companding (a journalist's question, or a whole press call, dialled in)."""
    import numpy as np

    with wave.open(str(path), "rb") as w:
        rate = w.getframerate()
        speech = np.frombuffer(w.readframes(w.getnframes()), np.int16).astype(np.float64)
    spectrum = np.fft.rfft(speech)
    freqs = np.fft.rfftfreq(len(speech), 1.0 / rate)
    spectrum[(freqs < PHONE_BAND[0]) | (freqs > PHONE_BAND[1])] = 0
    line = np.fft.irfft(spectrum, len(speech))
    x = np.clip(line / 32768.0, -1.0, 1.0)
    mu = 255.0
    coded = np.round(np.sign(x) * np.log1p(mu * np.abs(x)) / np.log1p(mu) * 127) / 127  # 8 bits a sample
    _write_samples(path, rate, np.sign(coded) * np.expm1(np.abs(coded) * np.log1p(mu)) / mu * 32768.0)


def _write_samples(path: Path, rate: int, samples) -> None:
    import numpy as np

    part = path.with_suffix(".part")
    with wave.open(str(part), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.clip(samples, -32768, 32767).astype(np.int16).tobytes())
    part.replace(path)


def folder_name(name: str, noise_db: Optional[float] = None, reverb: Optional[float] = None,
                phone: bool = False) -> str:
    """<name>, with _reverb<RT60>, _noisy<SNR> and _phone for the degradations applied."""
    return (name + (f"_reverb{reverb:g}" if reverb is not None else "")
            + (f"_noisy{noise_db:g}" if noise_db is not None else "") + ("_phone" if phone else ""))


def build(out: Path, names: Optional[Sequence[str]] = None, held_out: bool = False,
          noise_db: Optional[float] = None, reverb: Optional[float] = None, phone: bool = False) -> Path:
    """Write every briefing (or the held-out ones) as <out>/speech/<name>/{briefing.wav, transcript.txt};
    with `reverb` the room's echo is added (RT60 seconds), then with `noise_db` pink noise N dB below
    the speech, then with `phone` a telephone line, in a folder named by `folder_name`; return
    <out>/speech."""
    speech = out / "speech"
    for name, turns in (HELD_OUT if held_out else BRIEFINGS).items():
        if names and name not in names:
            continue
        folder = speech / folder_name(name, noise_db, reverb, phone)
        folder.mkdir(parents=True, exist_ok=True)
        text = transcript_text(turns)
        transcript = folder / "transcript.txt"
        audio = folder / "briefing.wav"
        if not audio.exists() or not transcript.exists() or transcript.read_text(encoding="utf-8") != text:
            synthesise(turns, audio)
            if reverb is not None:
                add_reverb(audio, reverb)
            if noise_db is not None:
                add_noise(audio, noise_db)
            if phone:
                add_phone(audio)
            transcript.write_text(text, encoding="utf-8")
    return speech


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.voices", description=__doc__.splitlines()[0],
                                     epilog="example: python -m benchmarks.voices --no-verify-only")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="where the synthesised recordings go (default: benchmarks/results/voices)")
    parser.add_argument("--only", action="append", choices=sorted(BRIEFINGS) + sorted(HELD_OUT),
                        help="synthesise only these")
    parser.add_argument("--held-out", action="store_true",
                        help="the held-out briefings instead, for measuring rules tuned on the others")
    parser.add_argument("--noise-db", type=float, metavar="SNR",
                        help="mix pink noise this many dB below the speech into every briefing (folders "
                             "named <briefing>_noisy<SNR>; e.g. 10)")
    parser.add_argument("--reverb", type=float, metavar="RT60",
                        help="add a room's echo decaying 60 dB in this many seconds, before any noise "
                             "(folders named <briefing>_reverb<RT60>; e.g. 0.8)")
    parser.add_argument("--phone", action="store_true",
                        help="pass every briefing through a telephone line, after any echo and noise: 300 to "
                             "3400 Hz, 8-bit mu-law (folders named <briefing>_phone)")
    args, rest = parser.parse_known_args(argv)
    speech = build(args.out, args.only, args.held_out, args.noise_db, args.reverb, args.phone)
    from . import accuracy

    if "--json" not in rest:
        rest += ["--json", str(args.out / "voices.json")]
    return accuracy.main(["--shared", str(speech), *rest])


if __name__ == "__main__":
    sys.exit(main())
