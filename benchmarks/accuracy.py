"""Accuracy benchmark: known edits injected into the shared recordings' transcripts (issues 2, 3).

    python -m benchmarks.accuracy [--shared ../shared/speech] [--cache-dir DIR] [--no-verify-only]
                                  [--json PATH] [--gate FIGURES.json | --write-gate FIGURES.json]

Every case is checked without and with verification (each recording is transcribed once, then
taken from the transcript cache); the edits found, the false alarms per minute of audio and the
right kinds are printed as markdown next to a plain word diff, and every discrepancy, edit and
timing is written to a JSON file for calibration.
"""

from __future__ import annotations

import argparse
import json
import logging
import shlex
import shutil
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Optional, Sequence

from .cases import SEED, Case, Edit, all_cases
from .output import dump, markdown
from .scoring import (PLAIN, TOLERANCE, VERIFIED, WORD_DIFF, CaseRun, Finding, RecordingRun, distance,
                      score, word_diff)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = ROOT.parent / "shared" / "speech"
DEFAULT_RESULTS = ROOT / "benchmarks" / "results"

class TranscriptionTimes:
    """Seconds each recording took to transcribe, kept next to the transcript cache so a cached
    rerun still reports the time of the run that filled it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.data: dict[str, dict[str, float]] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.data = {}

    def get(self, key: str) -> Optional[dict[str, float]]:
        found = self.data.get(key)
        return found if isinstance(found, dict) else None

    def put(self, key: str, seconds: dict[str, float]) -> None:
        self.data[key] = {k: round(v, 3) for k, v in seconds.items()}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.data, indent=1, sort_keys=True), encoding="utf-8")


def _findings(discrepancies: Sequence, verified: bool) -> list[Finding]:
    return [Finding(d.off_start, d.off_end, d.kind, d.is_alarm if verified else d.severity == "substantive")
            for d in discrepancies]


def _masked(edits: Sequence[Edit], faithful: Optional[CaseRun]) -> list[bool]:
    """Edits placed where the faithful transcript already raised an alarm (found for free)."""
    if faithful is None:
        return [False] * len(edits)
    alarms = [f for f in faithful.findings[PLAIN] if f.alarm]
    return [any(distance(f.start, f.end, replace(e, start=e.orig_start, end=e.orig_end)) <= TOLERANCE
                for f in alarms) for e in edits]


def _same(a: Sequence, b: Sequence) -> bool:
    """The same discrepancies, leaving aside those a second hearing opened inside a passage."""
    key = lambda ds: [(d.id, d.kind, d.severity, d.off_start, d.off_end) for d in ds  # noqa: E731
                      if "opened_by" not in d.evidence.get("verification", {})]
    return key(a) == key(b)


class Checker:
    """Runs transcheck on the cases with one engine and one transcript cache, timing each stage."""

    def __init__(self, cache_dir: Path, threads: int = 0) -> None:
        from transcheck.cache import TranscriptCache
        from transcheck.engines import load_engine
        from transcheck.options import CheckOptions

        # the pairing is known (each case is its recording's own transcript): never refused as a mismatch
        self.options = CheckOptions(threads=threads, force=True)
        self.engine = load_engine(self.options)
        getattr(self.engine, "model", None)  # load the weights now, so no transcription time includes them
        self.cache = TranscriptCache(cache_dir)
        # verification is what is measured (its verdicts and its time): none is taken from a cache
        shutil.rmtree(Path(cache_dir) / "verdicts", ignore_errors=True)
        self.times = TranscriptionTimes(cache_dir / "transcription-times.json")
        self.recordings: dict[str, RecordingRun] = {}

    def _timed(self, audio: str, path: Path, verify: bool):
        """check() and the CPU seconds it took (all threads: steadier than wall time on a busy machine)."""
        from transcheck.pipeline import check

        cpu = time.process_time()
        result = check(audio, str(path), replace(self.options, verify=verify), cache=self.cache, engine=self.engine)
        return result, time.process_time() - cpu

    def __call__(self, case: Case, path: Path, verify: bool) -> CaseRun:
        audio = str(case.recording.audio)
        plain, plain_cpu = self._timed(audio, path, False)
        key = f"{plain.audio_sha256}:{self.engine.model_id}"
        first = plain
        if not plain.cached:  # the CPU cost of transcription: this run less a cached rerun
            first_cpu, (plain, plain_cpu) = plain_cpu, self._timed(audio, path, False)
            self.times.put(key, {"wall": first.timings["transcribe"], "cpu": first_cpu - plain_cpu})
        rec = self.recordings.setdefault(case.recording.name, RecordingRun(
            case.recording.name, audio, plain.duration, plain.transcript.model,
            [w.text for w in plain.transcript.words], self.times.get(key), first.cached))
        if not verify:
            return CaseRun(case, rec, plain.discrepancies, None, None)
        verified, verified_cpu = self._timed(audio, path, True)
        if not _same(plain.discrepancies, verified.discrepancies):
            print(f"warning: {case.id}: verification changed the discrepancies themselves", file=sys.stderr)
        spent = {"wall": verified.timings.get("verify", 0.0), "cpu": max(0.0, verified_cpu - plain_cpu)}
        return CaseRun(case, rec, plain.discrepancies, verified.discrepancies, spent)


def score_case(item: CaseRun, faithful: Optional[CaseRun], tolerance: int = TOLERANCE) -> CaseRun:
    """Score a checked case by every method; `faithful` is its recording's unedited case."""
    item.findings[WORD_DIFF] = word_diff(item.recording.heard, item.case.text)
    item.findings[PLAIN] = _findings(item.plain, verified=False)
    if item.verified is not None:
        item.findings[VERIFIED] = _findings(item.verified, verified=True)
    item.scores = {m: score(item.case.edits, f, tolerance) for m, f in item.findings.items()}
    item.masked = _masked(item.case.edits, faithful)
    return item


def run(shared: Path, cache_dir: Path, out_dir: Path, verify: bool = True, seed: int = SEED,
        tolerance: int = TOLERANCE, threads: int = 0) -> list[CaseRun]:
    """Check every case; return them scored."""
    cases = all_cases(shared, seed)
    if not cases:
        raise SystemExit(f"Error: no recordings with a transcript.txt under {shared}; pass --shared")
    checker = Checker(cache_dir, threads)
    case_dir = out_dir / "cases"
    case_dir.mkdir(parents=True, exist_ok=True)
    runs: list[CaseRun] = []
    faithful: dict[str, CaseRun] = {}
    for n, case in enumerate(cases, start=1):
        started = time.perf_counter()
        path = case_dir / f"{case.id.replace('/', '__')}.txt"
        path.write_text(case.text, encoding="utf-8")
        item = score_case(checker(case, path, verify), faithful.get(case.recording.name), tolerance)
        if case.faithful:
            faithful[case.recording.name] = item
        runs.append(item)
        print(f"[{n}/{len(cases)}] {case.id}: {len(item.plain)} discrepancies, "
              f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    return runs


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.accuracy", description=__doc__.splitlines()[0],
        epilog="example: python -m benchmarks.accuracy --shared ../shared/speech")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                        help="folder of recordings with transcript.txt (default: ../shared/speech)")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_RESULTS / "cache",
                        help="transcript cache; reuse it to skip transcription (default: benchmarks/results/cache)")
    parser.add_argument("--no-verify-only", action="store_true",
                        help="check without verification only (fast: no acoustic scoring)")
    parser.add_argument("--json", type=Path, default=DEFAULT_RESULTS / "accuracy.json",
                        help="where to write the full dump (default: benchmarks/results/accuracy.json)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"case generator seed (default: {SEED})")
    parser.add_argument("--tolerance", type=int, default=TOLERANCE,
                        help=f"characters between an edit and the difference that finds it (default: {TOLERANCE})")
    parser.add_argument("--threads", type=int, default=0, help="recogniser threads (default: the engine's choice)")
    parser.add_argument("--gate", type=Path, metavar="FIGURES",
                        help="exit 1 when verification regresses past these committed figures "
                             "(CI: benchmarks/accuracy_figures.json)")
    parser.add_argument("--write-gate", type=Path, metavar="FIGURES",
                        help="write this run's gated figures there (after a deliberate change)")
    args = parser.parse_args(argv)
    if (args.gate or args.write_gate) and args.no_verify_only:
        parser.error("--gate and --write-gate need verification; drop --no-verify-only")
    if not args.shared.is_dir():
        print(f"Error: {args.shared} is not a folder; pass --shared PATH to the shared recordings", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    command = " ".join(["python -m benchmarks.accuracy", *map(shlex.quote, sys.argv[1:] if argv is None else argv)])
    started = time.perf_counter()
    runs = run(args.shared, args.cache_dir, args.json.parent, not args.no_verify_only, args.seed, args.tolerance,
               args.threads)
    elapsed = time.perf_counter() - started
    report = dump(runs, command, args, elapsed)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    print(markdown(runs, report))
    print(f"\nFull dump: {args.json}", file=sys.stderr)
    return _gate(runs, report, args.gate, args.write_gate)


def _gate(runs: list[CaseRun], report: dict[str, Any], committed_path: Optional[Path],
          write_path: Optional[Path]) -> int:
    """Compare this run's gated figures with the committed ones (and/or write them)."""
    if not committed_path and not write_path:
        return 0
    from . import gate

    measured = gate.gate_figures(runs, report)
    committed = gate.committed_for(gate.read(committed_path), measured["runtime"]) if committed_path else None
    if committed:
        mine, theirs = gate.machine(measured["runtime"]), gate.machine(committed.get("runtime", {}))
        print(f"\nThis machine: {mine}; committed figures of: {theirs}"
              + ("" if mine == theirs else " (none committed for this machine)"), file=sys.stderr)
    print("\n" + gate.markdown(measured, committed))
    if write_path:
        gate.write(write_path, measured)
        print(f"Gated figures written to {write_path}", file=sys.stderr)
    bad = gate.regressions(measured, committed) if committed else []
    for line in bad:
        print(f"accuracy gate: regression: {line}", file=sys.stderr)
    if committed:
        print("accuracy gate: " + ("FAILED" if bad else "passed"), file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
