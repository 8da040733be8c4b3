"""Batch throughput: audio hours checked per wall-clock hour with 1 and with 2 local workers.

The same archive (real recordings from ../shared/speech, each with its reference transcript) is
checked by `transcheck batch` in a fresh process with a fresh transcript cache every time, so each
run loads the model and transcribes everything; the wall time includes start-up, as a user sees it.
Three set-ups: 1 worker with the default threads (all the cores), 1 worker with one thread, and
2 workers (one thread each, the default split on 2 cores). Runs rotate through them so drift in
machine load hits all alike; the table shows medians and the ratios of the medians: 2 workers
against 1 worker of the same thread count (how the workers scale) and against the 1-worker default
(what a user gains over a single worker that already uses every core).

    python -m benchmarks.batch --runs 3
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEECH = ROOT.parent / "shared" / "speech"
# ~3.6 min of speech in five recordings of 11-72 s
RECORDINGS = ("ljspeech_seven_wonders_reading", "librivox_shakespeare_sonnet001",
              "mfa_two_channel_two_sessions", "mfa_acoustic_corpus_disfluent", "jfk_inaugural_excerpt")
AUDIO_EXTENSIONS = (".mp3", ".flac", ".wav")


def build_archive(speech: Path, folder: Path) -> float:
    """Copy each recording and its transcript into `folder` as a pair; the total audio seconds."""
    from transcheck.audio import load_audio

    total = 0.0
    for name in RECORDINGS:
        source = speech / name
        audio = next(p for p in sorted(source.iterdir()) if p.suffix in AUDIO_EXTENSIONS)
        shutil.copyfile(audio, folder / f"{name}{audio.suffix}")
        shutil.copyfile(source / "transcript.txt", folder / f"{name}.txt")
        total += load_audio(audio).duration
    return total


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(archive: Path, workers: int, extra: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one `transcheck batch` with `workers` workers, fresh cache and output folder."""
    with tempfile.TemporaryDirectory(prefix="transcheck-bench-") as scratch:
        command = [sys.executable, "-m", "transcheck.cli", "batch", str(archive), "-o", f"{scratch}/out",
                   "--workers", str(workers), "--cache-dir", f"{scratch}/cache", "-q", *extra]
        started, cpu = time.perf_counter(), cpu_seconds()
        done = subprocess.run(command, capture_output=True, text=True)
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
        if done.returncode != 0:
            raise SystemExit(f"batch with {workers} worker(s) failed ({done.returncode}):\n{done.stderr}")
    return seconds, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per worker count (median reported)")
    parser.add_argument("--no-verify", action="store_true", help="skip acoustic verification in the checks")
    args = parser.parse_args(argv)
    if not SPEECH.is_dir():
        raise SystemExit(f"{SPEECH} is not present; it holds the recordings this benchmark uses")
    extra = ["--no-verify"] if args.no_verify else []
    from transcheck.batch.local import cpu_cores, threads_per_worker

    with tempfile.TemporaryDirectory(prefix="transcheck-archive-") as folder:
        archive = Path(folder)
        audio = build_archive(SPEECH, archive)
        setups = {"1 worker": (1, []), "1 worker, --threads 1": (1, ["--threads", "1"]), "2 workers": (2, [])}
        walls: dict[str, list[float]] = {name: [] for name in setups}
        cpus: dict[str, list[float]] = {name: [] for name in setups}
        loads = []
        names = list(setups)
        for k in range(args.runs):
            for name in names[k % len(names):] + names[:k % len(names)]:
                workers, more = setups[name]
                loads.append(os.getloadavg()[0])
                wall, cpu = run_once(archive, workers, extra + more)
                walls[name].append(wall)
                cpus[name].append(cpu)
                print(f"run {k + 1}: {name} {wall:.1f} s wall, {cpu:.1f} s CPU", file=sys.stderr)
    print(f"command: python -m benchmarks.batch {' '.join(argv if argv is not None else sys.argv[1:])}".rstrip())
    print(f"each run: transcheck batch ARCHIVE -o OUT --workers N --cache-dir FRESH -q {' '.join(extra)}".rstrip())
    print(f"{len(RECORDINGS)} recordings, {audio:.1f} s of audio; {cpu_cores()} CPU cores; {args.runs} run(s) each")
    print(f"1-minute load average at the start of each run: {', '.join(f'{x:.1f}' for x in loads)} "
          "(other work on the machine slows every set-up)\n")
    print("| set-up | workers | threads each | wall s (median) | wall s, each run | CPU s (median) | audio h per wall h |")
    print("|---|---|---|---|---|---|---|")
    rates = {}
    for name, seconds in walls.items():
        workers, more = setups[name]
        median = statistics.median(seconds)
        rates[name] = audio / median
        runs = ", ".join(f"{s:.1f}" for s in seconds)
        threads = more[1] if more else threads_per_worker(workers)
        print(f"| {name} | {workers} | {threads} | {median:.1f} | {runs} | "
              f"{statistics.median(cpus[name]):.1f} | {rates[name]:.2f} |")
    print(f"\nthroughput ratio, 2 workers / 1 worker of one thread: "
          f"{rates['2 workers'] / rates['1 worker, --threads 1']:.2f}x (how workers scale)")
    print(f"throughput ratio, 2 workers / 1 worker with every core: {rates['2 workers'] / rates['1 worker']:.2f}x "
          "(the gain over the single-worker default)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
