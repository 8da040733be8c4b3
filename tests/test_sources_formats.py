"""Every published format of the sample transcript gives the discrepancies the plain text gives.

The sample's official text is rebuilt as a PDF (running header, document symbol, page numbers,
hyphenated line ends, two pages), a saved web page (navigation, cookie banner, scripts), a Word
document and roll-up WebVTT captions; each is checked against the real recording.
"""

import json

import pytest

from format_builders import make_docx, make_html, make_pdf, make_srt, make_vtt, turns_from_text
from helpers import Html, assert_error, run
from transcheck.cache import TranscriptCache
from transcheck.options import CheckOptions
from transcheck.pipeline import check
from transcheck.report import format_summary, render_html

TITLE = "Press conference by the Spokesperson of the Mission"
BUILDERS = {"pdf": make_pdf, "html": make_html, "docx": make_docx, "vtt": make_vtt, "srt": make_srt}


@pytest.fixture(scope="module")
def published(sample_dir, tmp_path_factory):
    """The sample transcript in each format, built once; name -> path."""
    folder = tmp_path_factory.mktemp("published")
    turns = turns_from_text((sample_dir / "official.txt").read_text(encoding="utf-8"))
    files = {"text": sample_dir / "official.txt"}
    for fmt, build in BUILDERS.items():
        kwargs = {"title": TITLE} if fmt in ("pdf", "html", "docx") else {}
        files[fmt] = build(folder / f"official.{fmt}", turns, **kwargs)
    return files


def run_check(sample_dir, session_cache_dir, engine, official, verify=False):
    return check(str(sample_dir / "briefing.mp3"), str(official), CheckOptions(verify=verify),
                 cache=TranscriptCache(session_cache_dir), engine=engine)


def signature(result):
    return [(d.kind, d.severity, d.off_text, d.rec_text, d.verdict) for d in result.discrepancies]


@pytest.mark.model
@pytest.mark.parametrize("fmt", list(BUILDERS))
def test_every_format_gives_the_plain_text_discrepancies(published, fmt, sample_dir, session_cache_dir, engine):
    plain = run_check(sample_dir, session_cache_dir, engine, published["text"])
    result = run_check(sample_dir, session_cache_dir, engine, published[fmt])
    assert result.official.format == fmt
    assert signature(result) == signature(plain)
    assert len(plain.discrepancies) >= 3
    report = result.to_dict()
    text = report["official"]["text"]
    for d in report["discrepancies"]:  # offsets point into the extracted text the report shows
        assert text[d["official"]["start"]:d["official"]["end"]] == d["official"]["text"]
    for label in report["official"]["labels"]:
        assert text[label["start"]:label["end"]].rstrip(":").upper().startswith(label["speaker"])
    assert f"official transcript: {published[fmt]} ({fmt})" in format_summary(report)
    for furniture in ("United Nations", "SG/SM", "Page 1", "cookie", "Share on", "Related links", "Tracking"):
        assert furniture not in text


@pytest.mark.model
def test_pdf_with_verification_agrees_with_plain_text(published, sample_dir, session_cache_dir, engine):
    plain = run_check(sample_dir, session_cache_dir, engine, published["text"], verify=True)
    result = run_check(sample_dir, session_cache_dir, engine, published["pdf"], verify=True)
    assert signature(result) == signature(plain)
    assert any(d.verdict for d in result.discrepancies)


@pytest.mark.model
def test_caption_cues_keep_their_times(published, sample_dir, session_cache_dir, engine):
    result = run_check(sample_dir, session_cache_dir, engine, published["vtt"])
    cues = result.to_dict()["official"]["cues"]
    text = result.official.text
    assert len(cues) > 10 and cues[0]["t0"] == 0.0 and cues[1]["t0"] == 1.5
    assert all(a["end"] <= b["start"] and a["t0"] < b["t0"] for a, b in zip(cues, cues[1:]))
    assert "disciplinary" in " ".join(text[c["start"]:c["end"]] for c in cues)


@pytest.mark.model
def test_markup_in_a_page_never_reaches_the_report_unescaped(tmp_path, published, sample_dir, session_cache_dir,
                                                             engine):
    turns = turns_from_text((sample_dir / "official.txt").read_text(encoding="utf-8"))
    turns.append((None, '<script>alert("owned")</script> <img src=x onerror=alert(2)> & more words here'))
    page = make_html(tmp_path / "page.html", turns)
    page.write_text(page.read_text().replace("</article>", "<script>alert('page script')</script></article>"))
    result = run_check(sample_dir, session_cache_dir, engine, page)
    assert '<script>alert("owned")</script> <img src=x' in result.official.text  # shown as the page wrote it
    assert "page script" not in result.official.text
    rendered = render_html(result.to_dict())
    benign = Html(render_html(run_check(sample_dir, session_cache_dir, engine, published["html"]).to_dict()))
    found = Html(rendered)
    assert not found.all("img") and len(found.all("script")) == len(benign.all("script"))
    assert not any("<script" in raw or "<img" in raw for tag, _, raw in found.raw if tag == "script")
    assert "&lt;script&gt;alert(" in rendered


# Bad files: one `Error:` line and exit status 2 through the CLI, before any transcription.

def _no_text_pdf(path):
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.rect(20, 20, 100, 150, style="F")  # a page of "scan": drawn, no text
    pdf.output(str(path))
    return path


def _damage(pdf):
    """No page size (pdfminer logs a warning and goes on), then an unknown compression: it fails."""
    return pdf.replace(b"/MediaBox", b"/MediaB0x").replace(b"/FlateDecode", b"/FlateDfcode")


def _bad_files(tmp_path, published):
    pdf = published["pdf"].read_bytes()
    files = {
        "corrupt.pdf": (pdf[: len(pdf) // 3], "cannot be read as a PDF"),
        "damaged.pdf": (_damage(pdf), "Unsupported filter"),
        "scan.pdf": (None, "no text layer"),
        "nothing.html": (b"<!DOCTYPE html><html><body><nav><a>Home</a><a>Press</a></nav>"
                         b"<div class='cookie-banner'>We use cookies. Accept?</div><main><p>Page not found.</p>"
                         b"</main><footer>Copyright</footer></body></html>", "no transcript found"),
        "empty.vtt": (b"", "empty"),
        "header-only.vtt": (b"WEBVTT\n\nNOTE nothing here\n", "no caption cues"),
        "notes.docx": (b"PK\x03\x04" + b"\x00" * 200, "damaged ZIP"),
        "song.txt": (b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 200, "MP3 audio"),
        "old.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200, "legacy Word"),
    }
    out = {}
    for name, (content, fragment) in files.items():
        path = tmp_path / name
        if content is None:
            _no_text_pdf(path)
        else:
            path.write_bytes(content)
        out[name] = (path, fragment)
    return out


@pytest.mark.parametrize("name", ["corrupt.pdf", "damaged.pdf", "scan.pdf", "nothing.html", "empty.vtt",
                                  "header-only.vtt", "notes.docx", "song.txt", "old.doc"])
def test_bad_files_give_one_error_line(tmp_path, published, sample_dir, name):
    path, fragment = _bad_files(tmp_path, published)[name]
    assert_error(run("check", sample_dir / "briefing.mp3", path, "--no-cache"), str(path), fragment)


def test_scan_error_suggests_ocr(tmp_path, published, sample_dir):
    path, _ = _bad_files(tmp_path, published)["scan.pdf"]
    assert_error(run("check", sample_dir / "briefing.mp3", path, "--no-cache"), "ocrmypdf")


def test_zip_that_is_not_a_word_document(tmp_path, sample_dir):
    import zipfile

    path = tmp_path / "minutes.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("notes/readme.txt", "hello")
    assert_error(run("check", sample_dir / "briefing.mp3", path, "--no-cache"), "holds no Word document")


def test_unknown_format_override(sample_dir):
    assert_error(run("check", sample_dir / "briefing.mp3", sample_dir / "official.txt", "--official-format", "rtf",
                     "--no-cache"), "unknown transcript format 'rtf'")


@pytest.mark.model
def test_cli_reports_the_detected_format(tmp_path, published, sample_dir, session_cache_dir):
    disguised = tmp_path / "official.txt"  # a PDF saved under the wrong name
    disguised.write_bytes(published["pdf"].read_bytes())
    out = tmp_path / "r.json"
    result = run("check", sample_dir / "briefing.mp3", disguised, "--no-verify", "--json", out,
                 "--cache-dir", session_cache_dir)
    assert result.exit_code == 0, result.output
    assert f"official transcript: {disguised} (pdf)" in result.stderr
    assert json.loads(out.read_text())["official"]["format"] == "pdf"
