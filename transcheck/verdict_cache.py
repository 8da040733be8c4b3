"""The audio check's verdicts cached beside the transcripts, so an unchanged re-check does not redo them.

A small entry of its own (not part of the transcript's): keyed by everything the verdicts depend
on, namely the audio, the recogniser and how it decodes, both token streams, the discrepancies
found in them, the official text, and the code that judges them.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict
from pathlib import Path
from typing import Optional, Sequence

from . import __version__
from .errors import OutputError
from .fsutil import atomic_write
from .models import Discrepancy, OfficialText, Token

log = logging.getLogger("transcheck")

VERDICT_SCHEMA = "transcheck.verdicts/2"  # 2: the verified discrepancies themselves
_JUDGES = Path(__file__).resolve().parent / "verify"  # the rules themselves: a changed threshold invalidates


def _code_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(_JUDGES.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def verdict_key(audio_sha256: str, engine, discrepancies: Sequence[Discrepancy], rec: Sequence[Token],
                off: Sequence[Token], official: OfficialText) -> str:
    """A stable hash of everything that decides the verdicts."""
    material = json.dumps({
        "schema": VERDICT_SCHEMA, "version": __version__, "code": _code_digest(),
        "audio": audio_sha256, "engine": engine.name, "model": engine.model_id, "device": engine.options.device,
        "decode": engine.options.decode.to_dict(), "runtime": getattr(engine, "runtime", None),
        "official": [official.sha256, official.format, len(official.text)],
        "discrepancies": [d.to_dict() for d in discrepancies],
        "rec": [asdict(t) for t in rec], "off": [asdict(t) for t in off],
    }, sort_keys=True, default=str)
    return hashlib.sha256(material.encode()).hexdigest()


class VerdictCache:
    """One JSON file per key under `<cache>/verdicts/`; a damaged entry counts as a miss."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory) / "verdicts"

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> Optional[tuple[Discrepancy, ...]]:
        path = self._path(key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("schema") != VERDICT_SCHEMA or data.get("key") != key:
                raise ValueError("schema or key mismatch")
            return tuple(Discrepancy.from_dict(d) for d in data["discrepancies"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            log.warning("verdict cache entry %s is damaged (%s); checking against the audio again", path, exc)
            return None

    def put(self, key: str, discrepancies: Sequence[Discrepancy]) -> None:
        """Keep the verified discrepancies (verdicts, evidence and the candidates a second hearing opened)."""
        path = self._path(key)
        payload = {"schema": VERDICT_SCHEMA, "key": key, "discrepancies": [d.to_dict() for d in discrepancies]}
        try:
            atomic_write(path, json.dumps(payload))
        except (OSError, OutputError) as exc:  # a cache that cannot be written only costs time
            log.warning("cannot write the verdict cache at %s (%s)", path, exc)
