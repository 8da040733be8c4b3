"""The batch driver: decide what is still to do, hand it to an executor, store results as they come.

A briefing is done when its JSON report exists and records the same input sha256s and settings;
the rest goes to an executor (local processes or Ray), and each briefing's HTML and then its JSON
are written atomically as results come back, so an interrupted batch leaves only complete reports.
The index and summaries are written at the end.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from pathlib import Path
from typing import Optional

from ..audio import probe_duration
from ..errors import ModelError, OutputError
from .index import fail_on_counts, write_index
from .inputs import BatchInputs, Job, Skipped
from .outputs import OutputLock, discard, is_complete, store
from .types import BatchProgress, BatchResult, Executor, Failure, WorkSpec

log = logging.getLogger("transcheck")


def run_batch(inputs: BatchInputs, spec: WorkSpec, executor: Executor,
              progress: Optional[BatchProgress] = None, title: Optional[str] = None) -> BatchResult:
    """Check every job not already done; write reports as they come, then the index (headed `title`)
    and summaries."""
    from ..engines import load_engine

    started = time.perf_counter()
    load_engine(spec.options)  # a wrong --model or --engine stops here, before any work (no weights loaded)
    out = Path(spec.out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out}: cannot create the output folder ({exc.strerror}); choose another -o") from None
    with OutputLock(out):
        hashes = spec.hashes()
        done_before = [job for job in inputs.jobs if is_complete(job, spec, hashes)]
        hashes.save()
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
        rows = write_index(inputs, result, title)
        result = replace(result, counts=fail_on_counts(rows), not_followed=tuple(
            r["id"] for r in rows if r["status"] == "ok" and not r["recording_followed"]))
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
