"""Plain text and Markdown: the decoded file content is the official text, unchanged."""

from __future__ import annotations

from pathlib import Path

from .base import Extracted, check_size
from .encoding import decode_text


def read_text(path: Path, data: bytes) -> Extracted:
    return Extracted(check_size(decode_text(data, path), path, "text file"))
