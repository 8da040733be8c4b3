"""Many briefings: run `check` on every job of a batch, resume what was done, record what failed.

The driver decides what is still to do (a briefing is done when its JSON report exists and records
the same input sha256s and settings), hands the rest to an executor (local processes or Ray), and
writes each briefing's HTML and then its JSON atomically as results come back, so an interrupted
batch leaves only complete reports. The index and summaries are written at the end.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Protocol, Sequence

from . import __version__
from .batch_inputs import BatchInputs, Job, Skipped
from .errors import ModelError, OutputError, TranscheckError
from .fsutil import atomic_write
from .options import CheckOptions

log = logging.getLogger("transcheck")

LOCK_NAME = ".transcheck-batch.lock"
# Temporary files atomic_write leaves only when killed mid-write: `.<name>.<8 random>.tmp`.
STALE_TMP = re.compile(r"^\..+\.(html|json|jsonl|csv)\.[A-Za-z0-9_]{8}\.tmp$")
RUN_ONLY_SETTINGS = ("threads",)  # how fast, not what: a change does not make a report stale


@dataclass(frozen=True)
class WorkSpec:
    """What every worker needs besides its job: the settings, the transcript cache, the output folder."""

    options: CheckOptions
    out_dir: str
    cache_dir: Optional[str] = None  # None: the default cache folder
    use_cache: bool = True

    def cache(self):
        from .cache import TranscriptCache

        return TranscriptCache(Path(self.cache_dir) if self.cache_dir else None) if self.use_cache else None


@dataclass(frozen=True)
class Outcome:
    """What checking one briefing gave: the report and its HTML, or the reason it failed."""

    id: str
    report: Optional[dict[str, Any]] = None
    html: Optional[str] = None
    error: Optional[str] = None
    error_type: Optional[str] = None
    fatal: bool = False  # the failure is the set-up's (model), not the briefing's: stop the batch
    duration: float = 0.0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class Failure:
    """A briefing that produced no report, and why."""

    id: Optional[str]
    recording: str
    official: Optional[str]
    error: str
    error_type: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "recording": self.recording, "official": self.official,
                "error_type": self.error_type, "error": self.error}


@dataclass(frozen=True)
class BatchResult:
    """How a batch run ended: which briefings were already done, done now, or failed."""

    out_dir: str
    jobs: tuple[Job, ...]
    done_before: tuple[str, ...]
    done_now: tuple[str, ...]
    failures: tuple[Failure, ...]
    unpaired: tuple[Skipped, ...]
    seconds: float = 0.0
    audio_seconds: float = 0.0  # audio checked in this run

    @property
    def ok(self) -> bool:
        return not self.failures


class Executor(Protocol):
    """Runs jobs somewhere and yields their outcomes as they finish, in any order."""

    def run(self, jobs: Sequence[Job], spec: WorkSpec,
            on_audio: Callable[[str, float], None]) -> Iterator[Outcome]:
        """`on_audio(job_id, seconds)` reports how far transcription of a running job has got."""


class BatchProgress(Protocol):
    """What a progress display is told; the library never prints."""

    def start(self, briefings: int, audio_seconds: float, done_before: int) -> None: ...

    def advance(self, audio_seconds: float) -> None: ...

    def finished(self, job: Job, outcome: Outcome) -> None: ...


# ---------------------------------------------------------------------------------------------
# One briefing (runs in a worker)


def job_options(options: CheckOptions, job: Job) -> CheckOptions:
    """The batch settings with this briefing's title and date."""
    return replace(options, title=job.title, date=job.date)


def check_one(job: Job, spec: WorkSpec, engine, cache, progress=None) -> Outcome:
    """Check one briefing and render its HTML; any failure becomes an Outcome, never an exception."""
    from .pipeline import check
    from .report import render_html

    started = time.perf_counter()
    try:
        result = check(job.recording, job.official, job_options(spec.options, job), cache=cache,
                       progress=progress, engine=engine)
        report = result.to_dict()
        html = render_html(report, report_paths(spec.out_dir, job.id)[0])
    except ModelError as exc:
        return Outcome(job.id, error=str(exc), error_type="ModelError", fatal=True)
    except TranscheckError as exc:
        return Outcome(job.id, error=str(exc), error_type=type(exc).__name__)
    except Exception as exc:  # a library crash on one briefing must not stop the others
        log.debug("%s failed", job.id, exc_info=True)
        return Outcome(job.id, error=f"{job.recording}: unexpected {type(exc).__name__}: {exc}",
                       error_type=type(exc).__name__)
    return Outcome(job.id, report=report, html=html, duration=result.duration,
                   seconds=time.perf_counter() - started)


# ---------------------------------------------------------------------------------------------
# Outputs and resume


def report_paths(out_dir: str | Path, job_id: str) -> tuple[Path, Path]:
    out = Path(out_dir)
    return out / f"{job_id}.html", out / f"{job_id}.json"


def is_complete(job: Job, spec: WorkSpec) -> bool:
    """Done: both reports exist, and the JSON records these inputs (by sha256) and these settings."""
    from .audio import file_sha256
    from .pipeline import REPORT_SCHEMA

    html, js = report_paths(spec.out_dir, job.id)
    try:
        report = json.loads(js.read_text(encoding="utf-8")) if html.is_file() else None
        if not isinstance(report, dict) or report.get("schema") != REPORT_SCHEMA:
            return False
        if report.get("transcheck_version") != __version__:
            return False
        if _what_matters(report.get("settings")) != _what_matters(job_options(spec.options, job).to_dict()):
            return False
        rec, off = report["recording"], report["official"]
        return (rec["path"] == job.recording and off["path"] == job.official
                and rec["sha256"] == file_sha256(job.recording) and off["sha256"] == file_sha256(job.official))
    except (OSError, ValueError, KeyError, TypeError):
        return False


def _what_matters(settings: Any) -> Any:
    if not isinstance(settings, dict):
        return settings
    return {k: v for k, v in settings.items() if k not in RUN_ONLY_SETTINGS}


def store(job: Job, outcome: Outcome, out_dir: str | Path) -> None:
    """Write the HTML, then the JSON; the JSON's presence is what marks the briefing done."""
    from .report import write_json

    html, js = report_paths(out_dir, job.id)
    js.unlink(missing_ok=True)  # a stale report must not vouch for a new HTML if we stop between the two
    atomic_write(html, outcome.html or "")
    write_json(outcome.report or {}, js)


def discard(job: Job, out_dir: str | Path) -> None:
    """Remove a failed briefing's old reports: they no longer describe its inputs or settings."""
    for path in report_paths(out_dir, job.id):
        path.unlink(missing_ok=True)


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


# ---------------------------------------------------------------------------------------------
# The driver


class OutputLock:
    """One batch at a time per output folder; stale temporary files are removed once it is held."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / LOCK_NAME
        self.handle = None

    def __enter__(self) -> "OutputLock":
        self.handle = open(self.path, "a")
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks; run one batch per folder
            return self
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self.handle.close()
            raise OutputError(f"{self.path.parent}: another transcheck batch is writing here; wait for it "
                              "to finish or choose another -o folder") from None
        for item in self.path.parent.iterdir():
            if STALE_TMP.match(item.name):
                log.info("removing %s, left by an interrupted run", item)
                item.unlink(missing_ok=True)
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.handle:
            self.handle.close()


def run_batch(inputs: BatchInputs, spec: WorkSpec, executor: Executor,
              progress: Optional[BatchProgress] = None) -> BatchResult:
    """Check every job not already done; write reports as they come, then the index and summaries."""
    from .batch_index import write_index
    from .engines import load_engine

    started = time.perf_counter()
    load_engine(spec.options)  # a wrong --model or --engine stops here, before any work (no weights loaded)
    out = Path(spec.out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out}: cannot create the output folder ({exc.strerror}); choose another -o") from None
    with OutputLock(out):
        done_before = [job for job in inputs.jobs if is_complete(job, spec)]
        finished = {job.id for job in done_before}
        todo = [job for job in inputs.jobs if job.id not in finished]
        if done_before:
            log.info("%d of %d briefings are already done; skipping them", len(done_before), len(inputs.jobs))
        lengths = {job.id: probe_duration(job.recording) for job in todo}
        todo.sort(key=lambda job: -lengths[job.id])  # longest first: workers finish together
        if progress:
            progress.start(len(todo), sum(lengths.values()), len(done_before))
        done_now, failures, audio = _run_jobs(todo, spec, executor, lengths, progress)
        order = {job.id: k for k, job in enumerate(inputs.jobs)}
        failures.sort(key=lambda f: order[f.id])
        failures = [_refusal(s) for s in inputs.refused] + failures
        result = BatchResult(str(out), inputs.jobs, tuple(j.id for j in done_before), tuple(done_now),
                             tuple(failures), inputs.unpaired, time.perf_counter() - started, audio)
        write_index(inputs, result)
    return result


def _run_jobs(todo: list[Job], spec: WorkSpec, executor: Executor, lengths: dict[str, float],
              progress: Optional[BatchProgress]) -> tuple[list[str], list[Failure], float]:
    by_id = {job.id: job for job in todo}
    credited: dict[str, float] = {}

    def on_audio(job_id: str, seconds: float) -> None:
        step = min(seconds, lengths.get(job_id, 0.0)) - credited.get(job_id, 0.0)
        if step > 0 and progress:
            credited[job_id] = credited.get(job_id, 0.0) + step
            progress.advance(step)

    done: list[str] = []
    failures: list[Failure] = []
    audio = 0.0
    outcomes = executor.run(todo, spec, on_audio)
    try:
        for outcome in outcomes:
            job = by_id[outcome.id]
            if outcome.fatal:
                raise ModelError(outcome.error or "the model could not be loaded")
            if outcome.ok:
                store(job, outcome, spec.out_dir)
                log.debug("%s: %.1f s of audio checked in %.1f s", job.id, outcome.duration, outcome.seconds)
                done.append(job.id)
                audio += outcome.duration
            else:
                discard(job, spec.out_dir)
                failures.append(Failure(job.id, job.recording, job.official, outcome.error or "",
                                        outcome.error_type or "Error"))
                log.info("%s failed: %s", job.id, outcome.error)
            if progress:
                progress.advance(lengths[job.id] - credited.get(job.id, 0.0))
                credited[job.id] = lengths[job.id]
                progress.finished(job, replace(outcome, report=None, html=None))
    finally:
        close = getattr(outcomes, "close", None)
        if close:
            close()
    return done, failures, audio


def _refusal(entry: Skipped) -> Failure:
    return Failure(entry.id, entry.path, entry.official, entry.reason, "InputError")


def cpu_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def threads_per_worker(workers: int) -> int:
    """Recogniser threads per worker so that `workers` processes share the cores without oversubscribing."""
    return max(1, cpu_cores() // max(1, workers))
