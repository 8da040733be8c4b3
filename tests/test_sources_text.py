"""Plain-text and Markdown transcripts: encodings, newlines, labels, editorial marks."""

import codecs

import pytest

from transcheck.errors import OfficialTextError
from transcheck.sources import detect_format, read_official
from transcheck.sources.annotate import annotate

TEXT = "SPOKESPERSON: Good afternoon. Caf\u00e9 \u201cR\u00e9sum\u00e9\u201d \u2014 Guterres.\n\nQ: Thank you [inaudible].\n"


@pytest.mark.parametrize("encoded", [
    TEXT.encode("utf-8"),
    codecs.BOM_UTF8 + TEXT.encode("utf-8"),
    TEXT.replace("\n", "\r\n").encode("utf-8"),
    TEXT.encode("utf-16"),
])
def test_utf_variants_decode_to_the_same_words(tmp_path, encoded):
    path = tmp_path / "official.txt"
    path.write_bytes(encoded)
    official = read_official(path)
    assert official.text.replace("\r\n", "\n") == TEXT
    assert [lab.speaker for lab in official.labels] == ["SPOKESPERSON", "Q"]


def test_plain_text_offsets_point_into_the_file_content(tmp_path):
    path = tmp_path / "official.txt"
    path.write_bytes(TEXT.replace("\n", "\r\n").encode("utf-8"))
    official = read_official(path)
    assert official.text == path.read_bytes().decode("utf-8")


def test_windows_1252_is_detected(tmp_path):
    path = tmp_path / "official.txt"
    path.write_bytes("MR. DUJARRIC: The caf\u00e9 is closed \u2013 d\u00e9j\u00e0 vu, it\u2019s said.".encode("cp1252"))
    official = read_official(path)
    assert "caf\u00e9" in official.text and "\u2019" in official.text


@pytest.mark.parametrize("content,message", [
    (b"", "empty"),
    (b"   \n\n  ", "empty"),
    (b"\x00\x01\x02binary\x00\xff" * 20, "binary"),
    (b"... --- !!!", "no words"),
])
def test_bad_transcripts_are_refused(tmp_path, content, message):
    path = tmp_path / "official.txt"
    path.write_bytes(content)
    with pytest.raises(OfficialTextError, match=message):
        read_official(path)


def test_missing_and_directory(tmp_path):
    with pytest.raises(OfficialTextError, match="no such"):
        read_official(tmp_path / "nope.txt")
    with pytest.raises(OfficialTextError, match="directory"):
        read_official(tmp_path)


@pytest.mark.parametrize("line,speaker", [
    ("THE PRESIDENT: Thank you all.", "THE PRESIDENT"),
    ("Q: Is that right?", "Q"),
    ("QUESTION: Is that right?", "QUESTION"),
    ("MS. CONNORS: Yes.", "MS. CONNORS"),
    ("SPOKESPERSON: Yes.", "SPOKESPERSON"),
    ("**SECRETARY-GENERAL:** We welcome it.", "SECRETARY-GENERAL"),
    ("Mr. Dujarric: Yes.", "MR. DUJARRIC"),
    ("Spokesperson: Yes.", "SPOKESPERSON"),
    ("MR. HAQ (via interpreter): Yes.", "MR. HAQ"),
])
def test_speaker_labels(line, speaker):
    labels, _, _ = annotate(line)
    assert [lab.speaker for lab in labels] == [speaker]


@pytest.mark.parametrize("line", ["It was 9: the time.", "Note that: nothing", "Clearly this is it: yes."])
def test_sentences_with_colons_are_not_labels(line):
    assert annotate(line)[0] == ()


def test_editorial_marks_and_gaps():
    text = "We (Laughter) agree [inaudible] with the (UNMISS) mission [sic] (crosstalk)."
    _, marks, _ = annotate(text)
    assert [(m.text, m.gap) for m in marks] == [
        ("(Laughter)", False), ("[inaudible]", True), ("[sic]", False), ("(crosstalk)", True)]


def test_markdown_headings_are_not_spoken(tmp_path):
    path = tmp_path / "official.md"
    path.write_text("# Press briefing, 7 December\n\n**Q:** Hello.\n", encoding="utf-8")
    official = read_official(path)
    assert official.format == "markdown"
    assert official.marks[0].text.startswith("# Press briefing")
    assert [lab.speaker for lab in official.labels] == ["Q"]


def test_format_detected_by_content(tmp_path):
    assert detect_format(tmp_path / "x.txt", b"%PDF-1.7\n") == "pdf"  # content wins over the extension
    assert detect_format(tmp_path / "x.md", b"hello") == "markdown"
    assert detect_format(tmp_path / "x.bin", b"hello") == "text"
