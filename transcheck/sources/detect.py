"""Tell a transcript's format from its first bytes; name the files that are no transcript at all."""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Optional

from ..errors import OfficialTextError

EXTENSIONS = {
    ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
    ".pdf": "pdf", ".html": "html", ".htm": "html", ".xhtml": "html", ".mht": "mhtml", ".mhtml": "mhtml",
    ".docx": "docx", ".vtt": "vtt", ".webvtt": "vtt", ".srt": "srt",
}

# Files users pass by mistake: (signature at offset, offset, what it is, what to do instead).
_AUDIO_FIX = ("the second file must be the official transcript (text, PDF, HTML, Word, VTT or SRT), "
              "the recording goes first")
_NOT_TRANSCRIPTS = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "a legacy Word .doc (Office 97-2003) file",
     "open it in Word or LibreOffice and save it as .docx or PDF"),
    (b"{\\rtf", 0, "an RTF document", "save it as .docx, PDF or plain text"),
    (b"ID3", 0, "an MP3 audio file", _AUDIO_FIX),
    (b"fLaC", 0, "a FLAC audio file", _AUDIO_FIX),
    (b"OggS", 0, "an Ogg audio file", _AUDIO_FIX),
    (b"ftyp", 4, "an MP4/M4A media file", _AUDIO_FIX),
    (b"\x1aE\xdf\xa3", 0, "a WebM/Matroska media file", _AUDIO_FIX),
    (b"\x89PNG", 0, "a PNG image", "run OCR on it first (e.g. tesseract) and pass the text"),
    (b"\xff\xd8\xff", 0, "a JPEG image", "run OCR on it first (e.g. tesseract) and pass the text"),
    (b"GIF8", 0, "a GIF image", "pass the transcript itself"),
    (b"II*\x00", 0, "a TIFF image (a scan?)", "run OCR on it first (e.g. ocrmypdf) and pass the result"),
    (b"MM\x00*", 0, "a TIFF image (a scan?)", "run OCR on it first (e.g. ocrmypdf) and pass the result"),
    (b"\x1f\x8b", 0, "a gzip archive", "unpack it and pass the transcript inside"),
    (b"Rar!", 0, "a RAR archive", "unpack it and pass the transcript inside"),
    (b"7z\xbc\xaf", 0, "a 7-Zip archive", "unpack it and pass the transcript inside"),
)
_MP3_FRAME_RE = re.compile(rb"\xff[\xe2-\xff]")
_TIMING_RE = re.compile(r"^[ \t]*(?:\d+:)?\d{1,2}:\d{2}[,.]\d{1,3}[ \t]*-->[ \t]*(?:\d+:)?\d{1,2}:\d{2}[,.]\d",
                        re.MULTILINE)
_PREAMBLE_RE = re.compile(r"^(?:\s+|<\?xml[^>]*\?>|<!--.*?-->)*", re.DOTALL)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


def detect_format(path: Path, head: bytes, known: Optional[set[str]] = None) -> str:
    """The format told by the file's first bytes; its extension only when the content is silent.

    Raises OfficialTextError for files that are plainly no transcript (audio, images, archives).
    `known` limits the answer to formats that have a reader.
    """
    refuse_non_transcript(path, head)
    sniffed = sniff(head)
    if sniffed and (known is None or sniffed in known):
        return sniffed
    return EXTENSIONS.get(path.suffix.lower(), "text")


def refuse_non_transcript(path: Path, head: bytes) -> None:
    for signature, offset, what, fix in _NOT_TRANSCRIPTS:
        if head[offset:offset + len(signature)] == signature:
            raise OfficialTextError(f"{path}: is {what}, not a transcript; {fix}")
    if _MP3_FRAME_RE.match(head[:2]) and not head.startswith(codecs.BOM_UTF16_LE):
        raise OfficialTextError(f"{path}: is an MP3 audio file, not a transcript; {_AUDIO_FIX}")
    if head.startswith(b"RIFF") and head[8:12] in (b"WAVE", b"AVI "):
        raise OfficialTextError(f"{path}: is a {head[8:12].decode().strip()} media file, not a transcript; "
                                f"{_AUDIO_FIX}")


def sniff(head: bytes) -> Optional[str]:
    """The format the content itself declares, or None for plain text (or anything unknown)."""
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"  # the Word reader refuses ZIP archives that hold no Word document
    text = _head_text(head)
    lowered = _PREAMBLE_RE.sub("", text, count=1)[:4096].lower()
    if lowered.startswith("webvtt"):
        return "vtt"
    if lowered.startswith(("<!doctype html", "<html", "<head", "<body")) or (
            lowered.startswith("<") and re.search(r"<(?:body|head)[\s>]", lowered)):
        return "html"
    if re.match(r"(?:from: <saved by|mime-version:)", lowered) and "multipart/related" in lowered:
        return "mhtml"
    if _TIMING_RE.search(text[:4096]):
        return "srt"
    return None


def _head_text(head: bytes) -> str:
    if head.startswith(_UTF16_BOMS):
        encoding = "utf-32" if head[:4] in _UTF16_BOMS[2:] else "utf-16"
        return head[: len(head) // 4 * 4].decode(encoding, errors="ignore")
    return head.decode("utf-8", errors="ignore").lstrip("\ufeff")
