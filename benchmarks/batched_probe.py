"""Probe: where does batched decoding's speed come from on this CPU? (issue 19, step 1)

    python -m benchmarks.batched_probe --minutes 5 --repeats 3

The shared recordings (../shared/speech), a second of silence after each, looped to --minutes; the
reference is their transcripts repeated to match. One process, the model loaded once (tiny.en int8,
--threads CPU threads); each repeat runs every mode once, in turn, so load from other work on the
machine falls on all alike. Per mode: wall and process CPU seconds (median over repeats, and the
median of the per-repeat ratios to `bare`), words, and WER against the reference (both sides
through transcheck's normaliser, fillers left out; Levenshtein distance over words / reference words).

Modes:
- check: `transcheck check` as it is today (sequential, cache off, verification on) against the
  reference, in a child process (its CPU time is the child's); its stage timings are printed too;
- bare: faster-whisper's sequential `WhisperModel.transcribe` over the whole recording as transcheck
  decodes (beam 5, temperature 0 only, word timestamps, no previous-text prompt, no VAD);
- pipe8 / pipe4 / pipe2: `BatchedInferencePipeline`, batch 8 / 4 / 2, on windows cut at pauses
  (clip_timestamps), word timestamps, without timestamp tokens (its default);
- pipe8_ts: the same, batch 8, with timestamp tokens;
- win_nots: `WhisperModel.transcribe` over the same windows one at a time, without timestamp tokens,
  no previous-text prompt (so each window is decoded exactly once);
- win_ts: the same with timestamp tokens (the model may stop early and seek back inside a window);
- bare+unheard, pipe8+unheard, pipe4+unheard: as `check` does after transcription, the speech
  stretches the first pass gave no words (Silero VAD, transcheck.unheard) decoded again: one at a
  time after bare, in batches of 8 / 4 after pipe8 / pipe4.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable, Optional

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "speech"
MODES = ("check", "bare", "pipe8", "pipe4", "pipe2", "pipe8_ts", "win_nots", "win_ts",
         "bare+unheard", "pipe8+unheard", "pipe4+unheard")


def loop(folder: Path, minutes: float) -> tuple[np.ndarray, str, list[tuple[str, float, float, str]]]:
    """The shared recordings in name order, one second of silence after each, looped to `minutes`;
    the reference text; each recording's (name, start s, end s, reference) in the first copy."""
    from benchmarks.speed import recordings
    from transcheck.audio import SAMPLE_RATE, load_audio

    files = recordings(folder)
    if not files:
        raise SystemExit(f"Error: no recordings with a transcript.txt under {folder}; pass --recordings")
    parts, parts_at, pos = [], [], 0
    for audio, ref in files:
        clip = load_audio(audio).samples
        parts += [clip, np.zeros(SAMPLE_RATE, np.float32)]
        parts_at.append((audio.parent.name, pos / SAMPLE_RATE, (pos + len(clip)) / SAMPLE_RATE,
                         ref.read_text(encoding="utf-8").strip()))
        pos += len(clip) + SAMPLE_RATE
    unit = np.concatenate(parts)
    text = "\n\n".join(p[3] for p in parts_at)
    copies = max(1, int(np.ceil(minutes * 60 * SAMPLE_RATE / len(unit))))
    return np.tile(unit, copies), "\n\n".join([text] * copies), parts_at


def _cpu() -> float:
    """CPU seconds of this process and of its finished children."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def pause_windows(samples: np.ndarray, rate: int, length: float = 30.0, search: float = 6.0) -> list[tuple[int, int]]:
    """Back-to-back sample ranges of at most `length` s, each ending in the quietest 100 ms of its last `search` s."""
    hop, size, reach = rate // 10, int(length * rate), int(search * rate)
    spans, start, n = [], 0, len(samples)
    while n - start > size:
        lo, hi = start + size - reach, start + size
        frames = samples[lo:hi][: (hi - lo) // hop * hop].reshape(-1, hop)
        end = lo + int(np.argmin((frames.astype(np.float64) ** 2).mean(axis=1))) * hop + hop // 2
        spans.append((start, end))
        start = end
    spans.append((start, n))
    return spans


def normalised(words: list[str]) -> list[str]:
    from transcheck.models import Transcript, Word
    from transcheck.normalize import normalize_recording

    transcript = Transcript(tuple(Word(w, float(i), float(i) + 0.5, 1.0) for i, w in enumerate(words)),
                            float(len(words) + 1), "en", "probe", "probe")
    return [t.norm for t in normalize_recording(transcript) if not t.filler]


def errors(words: list[str], reference: str) -> dict[str, float]:
    """WER of `words` against `reference`, with its substitutions, deletions and insertions."""
    from rapidfuzz.distance import Levenshtein

    from transcheck.normalize import normalize_official
    from transcheck.sources import official_from_text

    printed = [t.norm for t in normalize_official(official_from_text(reference)) if not t.filler]
    ops = Levenshtein.editops(printed, normalised(words))
    count = {tag: sum(op.tag == tag for op in ops) for tag in ("replace", "delete", "insert")}
    return {"wer": len(ops) / max(1, len(printed)), "sub": count["replace"], "del": count["delete"],
            "ins": count["insert"], "ref": len(printed)}


def check_call(samples: np.ndarray, reference: str, workdir: Path, threads: int, timings: list) -> Callable:
    """`transcheck check` (sequential, cache off, verification on) on the loop in a child process; the
    words heard; the report's stage timings appended to `timings`."""
    from benchmarks.long_recording import write_wav

    wav, txt, report = write_wav(workdir / "loop.wav", samples), workdir / "loop.txt", workdir / "loop.json"
    txt.write_text(reference + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "transcheck.cli", "check", str(wav), str(txt), "--no-cache", "-q", "--force",
               "--threads", str(threads), "--json", str(report), "-o", str(workdir / "loop.html")]

    def run():
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        data = json.loads(report.read_text(encoding="utf-8"))
        timings.append(data["timings"])
        return [(r["text"], r["start"]) for w in data["words"] if (r := w["recording"])]
    return run


def decoders(model: Any, samples: np.ndarray, spans: list[tuple[int, int]], beam: int) -> dict[str, Callable]:
    """Each mode as a call giving the words heard."""
    from faster_whisper import BatchedInferencePipeline

    from transcheck.engines.base import looped

    rate = 16000
    common = dict(language="en", beam_size=beam, temperature=[0.0], word_timestamps=True)
    clips = [{"start": a / rate, "end": b / rate} for a, b in spans]
    pipeline = BatchedInferencePipeline(model)

    def words(segments, offset: float = 0.0) -> list[tuple[str, float]]:
        # as transcheck takes them: a segment failing the compression-ratio test is not taken as heard
        return [(w.word.strip(), w.start + offset) for s in segments if not looped(s.text, 2.4)
                for w in (s.words or ()) if w.word.strip()]

    def bare():
        segments, _ = model.transcribe(samples, condition_on_previous_text=False, vad_filter=False, **common)
        return words(segments)

    def pipe(batch: int, without_timestamps: bool = True):
        def run():
            segments, _ = pipeline.transcribe(samples, clip_timestamps=clips, batch_size=batch,
                                              without_timestamps=without_timestamps, **common)
            return words(segments)
        return run

    def windows(without_timestamps: bool):
        def run():
            out: list[tuple[str, float]] = []
            for a, b in spans:
                segments, _ = model.transcribe(samples[a:b], condition_on_previous_text=False, vad_filter=False,
                                               without_timestamps=without_timestamps, **common)
                out.extend(words(segments, a / rate))
            return out
        return run

    def unheard(first: Callable, batch: int = 0):
        """`first`, then the speech it gave no words (transcheck's hear_unheard) decoded again: one
        stretch at a time as transcheck does (batch 0), or all of them in batches."""
        from transcheck.models import Word
        from transcheck.unheard import speech_spans, without_words

        def run():
            heard = first()
            audio = SimpleNamespace(samples=samples, sample_rate=rate)
            stretches = [(a, min(b, a + 30.0)) for a, b in without_words(
                speech_spans(audio), [Word(w, t, t + 0.3, 1.0) for w, t in heard])]
            if not stretches:  # (an empty clip list would make the pipeline run its own VAD over everything)
                added = []
            elif batch:
                clips_again = [{"start": a, "end": b} for a, b in stretches]
                segments, _ = pipeline.transcribe(samples, clip_timestamps=clips_again, batch_size=batch, **common)
                added = words(segments)
            else:
                added = [w for a, b in stretches for w in words(model.transcribe(
                    samples[int(a * rate):int(b * rate)], condition_on_previous_text=False, vad_filter=False,
                    **common)[0], a)]
            return sorted(heard + added, key=lambda w: w[1])
        return run

    return {"bare": bare, "pipe8": pipe(8), "pipe4": pipe(4), "pipe2": pipe(2), "pipe8_ts": pipe(8, False),
            "win_nots": windows(True), "win_ts": windows(False),
            "bare+unheard": unheard(bare), "pipe8+unheard": unheard(pipe(8), 8), "pipe4+unheard": unheard(pipe(4), 4)}


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0, help="loop the recordings to at least this long")
    parser.add_argument("--repeats", type=int, default=3, help="runs of every mode; medians are reported")
    parser.add_argument("--threads", type=int, default=2, help="CTranslate2 CPU threads")
    parser.add_argument("--beam", type=int, default=5)
    parser.add_argument("--window", type=float, default=30.0, help="longest window (s)")
    parser.add_argument("--modes", default=",".join(MODES), help="comma-separated subset of: " + ", ".join(MODES))
    parser.add_argument("--recordings", type=Path, default=SHARED, help="folder of recording folders")
    parser.add_argument("--json", type=Path, help="also write every measurement here")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from faster_whisper import WhisperModel

    from transcheck.engines.faster_whisper import bundled_model_path

    samples, reference, parts = loop(args.recordings, args.minutes)
    spans = pause_windows(samples, 16000, args.window)
    model = WhisperModel(str(bundled_model_path()), device="cpu", compute_type="int8", cpu_threads=args.threads)
    model.transcribe(samples[:5 * 16000], language="en")  # one-off costs
    modes = [m for m in MODES if m in args.modes.split(",")]
    calls = decoders(model, samples, spans, args.beam)
    timings: list[dict] = []
    runs: dict[str, list[dict]] = {m: [] for m in modes}
    heard: dict[str, list[tuple[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="batched-probe-") as tmp:
        calls["check"] = check_call(samples, reference, Path(tmp), args.threads, timings)
        for r in range(args.repeats):
            for mode in modes:
                start, cpu = time.perf_counter(), _cpu()
                heard[mode] = calls[mode]()
                wall, cpu = time.perf_counter() - start, _cpu() - cpu
                runs[mode].append({"wall_s": wall, "cpu_s": cpu, "words": len(heard[mode]),
                                   **errors([w for w, _ in heard[mode]], reference)})
                print(f"  repeat {r + 1} {mode}: {wall:.1f} s wall, {cpu:.1f} s CPU, {len(heard[mode])} words, "
                      f"WER {runs[mode][-1]['wer']:.3f}", file=sys.stderr, flush=True)
    duration = len(samples) / 16000
    command = "python -m benchmarks.batched_probe " + " ".join(argv if argv is not None else sys.argv[1:])
    print(f"Command: `{command.strip()}`\n\n{duration / 60:.1f} min of audio, {len(spans)} windows cut at pauses "
          f"(longest {max(b - a for a, b in spans) / 16000:.1f} s); tiny.en int8, {args.threads} thread(s), "
          f"beam {args.beam}; {os.cpu_count()} CPUs, load average at the end {os.getloadavg()[0]:.1f}; "
          f"medians of {args.repeats} repeats (ratios: median of the per-repeat ratios).\n")
    print("| mode | wall (s) | CPU (s) | wall / bare | CPU / bare | words | WER | sub / del / ins |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    base = runs.get("bare")
    for mode in modes:
        rows = runs[mode]
        med = {k: statistics.median(x[k] for x in rows) for k in rows[0]}
        def ratio(k: str) -> str:
            return f"{statistics.median(x[k] / b[k] for x, b in zip(rows, base)):.2f}" if base else "-"
        print(f"| {mode} | {med['wall_s']:.1f} | {med['cpu_s']:.1f} | {ratio('wall_s')} | {ratio('cpu_s')} | "
              f"{med['words']:.0f} | {med['wer']:.3f} | {med['sub']:.0f} / {med['del']:.0f} / {med['ins']:.0f} |")
    if timings:
        stages = {k: statistics.median(t.get(k, 0.0) for t in timings) for k in ("transcribe", "verify")}
        print(f"\ncheck's own stage timings (median): transcribe {stages['transcribe']:.1f} s, "
              f"verify {stages['verify']:.1f} s")
    print("\nPer recording (first copy, last repeat): words heard, WER (sub / del / ins)\n")
    print("| recording | reference words | " + " | ".join(modes) + " |")
    print("|---|---:|" + "---|" * len(modes))
    for name, lo, hi, text in parts:
        cells = []
        for mode in modes:
            inside = [w for w, t in heard[mode] if lo - 0.5 <= t < hi + 0.5]
            e = errors(inside, text)
            cells.append(f"{len(inside)}, {e['wer']:.2f} ({e['sub']}/{e['del']}/{e['ins']})")
        print(f"| {name} | {errors([], text)['ref']} | " + " | ".join(cells) + " |")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"command": command, "duration_s": duration, "windows": len(spans),
                                         "runs": runs}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
