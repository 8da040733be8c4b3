"""One briefing, as a worker checks it: any failure becomes an Outcome, never an exception."""

from __future__ import annotations

import logging
import time

from ..errors import ModelError, TranscheckError
from .inputs import Job
from .outputs import report_paths
from .types import Outcome, WorkSpec, job_options

log = logging.getLogger("transcheck")


def check_one(job: Job, spec: WorkSpec, engine, cache, progress=None) -> Outcome:
    """Check one briefing and render its HTML; any failure becomes an Outcome, never an exception."""
    from ..pipeline import check
    from ..report import render_html

    started = time.perf_counter()
    try:
        result = check(job.recording, job.official, job_options(spec.options, job), cache=cache,
                       progress=progress, engine=engine)
        report = result.to_dict()
        html = render_html(report, report_paths(spec.out_dir, job.id)[0], embed_audio=spec.embed_audio)
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
