"""What a format reader returns, and the guards every reader shares around its parsing library."""

from __future__ import annotations

import importlib
import logging
import re
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Iterator

from ..errors import OfficialTextError
from ..models import Cue, Furniture, Label

log = logging.getLogger("transcheck")

# Extracted text beyond this is not one briefing's transcript (a bomb or a whole archive).
MAX_TEXT_CHARS = 5_000_000


@dataclass(frozen=True)
class Extracted:
    """Plain text extracted from one file; `cues` (captions) are character spans with times.

    `furniture` and `labels` are what the file's structure already says (a metadata table, a speech
    element's speaker attribute, a bold name); the text itself is searched for the rest.
    """

    text: str
    cues: tuple[Cue, ...] = ()
    furniture: tuple[Furniture, ...] = ()
    labels: tuple[Label, ...] = ()


def import_optional(module: str, package: str, extra: str, path: Path) -> ModuleType:
    """Import a parsing library that ships as an optional extra, or say how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise OfficialTextError(
            f"{path}: reading this format needs the optional package {package}; install it with "
            f"pip install 'transcheck[{extra}]' (or 'transcheck[formats]' for every format)") from None


@contextmanager
def parsing(path: Path, what: str, fix: str, library_logger: str = "") -> Iterator[None]:
    """Turn whatever a parsing library raises on a damaged file into one OfficialTextError line.

    The library's warnings and log messages (damaged xref tables, markup oddities) go to our
    debug log instead of the terminal, so a failing read still prints a single line.
    """
    quiet = _Quiet(library_logger)
    try:
        with warnings.catch_warnings(record=True) as caught, quiet:
            warnings.simplefilter("always")
            yield
        for warning in caught:
            log.debug("%s: %s", path, warning.message)
    except (OfficialTextError, MemoryError, KeyboardInterrupt):
        raise
    except RecursionError:
        raise OfficialTextError(f"{path}: this {what} is nested too deeply to be read (a damaged or "
                                f"hostile file); {fix}") from None
    except Exception as exc:  # noqa: BLE001 - damaged input makes libraries raise almost anything
        log.debug("%s: %s parser failed", path, what, exc_info=True)
        detail = _printable(str(exc)) or type(exc).__name__
        raise OfficialTextError(f"{path}: cannot be read as a {what} ({detail}); {fix}") from None


def _printable(message: str, limit: int = 80) -> str:
    text = "".join(c for c in " ".join(message.split()) if c.isprintable() and ord(c) < 0x2000)
    text = re.sub(r"b'[^']*'|<[^>]*>", "…", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Quiet:
    """Send a library's log records to our debug log while it parses (never to the terminal)."""

    def __init__(self, name: str) -> None:
        self.logger = logging.getLogger(name) if name else None
        self.handler = _ToDebug()
        self.propagate = True

    def __enter__(self) -> None:
        if self.logger is not None:
            self.propagate, self.logger.propagate = self.logger.propagate, False
            self.logger.addHandler(self.handler)

    def __exit__(self, *exc: object) -> None:
        if self.logger is not None:
            self.logger.removeHandler(self.handler)
            self.logger.propagate = self.propagate


class _ToDebug(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        log.debug("%s: %s", record.name, record.getMessage())


def check_size(text: str, path: Path, what: str) -> str:
    if len(text) > MAX_TEXT_CHARS:
        raise OfficialTextError(f"{path}: this {what} holds over {MAX_TEXT_CHARS // 1_000_000} million "
                                "characters of text, far more than one briefing; pass one briefing's transcript")
    return text
