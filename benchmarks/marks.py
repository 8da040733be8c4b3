"""Marks put to the test, on the real recordings: clear speech printed as [inaudible] is found; the same
words under loud noise are not.

For each recording in ../shared/speech, PHRASES passages of three words the recogniser heard and the
reference prints alike are picked, spread over the recording. Each is printed as "[inaudible]":
  - clear: the recording as it is; the passage should be reported (substantive, confirmed);
  - noisy: white noise NOISE_DB dB louder than the passage mixed over it; nothing should be raised there.
None of these recordings was used to choose the thresholds in transcheck/marks.py (espeak-ng speech was).

    python -m benchmarks.marks [--shared ../shared/speech] [--phrases 3] [--noise-db 0 6 12]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

from transcheck.audio import load_audio
from transcheck.cache import TranscriptCache
from transcheck.engines import load_engine
from transcheck.marks import MARKED_CLEAR
from transcheck.options import CheckOptions
from transcheck.pipeline import check

from .cases import find_recordings

WORDS = 3


def phrases(result, count: int) -> list[tuple[int, int]]:
    """Places (recording token, official token) of WORDS matched words inside long equal runs, spread out."""
    rec, off = result.rec_tokens, result.off_tokens
    places = []
    for op in result.ops:
        if op.tag != "equal" or op.rec[1] - op.rec[0] < WORDS + 4:
            continue
        for k in range(2, op.rec[1] - op.rec[0] - WORDS - 1, WORDS + 4):
            i, j = op.rec[0] + k, op.off[0] + k
            words = rec[i:i + WORDS]
            if any(t.filler or any(ch.isdigit() for ch in t.norm) for t in words):
                continue
            places.append((i, j))
    if len(places) <= count:
        return places
    step = len(places) / count
    return [places[int(n * step + step / 2)] for n in range(count)]


def with_mark(text: str, off, j: int) -> str:
    return text[:int(off[j].start)] + "[inaudible]" + text[int(off[j + WORDS - 1].end):]


def noisy_copy(audio, start: float, end: float, db: float, path: Path, seed: int) -> None:
    """The recording (16 kHz mono) with white noise `db` dB above the passage's level over [start, end)."""
    rate = audio.sample_rate
    samples = audio.samples.astype(np.float64).copy()
    a, b = int(start * rate), int(end * rate)
    level = np.sqrt(np.mean(samples[a:b] ** 2)) * 10 ** (db / 20)
    samples[a:b] += np.random.default_rng(seed).normal(0.0, level, b - a)
    pcm = np.clip(np.round(samples * 32767), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())


def _words(text: str) -> list[str]:
    return "".join(ch for ch in text.lower() if ch.isalnum() or ch.isspace() or ch == "'").split()


def under_mark(result) -> list:
    return [d for d in result.discrepancies if d.evidence.get("official_gap")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parent.parent.parent / "shared" / "speech")
    parser.add_argument("--phrases", type=int, default=3)
    parser.add_argument("--noise-db", type=float, nargs="+", default=[0.0, 6.0, 12.0])
    args = parser.parse_args()
    engine = load_engine(CheckOptions())
    rows, started = [], time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cache = TranscriptCache(folder / "cache")
        for recording in find_recordings(args.shared):
            text = recording.transcript.read_text(encoding="utf-8")
            base = check(str(recording.audio), str(recording.transcript), CheckOptions(), cache=cache, engine=engine)
            audio = load_audio(recording.audio)
            for n, (i, j) in enumerate(phrases(base, args.phrases)):
                heard = " ".join(t.text for t in base.rec_tokens[i:i + WORDS])
                official = folder / f"{recording.name}-{n}.txt"
                official.write_text(with_mark(text, base.off_tokens, j), encoding="utf-8")
                clear = check(str(recording.audio), str(official), CheckOptions(), cache=cache, engine=engine)
                found = [d for d in under_mark(clear) if d.reason == MARKED_CLEAR]
                row = {"recording": recording.name, "phrase": heard,
                       "clear_found": bool(found), "clear_confirmed": any(d.verdict == "confirmed" for d in found),
                       "lift": [d.evidence.get("mark_test", {}).get("lift") for d in under_mark(clear)]}
                start, end = base.rec_tokens[i].start - 0.1, base.rec_tokens[i + WORDS - 1].end + 0.1
                for db in args.noise_db:
                    wav = folder / f"{recording.name}-{n}-{db:g}.wav"
                    noisy_copy(audio, start, end, db, wav, seed=n)
                    result = check(str(wav), str(official), CheckOptions(min_shared=0.0), cache=cache, engine=engine)
                    raised = [d for d in under_mark(result) if d.reason == MARKED_CLEAR and d.is_alarm]
                    row[f"noise_{db:g}"] = bool(raised)
                    row[f"noise_{db:g}_heard"] = [d.rec_text for d in raised]
                    row[f"noise_{db:g}_right"] = any(_words(d.rec_text) == _words(heard) for d in raised)
                    row[f"noise_{db:g}_lift"] = [d.evidence.get("mark_test", {}).get("lift") for d in under_mark(result)]
                rows.append(row)
                print(row, flush=True)
    print()
    print(f"{'recording':34} {'phrases':>7} {'clear found':>11} {'confirmed':>9} "
          + " ".join(f"{'noise +' + format(db, 'g') + ' dB raised':>20}" for db in args.noise_db))
    for name in dict.fromkeys(r["recording"] for r in rows):
        mine = [r for r in rows if r["recording"] == name]
        print(f"{name:34} {len(mine):>7} {sum(r['clear_found'] for r in mine):>11} "
              f"{sum(r['clear_confirmed'] for r in mine):>9} "
              + " ".join(f"{sum(r[f'noise_{db:g}'] for r in mine):>20}" for db in args.noise_db))
    print(f"{'all':34} {len(rows):>7} {sum(r['clear_found'] for r in rows):>11} "
          f"{sum(r['clear_confirmed'] for r in rows):>9} "
          + " ".join(f"{sum(r[f'noise_{db:g}'] for r in rows):>20}" for db in args.noise_db))
    for db in args.noise_db:
        raised = [r for r in rows if r[f"noise_{db:g}"]]
        print(f"noise +{db:g} dB: {len(raised)} raised, of which {sum(r[f'noise_{db:g}_right'] for r in raised)} "
              "heard the very words under the noise")
    lifts = [x for r in rows for x in r["lift"] if x is not None]
    if lifts:
        print(f"lift of clear passages: median {statistics.median(lifts):.2f}, min {min(lifts):.2f}")
    print(f"{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
