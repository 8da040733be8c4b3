"""Word documents (.docx), read with python-docx: body paragraphs and tables in document order.

Page headers, footers, footnotes and comments live in other parts of the file and are not read;
deleted tracked changes are left out and inserted ones kept; Heading/Title paragraphs become
Markdown headings (not spoken) and a bold name standing alone becomes the speaker label of its turn.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path
from typing import Any, Iterator

from ..errors import OfficialTextError
from .base import Extracted, check_size, import_optional, parsing
from .blocks import Block, blocks_to_extracted, bold_lead, row_blocks

MAX_UNPACKED_BYTES = 400 * 1024 * 1024
_WORD_TYPES = ("wordprocessingml.document.main+xml", "wordprocessingml.template.main+xml",
               "ms-word.document.macroenabled.main+xml", "ms-word.template.macroenabledtemplate.main+xml")
_HEADING_RE = re.compile(r"^(?:heading \d|title|subtitle)$", re.IGNORECASE)
_FIX = "open it in Word or LibreOffice and save it again as .docx (or PDF)"
_ZIP_KINDS = (
    ("mimetype", b"opendocument.text", "an OpenDocument text (.odt)", "save it as .docx or PDF"),
    ("mimetype", b"epub", "an EPUB e-book", "pass the transcript itself"),
    ("xl/workbook.xml", b"", "an Excel workbook", "save the transcript as .docx, PDF or plain text"),
    ("ppt/presentation.xml", b"", "a PowerPoint presentation", "save the transcript as .docx, PDF or plain text"),
)


def read_docx(path: Path, data: bytes) -> Extracted:
    _check_package(path, data)
    import_optional("docx", "python-docx", "docx", path)
    with parsing(path, "Word document", _FIX):
        from docx import Document

        blocks = list(_blocks(Document(io.BytesIO(data))))
    extracted = blocks_to_extracted(blocks)
    check_size(extracted.text, path, "Word document")
    return extracted


def _check_package(path: Path, data: bytes) -> None:
    """Refuse ZIP files that are no Word document, and ones that unpack to an absurd size."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        names = set(package.namelist())
        types = package.read("[Content_Types].xml").lower() if "[Content_Types].xml" in names else b""
        for member, marker, what, fix in _ZIP_KINDS:
            if member in names and marker in package.read(member)[:200].lower():
                raise OfficialTextError(f"{path}: is {what}, not a Word document; {fix}")
        unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, NotImplementedError):
        raise OfficialTextError(f"{path}: is a damaged ZIP file, not a readable Word document; {_FIX}") from None
    if not any(t.encode() in types for t in _WORD_TYPES):
        raise OfficialTextError(f"{path}: is a ZIP archive that holds no Word document; unpack it and pass "
                                "the transcript inside, or pass a .docx file")
    if unpacked > MAX_UNPACKED_BYTES:
        raise OfficialTextError(f"{path}: unpacks to {unpacked // (1024 * 1024)} MB, far more than one "
                                f"briefing's transcript (a damaged or hostile file); {_FIX}")


def _blocks(document: Any) -> Iterator[Block]:
    """Paragraphs and table rows of the body in order, content controls (w:sdt) opened up."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    body = document.element.body
    stack = list(reversed(body))
    while stack:
        element = stack.pop()
        if element.tag == qn("w:p"):
            yield _paragraph(Paragraph(element, document._body))
        elif element.tag == qn("w:tbl"):
            for row in Table(element, document._body).rows:
                yield from row_blocks([_cell(cell) for cell in _unique(row.cells)])
        elif element.tag == qn("w:sdt"):
            content = element.find(qn("w:sdtContent"))
            if content is not None:
                stack.extend(reversed(list(content)))


def _paragraph(paragraph: Any) -> Block:
    from docx.oxml.ns import qn
    from docx.text.run import Run

    pieces = []
    for r in paragraph._p.iter(qn("w:r")):
        if any(a.tag in (qn("w:del"), qn("w:moveFrom")) for a in r.iterancestors()):
            continue
        run = Run(r, paragraph)
        pieces.append((run.text, _bold(run, paragraph)))
    text = "".join(t for t, _ in pieces)
    bold = any(t.strip() for t, _ in pieces) and all(b for t, b in pieces if t.strip())
    return Block(text, heading=_is_heading(paragraph), bold=bold, lead=bold_lead(pieces))


def _cell(cell: Any) -> Block:
    blocks = [_paragraph(p) for p in cell.paragraphs]
    return Block("\n".join(b.text for b in blocks), bold=bool(blocks) and all(b.bold for b in blocks if b.text.strip()))


def _unique(cells: list[Any]) -> list[Any]:
    """python-docx repeats a merged cell once per grid column it spans."""
    seen: list[Any] = []
    for cell in cells:
        if not any(cell._tc is s._tc for s in seen):
            seen.append(cell)
    return seen


def _bold(run: Any, paragraph: Any) -> bool:
    if run.bold is not None:
        return bool(run.bold)
    for style in (run.style, paragraph.style):
        while style is not None:
            if style.font.bold is not None:
                return bool(style.font.bold)
            style = style.base_style
    return False


def _is_heading(paragraph: Any) -> bool:
    style = paragraph.style
    while style is not None:
        if _HEADING_RE.match(style.name or ""):
            return True
        style = style.base_style
    return False
