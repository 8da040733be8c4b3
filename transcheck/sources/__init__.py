"""Official-transcript readers, one per format, behind one entry point: read_official()."""

from __future__ import annotations

import hashlib
import importlib
import logging
from pathlib import Path
from typing import Callable, Optional

from ..errors import OfficialTextError
from ..models import OfficialText
from .annotate import annotate_all
from .base import Extracted
from .detect import EXTENSIONS
from .detect import detect_format as _detect

log = logging.getLogger("transcheck")

MAX_BYTES = 200 * 1024 * 1024

# format name -> "module:function"; modules are imported only when their format is read.
READERS: dict[str, str] = {
    "text": "transcheck.sources.text:read_text",
    "markdown": "transcheck.sources.text:read_text",
    "pdf": "transcheck.sources.pdf:read_pdf",
    "html": "transcheck.sources.webpage:read_html",
    "mhtml": "transcheck.sources.webpage:read_mhtml",
    "docx": "transcheck.sources.word:read_docx",
    "vtt": "transcheck.sources.captions:read_captions",
    "srt": "transcheck.sources.captions:read_captions",
}


def detect_format(path: Path, head: bytes) -> str:
    """Tell the format from the file's first bytes, falling back to its extension."""
    return _detect(path, head, set(READERS))


def read_official(path: str | Path, fmt: Optional[str] = None) -> OfficialText:
    """Read an official transcript in any supported format into an annotated OfficialText."""
    path = Path(path)
    if not path.exists():
        raise OfficialTextError(f"{path}: no such official transcript; check the path")
    if path.is_dir():
        raise OfficialTextError(f"{path}: is a directory; pass the official transcript file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise OfficialTextError(f"{path}: {size // (1024 * 1024)} MB is too large for a transcript; "
                                "pass the transcript of one briefing")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise OfficialTextError(f"{path}: cannot be read ({exc.strerror}); check its permissions") from None
    if fmt is None:
        fmt = detect_format(path, data[:8192])
        log.info("%s: detected format %s", path, fmt)
    elif fmt not in READERS:
        raise OfficialTextError(f"unknown transcript format {fmt!r}; choose one of: {', '.join(sorted(READERS))}")
    extracted = _reader(fmt)(path, data)
    if not any(c.isalnum() for c in extracted.text):
        raise OfficialTextError(f"{path}: no transcript words found in this {fmt} file; "
                                "pass the published transcript")
    return official_from_text(extracted.text, fmt, str(path), hashlib.sha256(data).hexdigest(), extracted.cues,
                              extracted)


def official_from_text(text: str, fmt: str = "text", path: str = "<text>", sha256: str = "",
                       cues: tuple = (), extracted: Optional[Extracted] = None) -> OfficialText:
    """Annotate extracted plain text (labels, editorial marks, furniture, paragraphs) into an OfficialText."""
    found = annotate_all(text, extracted.furniture if extracted else (), extracted.labels if extracted else (), fmt)
    return OfficialText(text=text, format=fmt, path=path,
                        sha256=sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest(),
                        labels=found.labels, marks=found.marks, paragraphs=found.paragraphs, cues=tuple(cues),
                        furniture=found.furniture, title=found.title, date=found.date)


def _reader(fmt: str) -> Callable[[Path, bytes], Extracted]:
    module, _, func = READERS[fmt].partition(":")
    return getattr(importlib.import_module(module), func)


__all__ = ["EXTENSIONS", "Extracted", "READERS", "detect_format", "official_from_text", "read_official"]
