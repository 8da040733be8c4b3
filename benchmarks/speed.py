"""Speed benchmark: transcription real-time factor and memory of both engines, the stages after it,
and how alignment time grows with the length of a briefing.

    python benchmarks/speed.py                          # both engines, the shared recordings, 3 runs
    python benchmarks/speed.py --runs 5 --engines faster-whisper --json out/speed.json

1. Transcription: each engine runs in its own process (so its peak memory is its own) over the
   same recordings (../shared/speech), the cache off; per recording the median of --runs runs.
   Real-time factor = seconds of processing per second of audio; the ratio is openai / faster.
2. After transcription, from the cached transcript: decoding the audio, normalise + align +
   classify, and acoustic verification, each in seconds per second of audio (median of --runs).
   The official text is the recording's reference transcript with edits injected, so there are
   discrepancies to verify.
3. Alignment against transcript length: synthetic briefings of 1k to 20k words made of the
   reference sentences, with edits injected; median of --runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Optional

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "speech"
ENGINES = ("faster-whisper", "openai-whisper")
LENGTHS = (1000, 5000, 10000, 20000)
AUDIO = {".flac", ".mp3", ".wav", ".m4a", ".ogg", ".opus", ".mp4"}
EDIT_RATE = 0.03  # per word, for each of: a changed word, an omitted run, an inserted phrase
INSERTS = ("the council rejected the proposal", "as we said last week", "budget talks",
           "aid workers left the region", "and that is final")


def recordings(folder: Path) -> list[tuple[Path, Path]]:
    """(audio, reference transcript) of each recording folder, in name order."""
    found = []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []:
        audio = [p for p in sorted(sub.iterdir()) if p.suffix.lower() in AUDIO]
        if audio and (sub / "transcript.txt").is_file():
            found.append((audio[0], sub / "transcript.txt"))
    return found


def inject_edits(words: list[str], rng: random.Random, rate: float = EDIT_RATE) -> list[str]:
    """The published side of a briefing: some words changed, some runs left out, phrases added."""
    out: list[str] = []
    i = 0
    while i < len(words):
        roll = rng.random()
        if roll < rate:  # a changed word
            out.append(rng.choice(("announced", "rejected", "fourteen", "northern", "never")))
        elif roll < 2 * rate:  # 2 to 6 words left out
            i += rng.randint(2, 6)
            continue
        elif roll < 3 * rate:  # a phrase that was never said
            out.extend([*rng.choice(INSERTS).split(), words[i]])
        else:
            out.append(words[i])
        i += 1
    return out


def median_seconds(fn: Callable[[], Any], runs: int, cpu: Optional[list] = None) -> tuple[float, Any]:
    """Median wall-clock seconds of `runs` calls (and, into `cpu`, the median CPU seconds of all threads)."""
    times, cpu_times, value = [], [], None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        value = fn()
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - start_cpu)
    if cpu is not None:
        cpu.append(statistics.median(cpu_times))
    return statistics.median(times), value


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


# ---------------------------------------------------------------------------------------------
# One engine, in its own process

def worker(engine_name: str, files: list[tuple[Path, Path]], runs: int, threads: int) -> dict[str, Any]:
    from transcheck.audio import load_audio
    from transcheck.cache import TranscriptCache, cache_key
    from transcheck.engines import load_engine
    from transcheck.normalize import normalize_recording
    from transcheck.options import CheckOptions
    from transcheck.pipeline import check

    options = CheckOptions(engine=engine_name, threads=threads)
    engine = load_engine(options)
    load, _ = median_seconds(lambda: engine.model, 1)
    first = load_audio(files[0][0])
    warm = replace(first, samples=first.samples[:5 * first.sample_rate])
    first_call, _ = median_seconds(lambda: engine.transcribe(warm), 1)  # one-off costs (JIT, allocators)
    result: dict[str, Any] = {"engine": engine_name, "model": engine.model_id, "load_s": load,
                              "first_call_5s_audio_s": first_call, "rss_after_load_mib": peak_rss_mib(),
                              "recordings": []}
    with tempfile.TemporaryDirectory() as tmp:
        cache = TranscriptCache(Path(tmp) / "cache")
        for audio_path, reference in files:
            audio = load_audio(audio_path)
            cpu: list[float] = []
            seconds, transcript = median_seconds(lambda: engine.transcribe(audio), runs, cpu)
            cache.put(cache_key(audio.sha256, engine.name, engine.model_id, options.decode.to_dict(), engine.runtime),
                      transcript)
            words = reference.read_text(encoding="utf-8").split()
            official = Path(tmp) / f"{audio_path.parent.name}.txt"
            official.write_text(" ".join(inject_edits(words, random.Random(audio_path.parent.name))),
                                encoding="utf-8")
            stages = []
            for _ in range(runs):
                checked = check(str(audio_path), str(official), replace(options, force=True),
                                cache=cache, engine=engine)
                stages.append(checked.timings)
            substantive = sum(d.severity == "substantive" for d in checked.discrepancies)
            result["recordings"].append({
                "name": audio_path.parent.name, "duration_s": audio.duration, "transcribe_s": seconds,
                "transcribe_cpu_s": cpu[0],
                "words": len(transcript.words), "substantive_discrepancies": substantive,
                "heard": [t.norm for t in normalize_recording(transcript) if not t.filler],
                **{f"{stage}_s": statistics.median(t.get(stage, 0.0) for t in stages)
                   for stage in ("decode_audio", "compare", "verify")},
            })
            print(f"  {engine_name}: {audio_path.parent.name} done", file=sys.stderr)
    result["peak_rss_mib"] = peak_rss_mib()
    return result


def run_worker(engine_name: str, files: list[tuple[Path, Path]], runs: int, threads: int) -> Optional[dict]:
    """The worker for one engine in a child process; None when that engine cannot run here."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", engine_name, "--runs", str(runs),
               "--threads", str(threads), "--", *[f"{a}::{t}" for a, t in files]]
    print(f"transcribing with {engine_name} ...", file=sys.stderr)
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    if done.returncode != 0:
        print(f"{engine_name} could not run (exit {done.returncode}); skipped", file=sys.stderr)
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------
# Alignment against transcript length (no engine)

def synthetic_briefing(n_words: int, sentences: list[list[str]], seed: int):
    from transcheck.models import Transcript, Word
    from transcheck.sources import official_from_text

    rng = random.Random(seed)
    heard: list[str] = []
    while len(heard) < n_words:
        heard.extend(rng.choice(sentences))
    heard = heard[:n_words]
    transcript = Transcript(tuple(Word(w, round(i * 0.35, 3), round(i * 0.35 + 0.3, 3), 0.9)
                                  for i, w in enumerate(heard)), n_words * 0.35, "en", "synthetic", "none")
    return transcript, official_from_text(" ".join(inject_edits(heard, rng)))


def alignment_scaling(files: list[tuple[Path, Path]], runs: int) -> list[dict[str, Any]]:
    import re

    from transcheck.align import align_tokens
    from transcheck.normalize import normalize_official, normalize_recording
    from transcheck.options import CheckOptions
    from transcheck.pipeline import compare

    text = " ".join(t.read_text(encoding="utf-8") for _, t in files) or (
        "We have received nine allegations this year. The council will meet on Tuesday. "
        "Aid has reached the northern camps. The road to the border is open again.")
    sentences = [s.split() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 3]
    rows = []
    for n in LENGTHS:
        transcript, official = synthetic_briefing(n, sentences, seed=n)
        rec, off = normalize_recording(transcript), normalize_official(official)
        align_s, ops = median_seconds(lambda: align_tokens(rec, off), runs)
        compare_s, (_, _, _, found) = median_seconds(lambda: compare(official, transcript, CheckOptions()), runs)
        rows.append({"words": n, "official_words": len(off), "align_s": align_s, "compare_s": compare_s,
                     "ops": len(ops), "discrepancies": len(found)})
        print(f"  alignment: {n} words done", file=sys.stderr)
    return rows


# ---------------------------------------------------------------------------------------------
# Report

def _rtf(rec: dict, key: str) -> float:
    return rec[key] / rec["duration_s"]


def _wer(reference: list[str], other: list[str]) -> float:
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(reference, other) / max(1, len(reference))


def _total_rtf(result: dict, key: str) -> float:
    return sum(r[key] for r in result["recordings"]) / sum(r["duration_s"] for r in result["recordings"])


def markdown(results: dict[str, dict], scaling: list[dict], command: str, runs: int, threads: int) -> str:
    lines = [f"Command: `{command}`", "",
             f"Machine: {os.cpu_count()} CPUs ({platform.processor() or platform.machine()}), "
             f"{threads or 'default'} threads per engine; median of {runs} runs; transcript cache off "
             f"for transcription; load average at the end {os.getloadavg()[0]:.1f} (other work slows every "
             "figure).", ""]
    if results:
        lines += ["### Transcription", "",
                  "| engine | audio (s) | real-time factor (wall) | CPU s per audio s | load (s) "
                  "| first call, 5 s audio (s) | peak memory (MiB) |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        for name, res in results.items():
            audio = sum(r["duration_s"] for r in res["recordings"])
            lines.append(f"| {name} | {audio:.1f} | {_total_rtf(res, 'transcribe_s'):.3f} | "
                         f"{_total_rtf(res, 'transcribe_cpu_s'):.3f} | {res['load_s']:.2f} | "
                         f"{res['first_call_5s_audio_s']:.2f} | {res['peak_rss_mib']:.0f} |")
        if len(results) == 2:
            fw, oa = results["faster-whisper"], results["openai-whisper"]
            ratio = _total_rtf(oa, "transcribe_s") / _total_rtf(fw, "transcribe_s")
            cpu_ratio = _total_rtf(oa, "transcribe_cpu_s") / _total_rtf(fw, "transcribe_cpu_s")
            lines += ["", f"openai-whisper / faster-whisper: **{ratio:.2f}x** the processing time "
                          f"({cpu_ratio:.2f}x the CPU time); {oa['peak_rss_mib'] / fw['peak_rss_mib']:.2f}x "
                          "the peak memory.", "",
                      "| recording | audio (s) | faster-whisper RTF | openai-whisper RTF | ratio "
                      "| word error rate between them |",
                      "|---|---:|---:|---:|---:|---:|"]
            for a, b in zip(fw["recordings"], oa["recordings"]):
                lines.append(f"| {a['name']} | {a['duration_s']:.1f} | {_rtf(a, 'transcribe_s'):.3f} | "
                             f"{_rtf(b, 'transcribe_s'):.3f} | {b['transcribe_s'] / a['transcribe_s']:.2f} | "
                             f"{_wer(a['heard'], b['heard']):.1%} |")
        lines += ["", "### After transcription (seconds per second of audio)", "",
                  "| engine | decode audio | normalise + align + classify | verification | substantive discrepancies verified |",
                  "|---|---:|---:|---:|---:|"]
        for name, res in results.items():
            count = sum(r["substantive_discrepancies"] for r in res["recordings"])
            lines.append(f"| {name} | {_total_rtf(res, 'decode_audio_s'):.4f} | {_total_rtf(res, 'compare_s'):.4f} | "
                         f"{_total_rtf(res, 'verify_s'):.3f} | {count} |")
    lines += ["", "### Alignment against transcript length (synthetic, edits injected)", "",
              "| words heard | official words | align (s) | normalise + align + classify (s) | ms per 1,000 words |",
              "|---:|---:|---:|---:|---:|"]
    for row in scaling:
        lines.append(f"| {row['words']:,} | {row['official_words']:,} | {row['align_s']:.3f} | "
                     f"{row['compare_s']:.3f} | {1000 * row['compare_s'] / (row['words'] / 1000):.1f} |")
    return "\n".join(lines)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; the median is reported")
    parser.add_argument("--engines", default=",".join(ENGINES), help="comma-separated engines to time")
    parser.add_argument("--recordings", type=Path, default=SHARED, help="folder of recording folders")
    parser.add_argument("--threads", type=int, default=0, help="CPU threads per engine (0: the engines' default)")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("files", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    if args.worker:
        files = [tuple(Path(p) for p in f.split("::")) for f in args.files]
        print(json.dumps(worker(args.worker, files, args.runs, args.threads)))
        return 0
    files = recordings(args.recordings)
    if not files:
        print(f"no recordings under {args.recordings}: transcription figures skipped", file=sys.stderr)
    results = {}
    for name in args.engines.split(",") if files else []:
        outcome = run_worker(name.strip(), files, args.runs, args.threads)
        if outcome:
            results[name.strip()] = outcome
    scaling = alignment_scaling(files, args.runs)
    command = "python benchmarks/speed.py " + " ".join(argv if argv is not None else sys.argv[1:])
    print(markdown(results, scaling, command.strip(), args.runs, args.threads))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"runs": args.runs, "engines": results, "alignment": scaling}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
