"""Format detection by content: the extension is only a fallback; non-transcripts are named."""

import codecs
import zipfile

import pytest

from format_builders import make_docx, make_pdf, make_vtt
from transcheck.errors import OfficialTextError
from transcheck.sources import EXTENSIONS, READERS, detect_format, read_official

TURNS = [("SPOKESPERSON", "Good afternoon. The mission received nine allegations this year and will "
                          "publish what it can on its website for everyone who asks about them.")]


@pytest.mark.parametrize("head,fmt", [
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "pdf"),
    (b"\r\n\r\n%PDF-1.7\n", "pdf"),  # junk before the header is allowed by PDF readers
    (b"PK\x03\x04\x14\x00", "docx"),
    (b"WEBVTT\n\n00:00.000 --> 00:01.000\nHi", "vtt"),
    (codecs.BOM_UTF8 + b"WEBVTT - title\n", "vtt"),
    (b"1\r\n00:00:01,000 --> 00:00:02,500\r\nHello\r\n", "srt"),
    (b"<!DOCTYPE html><html><body>", "html"),
    (b"<!-- saved from url=(0040)https://example.org/ -->\n<html lang='en'>", "html"),
    (b"<?xml version='1.0' encoding='utf-8'?>\n<!DOCTYPE html PUBLIC '-//W3C//DTD XHTML 1.0 Strict//EN'>", "html"),
    (b"<div class='x'><p>hi</p></div>\n<body class='page'>", "html"),
    ("<!DOCTYPE html><html>".encode("utf-16"), "html"),
    (b"From: <Saved by Blink>\r\nSnapshot-Content-Location: https://example.org\r\nMIME-Version: 1.0\r\n"
     b"Content-Type: multipart/related;\r\n", "mhtml"),
])
def test_content_wins_over_the_extension(tmp_path, head, fmt):
    assert detect_format(tmp_path / "official.txt", head) == fmt


@pytest.mark.parametrize("name,fmt", [("a.pdf", "pdf"), ("a.HTM", "html"), ("a.xhtml", "html"), ("a.docx", "docx"),
                                      ("a.vtt", "vtt"), ("a.srt", "srt"), ("a.md", "markdown"), ("a", "text")])
def test_extension_when_the_content_is_silent(tmp_path, name, fmt):
    assert detect_format(tmp_path / name, b"Just words.") == fmt


def test_every_extension_has_a_reader():
    assert set(EXTENSIONS.values()) <= set(READERS)


def test_text_mentioning_html_stays_text(tmp_path):
    head = b"SPOKESPERSON: The page said <html> and <body> are tags. 00:01 --> nothing\n"
    assert detect_format(tmp_path / "official.txt", head) == "text"


@pytest.mark.parametrize("head,what", [
    (b"ID3\x04\x00", "MP3 audio"),
    (b"\xff\xfb\x90\x64\x00", "MP3 audio"),
    (b"RIFF\x24\x08\x00\x00WAVEfmt ", "WAVE media"),
    (b"fLaC\x00\x00\x00\x22", "FLAC audio"),
    (b"\x00\x00\x00\x20ftypM4A ", "MP4/M4A"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Word .doc"),
    (b"{\\rtf1\\ansi", "RTF document"),
])
def test_files_that_are_no_transcript_are_named(tmp_path, head, what):
    with pytest.raises(OfficialTextError, match=what):
        detect_format(tmp_path / "official.txt", head + b"\x00" * 64)


def test_utf16_text_is_not_mistaken_for_mp3(tmp_path):
    assert detect_format(tmp_path / "a.txt", "Hello".encode("utf-16-le").join([codecs.BOM_UTF16_LE, b""])) == "text"


def test_misnamed_files_are_read_by_content(tmp_path):
    real = {"pdf": make_pdf(tmp_path / "a.pdf", TURNS), "docx": make_docx(tmp_path / "a.docx", TURNS),
            "vtt": make_vtt(tmp_path / "a.vtt", TURNS)}
    for fmt, path in real.items():
        disguised = tmp_path / f"{fmt}-as.txt"
        disguised.write_bytes(path.read_bytes())
        official = read_official(disguised)
        assert official.format == fmt
        assert "nine allegations" in official.text


def test_the_format_option_overrides_detection(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>SPOKESPERSON: Good afternoon to all of you here today. We have received "
                    "nine allegations this year, and the names are not published.</p></body></html>")
    assert read_official(page, "text").text.startswith("<html>")
    assert read_official(page).format == "html"
    with pytest.raises(OfficialTextError, match="unknown transcript format 'odt'"):
        read_official(page, "odt")


@pytest.mark.parametrize("member,content,what", [
    ("mimetype", "application/vnd.oasis.opendocument.text", "OpenDocument text"),
    ("xl/workbook.xml", "<workbook/>", "Excel workbook"),
    ("transcript.txt", "SPOKESPERSON: hello", "holds no Word document"),
])
def test_zip_files_that_are_not_word_documents(tmp_path, member, content, what):
    path = tmp_path / "official.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(member, content)
    with pytest.raises(OfficialTextError, match=what):
        read_official(path)
