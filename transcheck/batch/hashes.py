"""Input files' sha256, hashed again only when their size or modification time changed.

A batch rerun must tell which briefings are already done without reading every recording again:
as black's cache does, each file's size and mtime are checked first, and only a file whose
stat changed (or that was never seen) is hashed. The table lives next to the transcript cache.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Optional

from ..errors import OutputError
from ..fsutil import atomic_write

log = logging.getLogger("transcheck")

SCHEMA = "transcheck.file-hashes/1"
FILE_NAME = "batch-input-hashes.json"


class FileHashes:
    """sha256 by path, trusted while the file's size and mtime (nanoseconds) are those recorded."""

    def __init__(self, path: Optional[Path] = None) -> None:
        self.path = path
        self.entries: dict[str, list] = self._read() if path else {}
        self.changed = False
        self.hashed = 0  # files read in full by this instance

    def _read(self) -> dict[str, list]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return dict(data["files"]) if data.get("schema") == SCHEMA else {}
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            log.warning("the input hash table %s is damaged (%s); hashing the inputs again", self.path, exc)
            return {}

    def sha256(self, path: str) -> str:
        """The file's sha256, from the table when its size and mtime are unchanged."""
        key = os.path.abspath(path)
        stat = os.stat(key)
        entry = self.entries.get(key)
        if isinstance(entry, list) and len(entry) == 3 and entry[:2] == [stat.st_size, stat.st_mtime_ns]:
            return entry[2]
        from ..audio import file_sha256  # numpy: not before a worker has set its thread variables

        digest = file_sha256(key)
        self.hashed += 1
        self.entries[key] = [stat.st_size, stat.st_mtime_ns, digest]
        self.changed = True
        return digest

    def save(self) -> None:
        """Write the table back, merged with what another batch may have written meanwhile."""
        if not (self.path and self.changed):
            return
        merged = {**self._read(), **self.entries}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, json.dumps({"schema": SCHEMA, "files": merged}))
        except (OSError, OutputError) as exc:  # a table that cannot be written only costs time
            log.warning("cannot write the input hash table at %s (%s)", self.path, exc)
        self.changed = False
