"""Bytes of a text file to str: UTF-8 (with or without BOM), UTF-16/32 by BOM, else detected."""

from __future__ import annotations

import codecs
import logging
from pathlib import Path

from ..errors import OfficialTextError

log = logging.getLogger("transcheck")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Encodings that charset detection may pick for transcripts; anything else is refused.
_ACCEPTED = {"cp1252", "windows-1252", "latin_1", "iso8859_1", "iso8859_15", "cp1250", "utf_16",
             "utf_16_le", "utf_16_be", "mac_roman", "cp1251", "iso8859_2", "ascii"}


def decode_text(data: bytes, path: Path) -> str:
    """Decode a transcript's bytes, refusing binary files and undetectable encodings."""
    if not data.strip():
        raise OfficialTextError(f"{path}: the official transcript is empty; pass the published transcript")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _check_text(data.decode(encoding), path)
            except UnicodeDecodeError:
                raise OfficialTextError(f"{path}: starts with a {encoding} byte-order mark but is not "
                                        f"valid {encoding}; save it again as UTF-8") from None
    if b"\x00" in data[:8192]:
        raise OfficialTextError(f"{path}: is a binary file, not a transcript; pass a text, PDF, HTML, "
                                "DOCX or caption file")
    try:
        return _check_text(data.decode("utf-8"), path)
    except UnicodeDecodeError:
        pass
    try:  # the usual case for transcripts saved on Windows; strict, so undefined bytes fall through
        text = data.decode("cp1252")
        log.warning("%s: not UTF-8; read as Windows-1252", path)
        return _check_text(text, path)
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    encoding = best.encoding if best else None
    if encoding is None or encoding.lower().replace("-", "_") not in _ACCEPTED:
        raise OfficialTextError(f"{path}: is not UTF-8 and its encoding cannot be told"
                                f"{f' (looks like {encoding})' if encoding else ''}; save it as UTF-8")
    log.warning("%s: not UTF-8; read as %s", path, encoding)
    return _check_text(data.decode(encoding, errors="replace"), path)


def _check_text(text: str, path: Path) -> str:
    sample = text[:20_000]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\n\r\f\v")
    if controls > max(3, len(sample) // 100):
        raise OfficialTextError(f"{path}: is a binary file, not a transcript; pass a text, PDF, HTML, "
                                "DOCX or caption file")
    if not any(c.isalnum() for c in text):
        raise OfficialTextError(f"{path}: the official transcript holds no words; pass the published transcript")
    return text
