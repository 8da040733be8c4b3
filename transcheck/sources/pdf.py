"""PDF transcripts with a text layer, read with pdfminer.six (lines with positions, reading order).

pdfminer's layout analysis orders a page's text boxes as they are read (columns included);
pdf_layout.py then drops running headers, footers and page numbers and joins the lines.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
import zlib
from dataclasses import replace
from pathlib import Path

from ..errors import OfficialTextError
from .base import Extracted, check_size, import_optional, parsing
from .blocks import blocks_to_extracted
from .pdf_layout import paragraphs
from .pdf_types import Line, Page

log = logging.getLogger("transcheck")

MAX_PAGES = 1000
MAX_STREAM_BYTES = 64 * 1024 * 1024  # one page's decompressed drawing instructions
# Lines closer than this many line heights share a text box: loose (1.5-, double-spaced) layouts stay
# one box; pdf_layout splits paragraphs by the gaps between lines.
LINE_MARGIN = 1.2
_CID_RE = re.compile(r"\(cid:\d+\)")
_FIX = "check that the download finished, or download the PDF again"
_OCR = "run OCR on it first (e.g. ocrmypdf in.pdf out.pdf) and pass the result"


def read_pdf(path: Path, data: bytes) -> Extracted:
    import_optional("pdfminer", "pdfminer.six", "pdf", path)
    with parsing(path, "PDF file", _FIX, library_logger="pdfminer"):
        pages = _read_pages(path, data)
    if not pages:
        raise OfficialTextError(f"{path}: this PDF has no pages; {_FIX}")
    text = "".join(line.text for page in pages for line in page.lines)
    if not any(c.isalnum() for c in text):
        raise OfficialTextError(f"{path}: this PDF has no text layer ({len(pages)} page(s) of images, "
                                f"probably a scan); {_OCR}")
    cids = sum(len(m) for m in _CID_RE.findall(text))
    if cids > 0.3 * len(text.replace(" ", "")):
        raise OfficialTextError(f"{path}: the text in this PDF cannot be decoded (its fonts carry no "
                                f"character map); {_OCR.replace('ocrmypdf', 'ocrmypdf --force-ocr')}")
    if cids:
        log.warning("%s: %d characters without a character map were left out", path, text.count("(cid:"))
        pages = [Page(p.height, tuple(_strip_cids(line) for line in p.lines)) for p in pages]
    extracted = blocks_to_extracted(paragraphs(pages))
    check_size(extracted.text, path, "PDF file")
    return extracted


def _read_pages(path: Path, data: bytes) -> list[Page]:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
    except PDFPasswordIncorrect:
        raise OfficialTextError(f"{path}: this PDF is protected by a password; open it and save an "
                                "unprotected copy (e.g. qpdf --decrypt --password=PASSWORD in.pdf out.pdf)") from None
    resources = PDFResourceManager(caching=True)
    device = PDFPageAggregator(resources, laparams=LAParams(line_margin=LINE_MARGIN))
    interpreter = PDFPageInterpreter(resources, device)
    pages = []
    for number, page in enumerate(PDFPage.create_pages(document), 1):
        if number > MAX_PAGES:
            raise OfficialTextError(f"{path}: this PDF has more than {MAX_PAGES} pages, far more than one "
                                    "briefing; pass one briefing's transcript")
        _check_streams(page, path, number)
        interpreter.process_page(page)
        pages.append(_page(device.get_result()))
    return pages


def _check_streams(page, path: Path, number: int) -> None:
    """Refuse a page whose compressed drawing instructions unpack to an absurd size (a zip bomb)."""
    from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream, resolve1

    for stream in page.contents:
        stream = resolve1(stream)
        if not isinstance(stream, PDFStream) or stream.rawdata is None:
            continue
        filters = stream.get_filters()
        if not filters or filters[0][0] not in LITERALS_FLATE_DECODE:
            continue
        inflater = zlib.decompressobj()
        try:
            inflater.decompress(stream.rawdata, MAX_STREAM_BYTES)
        except zlib.error:
            continue  # damaged data: pdfminer recovers what it can
        if inflater.unconsumed_tail:
            raise OfficialTextError(f"{path}: page {number} unpacks to more than "
                                    f"{MAX_STREAM_BYTES // (1024 * 1024)} MB (a damaged or hostile PDF); {_FIX}")


def _page(layout) -> Page:
    """The text lines of one laid-out page, in pdfminer's reading order."""
    from pdfminer.layout import LTChar, LTTextBox, LTTextLine

    lines = []
    for box in (obj for obj in layout if isinstance(obj, LTTextBox)):
        for line in box:
            if not isinstance(line, LTTextLine):
                continue
            text = line.get_text().rstrip("\n")
            chars = [c for c in line if isinstance(c, LTChar) and not c.get_text().isspace()]
            if not text.strip() or not chars:
                continue
            bold = all(_is_bold(c.fontname) for c in chars if c.get_text().isalpha())
            size = statistics.median(c.size for c in chars)
            lead = "" if bold else _bold_lead(line)
            lines.append(Line(text=text, x0=line.x0, x1=line.x1, top=layout.y1 - line.y1,
                              bottom=layout.y1 - line.y0, size=size, bold=bold, lead=lead))
    return Page(height=layout.height, lines=tuple(lines))


def _bold_lead(line) -> str:
    """The bold run a line opens with ("Mr. Angwenyi" in bold, then the speech), or ""."""
    from pdfminer.layout import LTChar

    lead = []
    for item in line:
        char = item.get_text()
        if isinstance(item, LTChar) and char.isalpha() and not _is_bold(item.fontname):
            break
        lead.append(char)
    return "".join(lead) if any(c.isalpha() for c in lead) else ""


def _is_bold(fontname: str) -> bool:
    name = fontname.lower()
    return any(w in name for w in ("bold", "black", "heavy", "semibold"))


def _strip_cids(line: Line) -> Line:
    return replace(line, text=_CID_RE.sub("", line.text))
