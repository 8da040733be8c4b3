"""What a finished check offers to download besides its JSON: the evidence pack (a zip of what
`transcheck evidence` writes), the PDF (what `transcheck render -o x.pdf` prints), and report.html
re-rendered with its reviews.

Each is built by the library code from the stored report.json with the reviews of the moment, in a
temporary folder outside the data folder, then copied into `checks/ID/downloads/` (beside, then
renamed: never half-written) under a name carrying a key of what it was made from (the reviews, the
options, the transcheck version). A changed review changes the key, so a stale file is never served;
the app also drops the files as soon as a review changes. The work is blocking: the app runs it in a
thread.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
import zipfile
from functools import cached_property
from pathlib import Path
from typing import Any, BinaryIO, Callable, Optional

from .. import __version__
from ..errors import OutputError
from .store import Check, Store

SUFFIXES = {"evidence": ".zip", "pdf": ".pdf", "report": ".html"}
CHUNK = 1024 * 1024
AT_ONCE = 2  # downloads built at the same time (each PDF starts a Chromium), beside the workers' checks


def slug(title: str) -> str:
    """A plain ASCII stem for a download's file name (the title is the user's text, never a path)."""
    return re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-")[:60].lower() or "check"


def key_of(report: dict[str, Any], *extra: Any) -> str:
    """What a download is made from: each discrepancy's review, the options, this version."""
    reviews = {d["id"]: d.get("review") for d in report["discrepancies"]}
    text = json.dumps([__version__, reviews, extra], sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


class Downloads:
    """The cached downloads of every check, one build at a time per check and kind."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._locks: dict[tuple[str, str], threading.Lock] = {}
        self._guard = threading.Lock()
        self._building = threading.BoundedSemaphore(AT_ONCE)

    @cached_property
    def pdf_missing(self) -> Optional[str]:
        """Why no PDF can be printed here (no Playwright, no Chromium), or None; asked once (it imports
        Playwright: read it from a thread)."""
        from ..chromium import INSTALL, missing

        why = missing()
        return f"the PDF needs headless Chromium, and {why}; {INSTALL}" if why else None

    def open(self, row: Check, kind: str, key: str, build: Callable[[Path], None]) -> BinaryIO:
        """The download `kind` made from `key`, opened for reading; built by `build(path)` if missing.
        LookupError when the check is deleted meanwhile."""
        path = self.store.folder(row.id) / "downloads" / f"{kind}-{key}{SUFFIXES[kind]}"
        with self._lock(row.id, kind):
            for _ in range(3):  # a review saved meanwhile may remove the file just built
                try:
                    return open(path, "rb")
                except FileNotFoundError:
                    self._build(path, kind, build)
        raise OutputError(f"{path.name}: removed while it was being made; ask for it again")

    def forget(self, check_id: str) -> None:
        """Drop the downloads of a check (its reviews changed)."""
        shutil.rmtree(self.store.folder(check_id) / "downloads", ignore_errors=True)

    def _lock(self, check_id: str, kind: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault((check_id, kind), threading.Lock())

    def _build(self, path: Path, kind: str, build: Callable[[Path], None]) -> None:
        with self._building, tempfile.TemporaryDirectory(prefix="transcheck-download-") as tmp:
            made = Path(tmp) / path.name
            build(made)
            try:
                path.parent.mkdir(exist_ok=True)
            except FileNotFoundError:
                raise LookupError(path.parent.parent.name) from None
            for old in path.parent.glob(f"{kind}-*{SUFFIXES[kind]}"):
                old.unlink(missing_ok=True)
            _copy_atomically(made, path)


def build_evidence(report: dict[str, Any], recording: Path, ids: tuple[str, ...], context: float,
                   top: str, target: Path) -> None:
    """The evidence pack as a zip: `top/` holding what `transcheck evidence` writes, and the
    report.json (with its reviews) it was cut from."""
    from ..evidence import EvidenceOptions, write_evidence
    from ..report import json_text

    folder = target.parent / top
    write_evidence(report, folder, EvidenceOptions(ids=ids, context=context, recording=str(recording)))
    (folder / "report.json").write_text(json_text(report), encoding="utf-8")
    with zipfile.ZipFile(target, "x") as pack:
        for item in sorted(folder.iterdir()):
            method = zipfile.ZIP_STORED if item.suffix == ".wav" else zipfile.ZIP_DEFLATED
            pack.write(item, f"{top}/{item.name}", compress_type=method)


def build_pdf(report: dict[str, Any], target: Path) -> None:
    from ..pdf import write_pdf

    write_pdf(report, target)


def build_report(report: dict[str, Any], beside: Path, target: Path) -> None:
    """report.html with the reviews, its recording linked as if it lay at `beside` (the check's own)."""
    from ..report import render_html

    target.write_text(render_html(report, beside), encoding="utf-8")


def chunks(handle: BinaryIO):
    """The file's bytes in pieces, for a streamed answer; the file is closed at the end."""
    with handle:
        while True:
            data = handle.read(CHUNK)
            if not data:
                return
            yield data


def _copy_atomically(source: Path, target: Path) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
            shutil.copyfileobj(src, out, CHUNK)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        os.unlink(tmp)
        raise
