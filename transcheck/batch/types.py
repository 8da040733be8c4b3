"""The types the batch's modules pass between them: what a worker is given, what it gives back, how a
run ended, and the two protocols (executor, progress display) the driver is handed."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Protocol, Sequence

from ..options import CheckOptions
from .inputs import Job, Skipped


@dataclass(frozen=True)
class WorkSpec:
    """What every worker needs besides its job: the settings, the transcript cache, the output folder."""

    options: CheckOptions
    out_dir: str
    cache_dir: Optional[str] = None  # None: the default cache folder
    use_cache: bool = True
    embed_audio: bool = False  # each HTML report holds its recording

    def cache(self):
        from ..cache import TranscriptCache

        return TranscriptCache(Path(self.cache_dir) if self.cache_dir else None) if self.use_cache else None

    def hashes(self):
        """The input hash table for resuming, next to the transcript cache (in memory only without one)."""
        from ..cache import default_cache_dir
        from .hashes import FILE_NAME, FileHashes

        if not self.use_cache:
            return FileHashes()
        return FileHashes((Path(self.cache_dir) if self.cache_dir else default_cache_dir()) / FILE_NAME)


def job_options(options: CheckOptions, job: Job) -> CheckOptions:
    """The batch settings with this briefing's title and date."""
    return replace(options, title=job.title, date=job.date)


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
    # per checked briefing (this run or before): (id, substantive alarms, discrepancies that are not
    # recognition errors), for --fail-on
    counts: tuple[tuple[str, int, int], ...] = ()
    # checked briefings whose recording the recogniser cannot follow: nothing in them was checked
    not_followed: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.failures

    def flagged(self, fail_on: str) -> list[str]:
        """The briefings that `--fail-on substantive|any` fails on (none for `never`)."""
        column = {"substantive": 1, "any": 2}.get(fail_on)
        return [c[0] for c in self.counts if column and c[column]]


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
