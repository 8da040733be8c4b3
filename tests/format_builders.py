"""Build real PDF, HTML, DOCX and caption files from one transcript, as offices publish them.

A transcript is a list of (label, words) turns. The PDF has a running header, a document symbol,
"Page N of M" footers and words hyphenated at line ends; the HTML page has navigation, a cookie
banner, scripts and related links around the body; the DOCX has a header and footer part; the
WebVTT file rolls up (each cue repeats the previous line).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Optional, Sequence, Union

Turn = tuple[Optional[str], str]
_LABEL_RE = re.compile(r"^([A-Z][A-Z .'-]*[A-Z.]):\s+")

HEADER, SYMBOL = "United Nations", "SG/SM/18800"


def turns_from_text(text: str) -> list[Turn]:
    """Blank-line-separated paragraphs, each with its leading `LABEL:` split off."""
    turns = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        paragraph = " ".join(paragraph.split())
        m = _LABEL_RE.match(paragraph)
        turns.append((m.group(1), paragraph[m.end():]) if m else (None, paragraph))
    return turns


def make_pdf(path: Path, turns: Sequence[Turn], title: Optional[str] = None,
             page_format: Union[str, tuple[float, float]] = (100, 110),
             font_size: float = 10, font_file: Optional[str] = None, hyphenate: bool = True) -> Path:
    """A PDF with header, symbol and page-number footer on every page, words hyphenated at line ends."""
    from fpdf import FPDF

    class Briefing(FPDF):
        def header(self) -> None:
            self.set_font(family, size=7)
            self.cell(0, 5, HEADER, align="L")
            self.set_x(self.l_margin)
            self.cell(0, 5, SYMBOL, align="R")
            self.ln(9)

        def footer(self) -> None:
            self.set_y(-10)
            self.set_font(family, size=7)
            self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = Briefing(format=page_format)
    family = "Helvetica"
    if font_file:
        pdf.add_font("Body", "", font_file)
        pdf.add_font("Body", "B", font_file)
        family = "Body"
    else:
        pdf.core_fonts_encoding = "windows-1252"
    pdf.set_margins(8, 8, 8)
    pdf.set_auto_page_break(True, margin=14)
    pdf.add_page()
    if title:
        pdf.set_font(family, "B", size=font_size * 1.6)
        pdf.multi_cell(0, font_size * 0.7, title, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for label, words in turns:
        segments = ([(label + ":", True)] if label else []) + [(w, False) for w in words.split()]
        for line in _wrap(pdf, family, font_size, segments, width, hyphenate):
            for text, bold in line:
                pdf.set_font(family, "B" if bold else "", size=font_size)
                pdf.cell(pdf.get_string_width(text), font_size * 0.5, text)
            pdf.ln(font_size * 0.5)
        pdf.ln(font_size * 0.4)
    pdf.output(str(path))
    return path


def _wrap(pdf, family: str, size: float, segments, width: float, hyphenate: bool):
    """Greedy line breaking; a long lower-case word that does not fit is split with a hyphen."""
    lines, line, used = [], [], 0.0
    queue = list(segments)
    while queue:
        word, bold = queue.pop(0)
        pdf.set_font(family, "B" if bold else "", size=size)
        text = (" " if line else "") + word
        w = pdf.get_string_width(text)
        if used + w <= width:
            line.append((text, bold))
            used += w
            continue
        if hyphenate and line and word.isalpha() and word.islower() and len(word) >= 7:
            for cut in range(len(word) - 3, 2, -1):
                head = (" " if line else "") + word[:cut] + "-"
                if used + pdf.get_string_width(head) <= width:
                    line.append((head, bold))
                    queue.insert(0, (word[cut:], bold))
                    break
            else:
                queue.insert(0, (word, bold))
        else:
            queue.insert(0, (word, bold))
        lines.append(line)
        line, used = [], 0.0
    if line:
        lines.append(line)
    return lines


def make_html(path: Path, turns: Sequence[Turn], title: Optional[str] = None, own_paragraph_label: int = 1) -> Path:
    """A saved news-site page: scripts, cookie banner, menus and related links around an <article>."""
    body = []
    for i, (label, words) in enumerate(turns):
        words = html.escape(words)
        if label and i == own_paragraph_label:
            body.append(f"<p><b>{html.escape(label.title())}</b></p>\n<p>{words}</p>")
        elif label:
            body.append(f"<p><strong>{html.escape(label)}:</strong> {words}</p>")
        else:
            body.append(f"<p>{words}</p>")
    heading = f"<h1>{html.escape(title)}</h1>" if title else ""
    page = f"""<!DOCTYPE html>
<!-- saved from url=(0040)https://press.example.org/en/2017/sgsm.htm -->
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title or 'Briefing')} | Press</title>
<script>window.dataLayer = []; document.write("<p>Tracking paragraph that is not a transcript</p>");</script>
<style>.cookie-banner {{ position: fixed; }}</style></head>
<body>
<div id="cookie-consent" class="cookie-banner"><p>We use cookies to give you the best experience on
our website. By continuing you accept our cookie policy and the terms of use.</p><button>Accept</button></div>
<header class="site-header"><a class="logo" href="/">Meetings Coverage and Press Releases</a>
<ul class="main-menu"><li><a href="/en">Home</a></li><li><a href="/en/press">Press releases</a></li>
<li><a href="/en/briefings">Noon briefings</a></li>
<li><a href="/en/statements">Secretary-General statements</a></li></ul>
</header>
<nav aria-label="breadcrumb"><ol><li>Home</li><li>Press</li><li>Briefings</li></ol></nav>
<div class="layout has-sidebar">
<main id="content">
<article>
{heading}
<div class="field--name-body">
{chr(10).join(body)}
</div>
<div class="share-links"><a>Share on Facebook</a> <a>Share on X</a> <a>Email this page</a></div>
</article>
</main>
<aside class="sidebar"><h2>Related links</h2><ul><li><a>Daily press briefing of the previous day, with
questions on the mission and its mandate</a></li><li><a>Statement attributable to the Spokesperson</a></li></ul></aside>
</div>
<footer class="site-footer"><p>United Nations. Copyright, privacy notice, terms of use, fraud alert and
contact details for all press officers of the organisation.</p></footer>
<script src="/js/analytics.js"></script>
</body></html>
"""
    path.write_text(page, encoding="utf-8")
    return path


def expected_text(turns: Sequence[Turn], title: Optional[str] = None, own_paragraph_label: int = 1) -> str:
    """What `make_html` and `make_docx` files should read as: the heading, then one paragraph a turn.

    The label written in a paragraph of its own (title case, no colon) joins the turn that follows it.
    """
    paragraphs = [f"# {title}"] if title else []
    for i, (label, words) in enumerate(turns):
        shown = label.title() if label and i == own_paragraph_label else label
        paragraphs.append(f"{shown}: {words}" if label else words)
    return "\n\n".join(paragraphs)


def make_docx(path: Path, turns: Sequence[Turn], title: Optional[str] = None, own_paragraph_label: int = 1) -> Path:
    """A Word document with header and footer parts, a Title heading and bold speaker labels."""
    from docx import Document

    document = Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = f"{HEADER}    {SYMBOL}"
    section.footer.paragraphs[0].text = "Page 1"
    if title:
        document.add_heading(title, level=1)
    for i, (label, words) in enumerate(turns):
        if label and i == own_paragraph_label:
            document.add_paragraph().add_run(label.title()).bold = True
            document.add_paragraph(words)
            continue
        paragraph = document.add_paragraph()
        if label:
            paragraph.add_run(label + ":").bold = True
            paragraph.add_run(" ")
        paragraph.add_run(words)
    document.save(str(path))
    return path


def caption_lines(turns: Sequence[Turn], width: int = 32) -> list[tuple[Optional[str], str]]:
    """The transcript broken into caption lines of at most `width` characters, with their speaker."""
    out = []
    for label, words in turns:
        line = ""
        for word in words.split():
            if line and len(line) + 1 + len(word) > width:
                out.append((label, line))
                line = word
            else:
                line = f"{line} {word}" if line else word
        if line:
            out.append((label, line))
    return out


def make_vtt(path: Path, turns: Sequence[Turn], roll_up: bool = True, step: float = 1.5) -> Path:
    """WebVTT captions: a voice tag at each speaker change; with roll-up each cue repeats the last line."""
    lines = caption_lines(turns)
    blocks = ["WEBVTT\nKind: captions\nLanguage: en", "NOTE generated for tests", "STYLE\n::cue { color: yellow }"]
    previous: Optional[tuple[Optional[str], str]] = None
    for i, (label, text) in enumerate(lines):
        shown = html.escape(text, quote=False)
        if label and (previous is None or previous[0] != label):
            shown = f"<v {label.title()}>{shown}"
        if roll_up and previous is not None and previous[0] == label:
            shown = html.escape(previous[1], quote=False) + "\n" + shown
        blocks.append(f"{i + 1}\n{_stamp(i * step)} --> {_stamp((i + 1) * step)} align:start position:0%\n{shown}")
        previous = (label, text)
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return path


def make_srt(path: Path, turns: Sequence[Turn], step: float = 1.5) -> Path:
    lines = caption_lines(turns)
    blocks = [f"{i + 1}\n{_stamp(i * step, ',')} --> {_stamp((i + 1) * step, ',')}\n{text}"
              for i, (_, text) in enumerate(lines)]
    path.write_text("\r\n\r\n".join(b.replace("\n", "\r\n") for b in blocks) + "\r\n", encoding="utf-8")
    return path


def _stamp(t: float, sep: str = ".") -> str:
    ms = round(t * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}{sep}{ms % 1000:03d}"
