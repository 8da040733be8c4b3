"""The batch's per-briefing outputs: where each report goes, when a briefing counts as done (resume),
writing and discarding its reports, and the lock that keeps one batch per output folder."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import OutputError
from ..fsutil import atomic_write
from ..schema import REPORT_SCHEMA
from .hashes import FileHashes
from .inputs import Job
from .types import Outcome, WorkSpec, job_options

log = logging.getLogger("transcheck")

LOCK_NAME = ".transcheck-batch.lock"
# Temporary files atomic_write leaves only when killed mid-write: `.<name>.<8 random>.tmp`.
STALE_TMP = re.compile(r"^\..+\.(html|json|jsonl|csv)\.[A-Za-z0-9_]{8}\.tmp$")
RUN_ONLY_SETTINGS = ("threads",)  # how fast, not what: a change does not make a report stale


def report_paths(out_dir: str | Path, job_id: str) -> tuple[Path, Path]:
    out = Path(out_dir)
    return out / f"{job_id}.html", out / f"{job_id}.json"


def is_complete(job: Job, spec: WorkSpec, hashes: FileHashes) -> bool:
    """Done: both reports exist, and the JSON records these inputs (by sha256) and these settings.

    The inputs' hashes come from `hashes`, which reads a file again only when its size or mtime changed.
    """
    html, js = report_paths(spec.out_dir, job.id)
    try:
        report = json.loads(js.read_text(encoding="utf-8")) if html.is_file() else None
        if not isinstance(report, dict) or report.get("schema") != REPORT_SCHEMA:
            return False
        if report.get("transcheck_version") != __version__:
            return False
        if _what_matters(report.get("settings")) != _what_matters(job_options(spec.options, job).to_dict()):
            return False
        if spec.embed_audio != _embeds_audio(html):  # --embed-audio given or dropped: render it again
            return False
        rec, off = report["recording"], report["official"]
        return (rec["path"] == job.recording and off["path"] == job.official
                and rec["sha256"] == hashes.sha256(job.recording) and off["sha256"] == hashes.sha256(job.official))
    except (OSError, ValueError, KeyError, TypeError):
        return False


def _embeds_audio(html: Path) -> bool:
    """Whether a report's player holds the recording itself (`--embed-audio`)."""
    return 'id="player" controls preload="metadata" src="data:' in html.read_text(encoding="utf-8")


def _what_matters(settings: Any) -> Any:
    if not isinstance(settings, dict):
        return settings
    return {k: v for k, v in settings.items() if k not in RUN_ONLY_SETTINGS}


def store(job: Job, outcome: Outcome, out_dir: str | Path) -> None:
    """Write the HTML, then the JSON; the JSON's presence is what marks the briefing done."""
    from ..report import write_json

    html, js = report_paths(out_dir, job.id)
    js.unlink(missing_ok=True)  # a stale report must not vouch for a new HTML if we stop between the two
    atomic_write(html, outcome.html or "")
    write_json(outcome.report or {}, js)


def discard(job: Job, out_dir: str | Path) -> None:
    """Remove a failed briefing's old reports: they no longer describe its inputs or settings."""
    for path in report_paths(out_dir, job.id):
        path.unlink(missing_ok=True)


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
