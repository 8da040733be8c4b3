"""The JSON report (schema `transcheck.report/1`): written from a CheckResult, read back as a Report.

Everything that writes the report (`check --json`, a batch) and everything that reads it back
(`render`, the batch index, resume) goes through this module, so both sides agree on its shape
and every reader applies the same rules (Discrepancy.is_alarm) to what it finds there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .classify import word_stream
from .coverage import Coverage
from .errors import InputError
from .models import AlignmentOp, Discrepancy, OfficialText, Token, Transcript
from .options import CheckOptions

REPORT_SCHEMA = "transcheck.report/1"


@dataclass(frozen=True)
class CheckResult:
    """Everything a check found, and everything needed to reproduce it."""

    audio_path: str
    audio_sha256: str
    duration: float
    channels: int
    official: OfficialText
    transcript: Transcript
    rec_tokens: tuple[Token, ...]
    off_tokens: tuple[Token, ...]
    ops: tuple[AlignmentOp, ...]
    discrepancies: tuple[Discrepancy, ...]
    summary: dict[str, Any]
    options: CheckOptions
    timings: dict[str, float] = field(default_factory=dict, hash=False)
    cached: bool = False
    coverage: Coverage = field(default_factory=Coverage)
    sample_rate: int = 0  # the recording's own, for evidence clips
    verdicts_cached: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The JSON report (schema `transcheck.report/1`)."""
        return {
            "schema": REPORT_SCHEMA,
            "transcheck_version": __version__,
            "title": self.options.title or self.official.title,
            "date": self.options.date or self.official.date,
            "recording": {"path": self.audio_path, "sha256": self.audio_sha256,
                          "duration": round(self.duration, 3), "channels": self.channels,
                          "sample_rate": self.sample_rate},
            "official": self.official.to_dict(),
            "engine": {"name": self.transcript.engine, "model": self.transcript.model,
                       "options": self.transcript.options, "language": self.transcript.language,
                       "runtime": self.transcript.runtime},
            "settings": self.options.to_dict(),
            # about this run only (so reruns give identical reports apart from this field)
            "timings": {**{k: round(v, 3) for k, v in self.timings.items()}, "transcript_cached": self.cached,
                        "verdicts_cached": self.verdicts_cached},
            "summary": self.summary,
            "coverage": self.coverage.to_dict(),
            "discrepancies": [d.to_dict() for d in self.discrepancies],
            "words": word_stream(self.rec_tokens, self.off_tokens, self.ops, self.discrepancies, self.coverage),
        }


@dataclass(frozen=True)
class Report:
    """A JSON report read back: the document as written, and its discrepancies as Discrepancy objects."""

    data: dict[str, Any]
    discrepancies: tuple[Discrepancy, ...]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Report":
        return cls(data, tuple(Discrepancy.from_dict(d) for d in data["discrepancies"]))

    @property
    def alarms(self) -> list[Discrepancy]:
        return [d for d in self.discrepancies if d.is_alarm]

    @property
    def current(self) -> bool:
        """Written by this version of transcheck, in this schema (a batch resumes only such reports)."""
        return self.data.get("schema") == REPORT_SCHEMA and self.data.get("transcheck_version") == __version__


def load_report(path: Path) -> dict[str, Any]:
    """Read a JSON report written by `check`, refusing anything else with a clear message."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such report; pass the JSON written by `transcheck check --json`") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a transcheck JSON report ({exc}); pass the file written by "
                         "`transcheck check --json`") from None
    if not isinstance(data, dict) or not str(data.get("schema", "")).startswith("transcheck.report/"):
        raise InputError(f"{path}: not a transcheck JSON report (no schema field); pass the file "
                         "written by `transcheck check --json`")
    return data
