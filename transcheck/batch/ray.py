"""Ray executor: one task per briefing on an existing Ray cluster (or a local Ray), results back to the driver.

Every node must see the recordings and transcripts at the same paths (shared storage) and have
transcheck installed; the driver writes all outputs, so the output folder need only exist here.
Ray is an optional extra: `pip install 'transcheck[ray]'`.
"""

from __future__ import annotations

import logging
import math
from dataclasses import replace
from typing import Callable, Iterator, Optional, Sequence

from ..errors import TranscheckError
from .inputs import Job
from .types import Outcome, WorkSpec
from .worker import check_one

log = logging.getLogger("transcheck")

_ENGINES: dict = {}  # per Ray worker process: the engine loaded once, reused by every task it runs


class RayExecutor:
    """Submit each briefing as a Ray task needing `cpus_per_task` CPUs and `gpus_per_task` GPUs."""

    def __init__(self, address: Optional[str] = None, cpus_per_task: float = 1.0,
                 gpus_per_task: float = 0.0) -> None:
        if cpus_per_task <= 0 or gpus_per_task < 0:
            raise ValueError(f"cpus per task must be positive and gpus per task not negative, "
                             f"not {cpus_per_task} and {gpus_per_task}")
        self.address, self.cpus, self.gpus = address, cpus_per_task, gpus_per_task
        self.ray = import_ray()  # fail before any work when Ray is missing

    def run(self, jobs: Sequence[Job], spec: WorkSpec,
            on_audio: Callable[[str, float], None]) -> Iterator[Outcome]:
        if not jobs:
            return
        ray = self.ray
        options = spec.options
        if not options.threads:
            options = replace(options, threads=max(1, math.floor(self.cpus)))
        if self.gpus > 0 and options.device == "cpu":
            options = replace(options, device="cuda")
        spec = replace(spec, options=options)
        started = _connect(ray, self.address)
        task = ray.remote(_ray_task).options(num_cpus=self.cpus, num_gpus=self.gpus, max_retries=1,
                                             retry_exceptions=False)
        shared = ray.put(spec)
        submitted = {task.remote(job, shared): job for job in jobs}
        pending = list(submitted)
        try:
            while pending:
                ready, pending = ray.wait(pending, num_returns=1)
                for ref in ready:
                    yield _collect(ray, ref, submitted[ref])
        finally:
            for ref in pending:
                ray.cancel(ref, force=True)
            if started:
                ray.shutdown()


def import_ray():
    try:
        import ray
    except ImportError:
        raise TranscheckError("the Ray executor needs Ray, which is not installed; run "
                              "`pip install 'transcheck[ray]'`, or use --executor local") from None
    return ray


def _connect(ray, address: Optional[str]) -> bool:
    """Join the cluster at `address` (None: start Ray on this machine); True when we started it."""
    if ray.is_initialized():
        return False
    try:
        ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        where = address or "this machine"
        raise TranscheckError(f"cannot start or reach Ray at {where} ({exc}); start the cluster with "
                              "`ray start --head`, or check --address") from None
    return True


def _collect(ray, ref, job: Job) -> Outcome:
    try:
        return ray.get(ref)
    except ray.exceptions.RayError as exc:
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[-1][:300]
        log.warning("the Ray task for %s failed: %s", job.id, reason)
        return Outcome(job.id, error=f"{job.recording}: the Ray task failed ({type(exc).__name__}: {reason}); "
                       "check that every node sees the file at this path", error_type=type(exc).__name__)


def _ray_task(job: Job, spec: WorkSpec) -> Outcome:
    from ..engines import load_engine

    engine = _ENGINES.get(spec.options)
    if engine is None:
        engine = _ENGINES[spec.options] = load_engine(spec.options)
    return check_one(job, spec, engine, spec.cache())
