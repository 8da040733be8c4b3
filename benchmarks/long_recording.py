"""Long recordings: time and peak memory of `transcheck check` against recording length.

A real recording is looped to each length (and its transcript repeated to match), then checked in
a fresh process with the cache off; peak memory (ru_maxrss) and wall time are read per run, so the
table shows how memory grows with length next to the size of the decoded audio itself.

    python -m benchmarks.long_recording --minutes 15 30 60 120
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "unmiss-2017"


def write_wav(path: Path, unit: np.ndarray, copies: int = 1) -> Path:
    """`unit` (16 kHz mono float) `copies` times over, as 16-bit PCM WAV, one copy at a time."""
    import av

    from transcheck.audio import SAMPLE_RATE

    with av.open(str(path), "w") as out:
        stream = out.add_stream("pcm_s16le", rate=SAMPLE_RATE)
        stream.layout = "mono"
        pcm = (np.clip(unit, -1, 1) * 32767).astype(np.int16)[None, :]
        for _ in range(copies):
            frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
            frame.sample_rate = SAMPLE_RATE
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def build(minutes: float, audio: Path, official: Path, workdir: Path) -> tuple[Path, Path]:
    """Loop `audio` (with a second of silence between copies) to `minutes`; repeat the text to match."""
    from transcheck.audio import SAMPLE_RATE, load_audio

    clip = load_audio(audio).samples
    unit = np.concatenate([clip, np.zeros(SAMPLE_RATE, np.float32)])
    copies = max(1, int(round(minutes * 60 * SAMPLE_RATE / len(unit))))
    wav = write_wav(workdir / f"long-{minutes:g}min.wav", unit, copies)
    text = official.read_text(encoding="utf-8").strip()
    txt = workdir / f"long-{minutes:g}min.txt"
    txt.write_text("\n\n".join([text] * copies) + "\n", encoding="utf-8")
    return wav, txt


def run_check(wav: Path, txt: Path, verify: bool) -> dict:
    report = wav.with_suffix(".json")
    cmd = [sys.executable, "-m", "transcheck.cli", "check", str(wav), str(txt), "--no-cache", "-q",
           "--json", str(report), "--force"] + ([] if verify else ["--no-verify"])
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB, max over children so far
    if proc.returncode != 0:
        raise SystemExit(f"check failed on {wav}: {proc.stderr.strip()}")
    import json

    data = json.loads(report.read_text())
    return {"wall": wall, "peak_mib": peak / 1024, "grew": peak > before, "timings": data["timings"],
            "duration": data["recording"]["duration"], "words": data["summary"]["recorded_words"],
            "report_mib": report.stat().st_size / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, nargs="+", default=[15, 30, 60, 120])
    parser.add_argument("--audio", type=Path, default=SAMPLE / "briefing.mp3")
    parser.add_argument("--official", type=Path, default=SAMPLE / "official.txt")
    parser.add_argument("--no-verify", action="store_true")
    args = parser.parse_args()
    print(f"command: python -m benchmarks.long_recording --minutes {' '.join(f'{m:g}' for m in args.minutes)}"
          f"{' --no-verify' if args.no_verify else ''}  (cpus: {os.cpu_count()})\n")
    print("| length | decoded audio (MiB) | peak memory (MiB) | peak minus audio (MiB) | wall (s) | "
          "transcribe (s/s audio) | after transcription (s) | words | JSON report (MiB) |")
    print("|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for minutes in sorted(args.minutes):  # ascending, so each child's peak is its own
            wav, txt = build(minutes, args.audio, args.official, Path(tmp))
            r = run_check(wav, txt, not args.no_verify)
            audio_mib = r["duration"] * 16000 * 4 / 2**20
            t = r["timings"]
            after = sum(v for k, v in t.items() if k not in ("transcribe", "decode_audio"))
            print(f"| {r['duration'] / 60:.0f} min | {audio_mib:.0f} | {r['peak_mib']:.0f} | "
                  f"{r['peak_mib'] - audio_mib:.0f} | {r['wall']:.0f} | {t['transcribe'] / r['duration']:.3f} | "
                  f"{after:.1f} | {r['words']} | {r['report_mib']:.1f} |", flush=True)
            wav.unlink()


if __name__ == "__main__":
    main()
