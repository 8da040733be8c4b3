"""Transcripts cached on disk, keyed by audio content, engine, model, options and version."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Optional

from . import __version__
from .errors import OutputError
from .fsutil import atomic_write
from .models import Transcript

log = logging.getLogger("transcheck")

CACHE_SCHEMA = "transcheck.transcript/2"  # 2: the runtime is part of the key


def default_cache_dir() -> Path:
    base = os.environ.get("TRANSCHECK_CACHE_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "transcheck"


def cache_key(audio_sha256: str, engine: str, model_id: str, options: dict, runtime: dict) -> str:
    """A stable hash of everything that decides what the recogniser hears: the audio, the engine,
    its weights, the decoding options and the runtime (library versions, compute type, CPU)."""
    material = json.dumps(
        {"audio": audio_sha256, "engine": engine, "model": model_id, "options": options,
         "runtime": runtime, "version": __version__, "schema": CACHE_SCHEMA},
        sort_keys=True,
    )
    return hashlib.sha256(material.encode()).hexdigest()


class TranscriptCache:
    """One JSON file per key; a damaged or foreign entry counts as a miss and is rebuilt."""

    def __init__(self, directory: Optional[Path] = None) -> None:
        self.directory = Path(directory) if directory else default_cache_dir()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> Optional[Transcript]:
        path = self._path(key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("schema") != CACHE_SCHEMA or data.get("key") != key:
                raise ValueError("schema or key mismatch")
            return Transcript.from_dict(data["transcript"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("cache entry %s is damaged (%s); transcribing again", path, exc)
            return None

    def put(self, key: str, transcript: Transcript) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            payload = {"schema": CACHE_SCHEMA, "key": key, "transcript": transcript.to_dict()}
            atomic_write(path, json.dumps(payload))
        except (OSError, OutputError) as exc:  # a cache that cannot be written only costs time
            log.warning("cannot write the transcript cache at %s (%s)", path, exc)

    def discard(self, key: str) -> None:
        """Remove an entry if present (the pieces of a long transcript, once the whole is cached)."""
        try:
            self._path(key).unlink(missing_ok=True)
        except OSError as exc:
            log.debug("cannot remove cache entry %s (%s)", self._path(key), exc)
