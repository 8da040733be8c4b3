"""Worker processes: each loads the recogniser once and runs `transcheck.pipeline.check` on the
checks the server queues, writing progress, the reports and the outcome through the Store.

A worker that dies costs only the check it held, which is marked failed; a fresh worker takes its
place. Workers leave as soon as the server is gone.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path
from typing import Any, Optional

from ..batch.local import threads_per_worker
from .store import Store

log = logging.getLogger("transcheck")

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
# share of the progress bar each stage ends at
STAGES = {"reading": 0.03, "transcribing": 0.80, "comparing": 0.95, "writing report": 0.99, "done": 1.0}


class WorkerPool:
    """`workers` processes fed from one queue of check ids; a monitor thread replaces dead ones."""

    def __init__(self, store: Store, workers: int, cache_dir: Optional[Path], use_cache: bool) -> None:
        import multiprocessing

        self.store, self.workers = store, workers
        self.args = (str(store.root), threads_per_worker(workers), str(cache_dir) if cache_dir else None, use_cache)
        self.context = multiprocessing.get_context("spawn")
        self.queue = self.context.Queue()
        self.processes: list[Any] = []
        self.stopping = threading.Event()
        self.monitor = threading.Thread(target=self._watch, daemon=True, name="transcheck-workers")

    def start(self) -> None:
        """Fail what a stopped server left running, start the workers, queue what was waiting."""
        for check_id in self.store.fail_running():
            log.warning("check %s was running when the server stopped: marked failed", check_id)
        self.processes = [self._spawn() for _ in range(self.workers)]
        for check_id in self.store.ids_with("queued"):
            self.submit(check_id)
        self.monitor.start()

    def submit(self, check_id: str) -> None:
        self.queue.put(check_id)

    def pids(self) -> list[int]:
        return [p.pid for p in self.processes]

    def stop(self) -> None:
        self.stopping.set()
        for process in self.processes:
            if process.is_alive():
                process.terminate()  # a check in progress is marked failed at the next start
        for process in self.processes:
            process.join(timeout=5)
        self.store.fail_running()
        self.queue.close()

    def _spawn(self):
        process = self.context.Process(target=worker_main, args=(*self.args, self.queue, os.getpid()),
                                       daemon=True, name="transcheck-serve-worker")
        process.start()
        return process

    def _watch(self) -> None:
        while not self.stopping.wait(0.5):
            for i, process in enumerate(self.processes):
                if process.is_alive() or self.stopping.is_set():
                    continue
                code = process.exitcode
                how = f"signal {-code}" if code is not None and code < 0 else f"exit status {code}"
                for check_id in self.store.fail_running(
                        f"the worker process died ({how}) while checking this recording; the file may crash "
                        "the decoder, or the machine ran out of memory", pid=process.pid):
                    log.warning("the worker checking %s died (%s)", check_id, how)
                self.processes[i] = self._spawn()


def worker_main(root: str, threads: int, cache_dir: Optional[str], use_cache: bool, queue, server_pid: int) -> None:
    """One worker: take check ids from the queue until told to stop (None) or the server is gone."""
    for name in THREAD_VARIABLES:  # before numpy or CTranslate2 are imported in this process
        os.environ[name] = str(threads)
    threading.Thread(target=_leave_with_server, args=(server_pid,), daemon=True).start()
    from ..cache import TranscriptCache

    store = Store(Path(root))
    cache = TranscriptCache(Path(cache_dir) if cache_dir else None) if use_cache else None
    engines: dict[Any, Any] = {}
    while True:
        try:
            check_id = queue.get()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if check_id is None:
            return
        run_check(store, check_id, threads, cache, engines)


def run_check(store: Store, check_id: str, threads: int, cache, engines: dict) -> None:
    """Run one queued check to `done` or `failed`; every failure becomes the check's one-line error."""
    from ..errors import TranscheckError
    from ..pipeline import check
    from ..report import write_html, write_json
    from .settings import check_options

    row = store.get(check_id)
    if row is None or row.status != "queued":
        return  # deleted meanwhile
    store.update(check_id, status="running", stage="reading", progress=0.0, worker_pid=os.getpid(),
                 started=time.time())
    folder = store.folder(check_id)
    recording, official = folder / row.recording_file, folder / row.official_file
    options = check_options(row.settings, row.title, row.date, threads)
    try:
        engine = _engine(engines, options)
        result = check(str(recording), str(official), options, cache=cache, engine=engine,
                       progress=_Progress(store, check_id))
        store.update(check_id, stage="writing report", progress=STAGES["comparing"])
        report = result.to_dict()
        write_json(report, folder / "report.json")
        write_html(report, folder / "report.html")
    except TranscheckError as exc:
        return _fail(store, check_id, _named(str(exc), row, folder))
    except MemoryError:
        return _fail(store, check_id, "out of memory; check a shorter recording or free memory")
    except Exception as exc:  # a library crash on one upload must not take the worker down
        log.debug("check %s failed", check_id, exc_info=True)
        return _fail(store, check_id, _named(f"{recording}: unexpected {type(exc).__name__}: {exc}", row, folder))
    store.update(check_id, status="done", stage="done", progress=1.0, finished=time.time(),
                 summary={**report["summary"], "duration": report["recording"]["duration"]})


class _Progress:
    """The pipeline's progress callback (stage, done, total), written to the index at most twice a second."""

    def __init__(self, store: Store, check_id: str) -> None:
        self.store, self.check_id, self.last = store, check_id, 0.0

    def __call__(self, stage: str, done: float, total: float) -> None:
        from ..pipeline import TRANSCRIBING, VERIFYING

        now = time.monotonic()
        if stage == TRANSCRIBING and done >= total:  # comparison and verification follow
            self.store.update(self.check_id, stage="comparing", progress=STAGES["transcribing"])
        elif now - self.last >= 0.5 and stage in (TRANSCRIBING, VERIFYING):
            self.last = now
            low, high = ((STAGES["reading"], STAGES["transcribing"]) if stage == TRANSCRIBING
                         else (STAGES["transcribing"], STAGES["comparing"]))
            self.store.update(self.check_id, stage="transcribing" if stage == TRANSCRIBING else "comparing",
                              progress=low + (high - low) * done / max(total, 1e-9))


def _engine(engines: dict, options):
    """The engine for these options, built once per worker (its model loads on first use)."""
    from ..engines import load_engine

    key = (options.engine, options.model, options.device, options.threads, options.decode)
    if key not in engines:
        engines[key] = load_engine(options)
    return engines[key]


def _named(message: str, row, folder: Path) -> str:
    """The message with the stored files called by the names they were uploaded under."""
    message = message.replace(str(folder / row.recording_file), row.recording_name)
    return message.replace(str(folder / row.official_file), row.official_name)


def _fail(store: Store, check_id: str, message: str) -> None:
    store.update(check_id, status="failed", stage="failed", error=message, finished=time.time())


def _leave_with_server(server_pid: int) -> None:
    while True:
        time.sleep(0.5)
        if os.getppid() != server_pid:
            os._exit(0)
