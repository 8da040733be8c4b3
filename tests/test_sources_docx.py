"""Word documents: body paragraphs in order, labels, headings, tables, tracked changes, bad files."""

import sys
import zipfile

import pytest

from format_builders import expected_text, make_docx
from transcheck.errors import OfficialTextError
from transcheck.normalize import normalize_official
from transcheck.sources import read_official

docx = pytest.importorskip("docx")

TURNS = [
    ("MR. DUJARRIC", "Good afternoon. The Secretary-General welcomes the agreement reached in Juba."),
    ("QUESTION", "Thank you, St\u00e9phane. Will the mission publish the names \u2014 \u201call of them\u201d?"),
    ("MR. DUJARRIC", "We have received nine allegations this year; the names are not published."),
]


def test_paragraphs_labels_and_headings(tmp_path):
    official = read_official(make_docx(tmp_path / "b.docx", TURNS, title="Noon briefing"))
    assert official.format == "docx"
    assert official.text == expected_text(TURNS, title="Noon briefing")  # the own-paragraph name joins its turn
    assert [lab.speaker for lab in official.labels] == ["MR. DUJARRIC", "QUESTION", "MR. DUJARRIC"]
    assert "United Nations" not in official.text and "Page 1" not in official.text  # header/footer parts


def test_offsets_point_into_the_extracted_text(tmp_path):
    official = read_official(make_docx(tmp_path / "b.docx", TURNS))
    for token in normalize_official(official):
        assert official.text[int(token.start):int(token.end)] == token.text


def test_table_rows_line_breaks_and_bold_style(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    for row, (label, words) in zip(table.rows, TURNS):
        row.cells[0].paragraphs[0].add_run(label).bold = True
        row.cells[1].text = words
    paragraph = document.add_paragraph("SPOKESPERSON: First line")
    paragraph.add_run().add_break()
    paragraph.add_run("second line of the same turn.")
    strong = document.add_paragraph(style="Intense Quote")  # bold through its style (Word's default template)
    strong.add_run("Ms. L\u00f3pez")
    document.add_paragraph("Gracias. Ni\u00f1os, caf\u00e9, \u00e0 bient\u00f4t.")
    path = tmp_path / "t.docx"
    document.save(str(path))
    official = read_official(path)
    assert official.text == (
        f"MR. DUJARRIC: {TURNS[0][1]}\n\nQUESTION: {TURNS[1][1]}\n\n"
        "SPOKESPERSON: First line\nsecond line of the same turn.\n\n"
        "Ms. L\u00f3pez: Gracias. Ni\u00f1os, caf\u00e9, \u00e0 bient\u00f4t.")


def test_tracked_changes_keep_insertions_and_drop_deletions(tmp_path):
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    paragraph = document.add_paragraph("SPOKESPERSON: The mission ")
    paragraph._p.append(parse_xml(
        f'<w:del {nsdecls("w")} w:id="1" w:author="ed" w:date="2017-01-01T00:00:00Z">'
        '<w:r><w:delText>never </w:delText></w:r></w:del>'))
    paragraph._p.append(parse_xml(
        f'<w:ins {nsdecls("w")} w:id="2" w:author="ed" w:date="2017-01-01T00:00:00Z">'
        '<w:r><w:t xml:space="preserve">always </w:t></w:r></w:ins>'))
    paragraph.add_run("publishes its figures.")
    path = tmp_path / "tracked.docx"
    document.save(str(path))
    assert read_official(path).text == "SPOKESPERSON: The mission always publishes its figures."


def test_content_controls_are_opened(tmp_path):
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_paragraph("QUESTION: Before the control.")
    document.element.body.insert(1, parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtContent><w:p><w:r><w:t>SPOKESPERSON: Inside a content control.</w:t>'
        '</w:r></w:p></w:sdtContent></w:sdt>'))
    path = tmp_path / "sdt.docx"
    document.save(str(path))
    assert read_official(path).text == "QUESTION: Before the control.\n\nSPOKESPERSON: Inside a content control."


def _rezip(source, path, drop=(), replace=None):
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w") as out:
        for info in src.infolist():
            if info.filename in drop:
                continue
            data = src.read(info.filename)
            if replace and info.filename == replace[0]:
                data = replace[1]
            out.writestr(info, data)
    return path


@pytest.mark.parametrize("damage,fragment", [
    (lambda src, dst: dst.write_bytes(src.read_bytes()[:600]), "damaged ZIP"),
    (lambda src, dst: _rezip(src, dst, replace=("word/document.xml", b"<w:document><unclosed")), "Word document"),
    (lambda src, dst: _rezip(src, dst, drop=("word/document.xml",)), "Word document"),
])
def test_damaged_documents(tmp_path, damage, fragment):
    good = make_docx(tmp_path / "good.docx", TURNS)
    bad = tmp_path / "bad.docx"
    damage(good, bad)
    with pytest.raises(OfficialTextError, match=fragment) as caught:
        read_official(bad)
    assert str(bad) in str(caught.value)


def test_zip_bomb_is_refused(tmp_path, monkeypatch):
    from transcheck.sources import word

    monkeypatch.setattr(word, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(OfficialTextError, match="unpacks to"):
        read_official(make_docx(tmp_path / "b.docx", TURNS))


def test_empty_document(tmp_path):
    path = tmp_path / "empty.docx"
    docx.Document().save(str(path))
    with pytest.raises(OfficialTextError, match="no transcript words"):
        read_official(path)


def test_missing_library_says_how_to_install(tmp_path, monkeypatch):
    path = make_docx(tmp_path / "b.docx", TURNS)
    monkeypatch.setitem(sys.modules, "docx", None)
    with pytest.raises(OfficialTextError, match=r"pip install 'transcheck\[docx\]'"):
        read_official(path)
