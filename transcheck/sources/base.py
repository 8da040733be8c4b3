"""What a format reader returns, and the guards every reader shares around its parsing library."""

from __future__ import annotations

import importlib
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Iterator

from ..errors import OfficialTextError
from ..models import Cue

log = logging.getLogger("transcheck")

# Extracted text beyond this is not one briefing's transcript (a bomb or a whole archive).
MAX_TEXT_CHARS = 5_000_000


@dataclass(frozen=True)
class Extracted:
    """Plain text extracted from one file; `cues` (captions) are character spans with times."""

    text: str
    cues: tuple[Cue, ...] = ()


def import_optional(module: str, package: str, extra: str, path: Path) -> ModuleType:
    """Import a parsing library that ships as an optional extra, or say how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise OfficialTextError(
            f"{path}: reading this format needs the optional package {package}; install it with "
            f"pip install 'transcheck[{extra}]' (or 'transcheck[formats]' for every format)") from None


@contextmanager
def parsing(path: Path, what: str, fix: str) -> Iterator[None]:
    """Turn whatever a parsing library raises on a damaged file into one OfficialTextError line."""
    try:
        yield
    except (OfficialTextError, MemoryError, KeyboardInterrupt):
        raise
    except RecursionError:
        raise OfficialTextError(f"{path}: this {what} is nested too deeply to be read (a damaged or "
                                f"hostile file); {fix}") from None
    except Exception as exc:  # noqa: BLE001 - damaged input makes libraries raise almost anything
        log.debug("%s: %s parser failed", path, what, exc_info=True)
        detail = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise OfficialTextError(f"{path}: cannot be read as a {what} ({detail}); {fix}") from None


def check_size(text: str, path: Path, what: str) -> str:
    if len(text) > MAX_TEXT_CHARS:
        raise OfficialTextError(f"{path}: this {what} holds over {MAX_TEXT_CHARS // 1_000_000} million "
                                "characters of text, far more than one briefing; pass one briefing's transcript")
    return text
