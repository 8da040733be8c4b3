"""Local executor: N worker processes, each loading the recogniser once and checking one briefing at a time.

Each worker talks to the driver over its own pipe: the driver sends a job, the worker answers with
transcription progress and then the outcome. A worker that dies (a crash in a decoder, a kill) costs
only the briefing it held, which is recorded as failed, and a fresh worker takes its place. Workers
leave as soon as the driver is gone, so a killed batch leaves no process behind.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterator, Optional, Sequence

from .inputs import Job
from .types import Outcome, WorkSpec
from .worker import check_one

log = logging.getLogger("transcheck")

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def cpu_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def threads_per_worker(workers: int) -> int:
    """Recogniser threads per worker so that `workers` processes share the cores without oversubscribing."""
    return max(1, cpu_cores() // max(1, workers))


class LocalExecutor:
    """`workers` processes on this machine, the cores split evenly between them."""

    def __init__(self, workers: int = 1) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        self.workers = workers
        if workers > cpu_cores():
            log.warning("%d workers on %d CPU cores: they will compete for the cores; fewer workers will "
                        "be as fast", workers, cpu_cores())

    def run(self, jobs: Sequence[Job], spec: WorkSpec,
            on_audio: Callable[[str, float], None]) -> Iterator[Outcome]:
        if not jobs:
            return
        import multiprocessing
        from multiprocessing.connection import wait

        threads = spec.options.threads or threads_per_worker(self.workers)
        spec = replace(spec, options=replace(spec.options, threads=threads))
        context = multiprocessing.get_context("spawn")
        queue = deque(jobs)
        pool: list[_Worker] = []
        try:
            for _ in range(min(self.workers, len(jobs))):
                pool.append(_Worker.start(context, spec))
            for worker in pool:
                worker.give(queue.popleft())
            while any(w.job for w in pool):
                busy = [w for w in pool if w.job]
                wait([w.conn for w in busy] + [w.process.sentinel for w in busy])
                for worker in busy:
                    outcome = worker.read(on_audio)
                    if outcome is None:
                        continue
                    yield outcome
                    if worker.process.is_alive() and not outcome.fatal:
                        if queue:
                            worker.give(queue.popleft())
                    elif queue:
                        pool[pool.index(worker)] = worker = _Worker.start(context, spec)
                        worker.give(queue.popleft())
        finally:
            for worker in pool:
                worker.stop()


@dataclass
class _Worker:
    process: Any
    conn: Any
    job: Optional[Job] = None

    @classmethod
    def start(cls, context, spec: WorkSpec) -> "_Worker":
        parent, child = context.Pipe()
        process = context.Process(target=_worker_main, args=(child, spec, os.getpid()), daemon=True,
                                  name="transcheck-worker")
        with _ctrl_c_ignored():  # inherited from its very start: Ctrl-C is the driver's to handle, never a
            process.start()      # worker's (no tracebacks from half-started workers, no leaked semaphores)
        child.close()
        return cls(process, parent)

    def give(self, job: Job) -> None:
        self.job = job
        self.conn.send(job)

    def read(self, on_audio: Callable[[str, float], None]) -> Optional[Outcome]:
        """Handle what this worker sent; its outcome when it finished its job or died doing it."""
        job = self.job
        if job is None:
            return None
        try:
            while self.conn.poll():
                kind, payload = self.conn.recv()
                if kind == "audio":
                    on_audio(job.id, payload)
                else:
                    self.job = None
                    return payload
        except (EOFError, OSError):
            pass
        if self.process.is_alive():
            return None
        self.process.join()
        self.job = None
        code = self.process.exitcode
        how = f"signal {-code}" if code is not None and code < 0 else f"exit status {code}"
        log.warning("the worker checking %s died (%s)", job.id, how)
        return Outcome(job.id, error=f"{job.recording}: the worker process died ({how}) while checking it; "
                       "the file may crash the decoder, or the machine ran out of memory",
                       error_type="WorkerDied")

    def stop(self) -> None:
        """An idle worker is told to leave; a busy one (the batch was interrupted) is stopped at once."""
        if self.job is not None:
            self.process.terminate()
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout=5)
        self.conn.close()


@contextlib.contextmanager
def _ctrl_c_ignored():
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: nothing to change
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _worker_main(conn, spec: WorkSpec, driver_pid: int) -> None:
    """A worker: load the engine once, then check each job the driver sends until told to stop."""
    for name in THREAD_VARIABLES:  # before numpy or CTranslate2 are imported in this process
        os.environ[name] = str(spec.options.threads)
    # stopped by the driver (an interrupted batch): leave through Python's exit, which releases the
    # semaphores this process made (else the resource tracker warns of leaked ones)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    threading.Thread(target=_leave_with_driver, args=(driver_pid,), daemon=True).start()
    from ..engines import load_engine
    from ..errors import TranscheckError

    try:
        engine = load_engine(spec.options)  # the model itself loads on the first job, once
    except TranscheckError:
        engine = None  # each check tries again and reports the error as fatal
    cache = spec.cache()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if job is None:
            return
        sent = [0.0]

        def progress(stage: str, done: float, total: float) -> None:
            if stage == "transcribing" and (done - sent[0] >= 1.0 or done >= total):
                sent[0] = done
                conn.send(("audio", done))

        try:
            conn.send(("done", check_one(job, spec, engine, cache, progress)))
        except (OSError, KeyboardInterrupt):
            return


def _leave_with_driver(driver_pid: int) -> None:
    """Exit at once when the driver is gone (killed), rather than finish work nobody will collect."""
    while True:
        time.sleep(0.5)
        if os.getppid() != driver_pid:
            os._exit(0)
