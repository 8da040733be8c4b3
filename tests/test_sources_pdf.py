"""PDF transcripts: page furniture, hyphenation, reading order, labels, damaged and hostile files."""

import re
import sys
from pathlib import Path

import pytest

from format_builders import make_pdf
from transcheck.errors import OfficialTextError
from transcheck.normalize import normalize_official
from transcheck.sources import read_official
from transcheck.sources import pdf as pdf_reader
from transcheck.sources.pdf_layout import Line, Page, join_lines, paragraphs

fpdf = pytest.importorskip("fpdf")
pytest.importorskip("pdfminer")

LONG_TURNS = [
    ("SPOKESPERSON", "Good afternoon. " + " ".join(
        f"Sentence number {i} explains the mission's work with communities along the river and its "
        "humanitarian partners." for i in range(30))),
    ("QUESTION", "Thank you. Could you tell us about the allegations of sexual exploitation and abuse?"),
    ("SPOKESPERSON", "We have received nine allegations this year, and the names are not published."),
]
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _new_pdf(**kwargs):
    pdf = fpdf.FPDF(**kwargs)
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_auto_page_break(False)
    return pdf


def test_headers_footers_symbols_and_page_numbers_are_dropped(tmp_path):
    official = read_official(make_pdf(tmp_path / "b.pdf", LONG_TURNS, title="Daily press briefing"))
    assert official.format == "pdf"
    for furniture in ("United Nations", "SG/SM/18800", "Page 1 of", "Page 2 of"):
        assert furniture not in official.text
    assert "Sentence number 29 explains" in official.text
    assert [lab.speaker for lab in official.labels] == ["SPOKESPERSON", "QUESTION", "SPOKESPERSON"]
    assert official.text.startswith("# Daily press briefing\n\n")


@pytest.mark.parametrize("number_style", ["{n}", "- {n} -", "Page {n}", "{n} | Daily briefing"])
def test_page_number_styles(tmp_path, number_style):
    pdf = _new_pdf(format=(120, 120))
    for n in range(1, 4):
        pdf.add_page()
        pdf.set_font("Helvetica", size=8)
        pdf.set_xy(10, 5)
        pdf.cell(100, 4, number_style.format(n=n), align="R")
        pdf.set_font("Helvetica", size=10)
        pdf.set_xy(10, 40)
        pdf.cell(100, 5, f"Body words of page {['one', 'two', 'three'][n - 1]} are spoken here.")
    pdf.output(str(tmp_path / "n.pdf"))
    text = read_official(tmp_path / "n.pdf").text
    assert text.split("\n\n") == [f"Body words of page {w} are spoken here." for w in ("one", "two", "three")]


@pytest.mark.parametrize("left,right,joined", [
    ("it re-", "mains an allegation", "it remains an allegation"),
    ("the Secretary-", "General said", "the Secretary-General said"),
    ("in 2016-", "2017 we", "in 2016-2017 we"),
    ("a state-of-the-", "art system", "a state-of-the-art system"),
    ("the hands of --", "if it is", "the hands of -- if it is"),
    ("the hands of \u2014", "if it is", "the hands of \u2014 if it is"),
    ("a well-", "known fact", "a well-known fact"),
    ("a well-", "brought-up child", "a well-brought-up child"),
    ("the nitty-", "gritty of it", "the nitty-gritty of it"),
    ("twenty-", "five people", "twenty-five people"),
    ("soft\u00ad", "hyphen", "softhyphen"),
    ("end of sentence.", "Next one", "end of sentence. Next one"),
])
def test_join_lines(left, right, joined):
    assert join_lines(left, right) == joined


def test_a_hyphen_the_document_writes_elsewhere_is_kept():
    assert join_lines("a well-", "known fact", {"well-known"}) == "a well-known fact"
    assert join_lines("a well-", "known fact", {"well-known", "wellknown"}) == "a wellknown fact"


def test_hyphenated_words_in_a_real_pdf_are_joined(tmp_path):
    official = read_official(make_pdf(tmp_path / "h.pdf", LONG_TURNS, page_format=(80, 200)))
    from pdfminer.high_level import extract_text

    assert re.search(r"[a-z]-\n[a-z]", extract_text(str(tmp_path / "h.pdf")))  # the builder did hyphenate
    words = {t.text for t in normalize_official(official)}
    assert {"humanitarian", "communities", "allegations"} <= words
    assert not any(w.endswith("-") for w in words)


def test_two_columns_are_read_column_by_column(tmp_path):
    pdf = _new_pdf(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for i in range(12):  # drawn row by row, so content order interleaves the columns
        pdf.set_xy(15, 30 + i * 5)
        pdf.cell(85, 5, f"left column line {i} alpha")
        pdf.set_xy(115, 30 + i * 5)
        pdf.cell(85, 5, f"right column line {i} beta")
    pdf.output(str(tmp_path / "c.pdf"))
    text = read_official(tmp_path / "c.pdf").text
    assert text.index("left column line 11") < text.index("right column line 0")
    assert text.index("left column line 0") < text.index("left column line 1")


def test_loose_line_spacing_keeps_paragraphs_together(tmp_path):
    pdf = _new_pdf(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    y = 30
    for paragraph in (["SPOKESPERSON: First turn, first line", "and its second line."],
                      ["QUESTION: Second turn, first line", "and its second line."]):
        for line in paragraph:
            pdf.set_xy(20, y)
            pdf.cell(150, 6, line)
            y += 9  # one-and-a-half spacing
        y += 9
    pdf.output(str(tmp_path / "s.pdf"))
    assert read_official(tmp_path / "s.pdf").text == (
        "SPOKESPERSON: First turn, first line and its second line.\n\n"
        "QUESTION: Second turn, first line and its second line.")


def test_a_paragraph_broken_by_a_page_is_joined(tmp_path):
    pdf = _new_pdf(format=(120, 120))
    for n, line in enumerate(["SPOKESPERSON: The mission will publish", "the figures next week.",
                              "QUESTION: When exactly?"]):
        pdf.add_page()
        pdf.set_font("Helvetica", size=10)
        pdf.set_xy(10, 40)
        pdf.cell(100, 5, line)
    pdf.output(str(tmp_path / "p.pdf"))
    assert read_official(tmp_path / "p.pdf").text == (
        "SPOKESPERSON: The mission will publish the figures next week.\n\nQUESTION: When exactly?")


def test_bold_name_above_a_turn_is_its_label(tmp_path):
    pdf = _new_pdf(format="A4")
    pdf.add_page()
    for y, style, text in ((30, "B", "Mr. Dujarric"), (36, "", "Good afternoon, and welcome to the briefing."),
                           (50, "B", "Question"), (56, "", "Thank you, St\u00e9phane.")):
        pdf.set_font("Helvetica", style, size=11)
        pdf.set_xy(20, y)
        pdf.cell(150, 6, text)
    pdf.output(str(tmp_path / "b.pdf"))
    official = read_official(tmp_path / "b.pdf")
    assert official.text == ("Mr. Dujarric: Good afternoon, and welcome to the briefing.\n\n"
                             "Question: Thank you, St\u00e9phane.")
    assert [lab.speaker for lab in official.labels] == ["MR. DUJARRIC", "QUESTION"]


def test_non_ascii_survives(tmp_path):
    turns = [("MS. L\u00d3PEZ", "Jos\u00e9 Ramos-Horta said \u201cd\u00e9j\u00e0 vu\u201d \u2014 it\u2019s "
                                "the ni\u00f1os\u2019 caf\u00e9, \u00bfno? \u00a7 12 \u2013 fine.")]
    official = read_official(make_pdf(tmp_path / "u.pdf", turns))
    assert official.text.endswith("MS. L\u00d3PEZ: " + turns[0][1])  # one page: its header cannot be told
    assert [lab.speaker for lab in official.labels] == ["MS. L\u00d3PEZ"]


@pytest.mark.skipif(not DEJAVU.exists(), reason="DejaVu font not installed")
def test_non_latin_scripts_survive(tmp_path):
    turns = [(None, "\u0417\u0434\u0440\u0430\u0432\u0441\u0442\u0432\u0443\u0439\u0442\u0435, "
                    "\u03ba\u03b1\u03bb\u03b7\u03bc\u03ad\u03c1\u03b1 and \u0141\u00f3d\u017a.")]
    official = read_official(make_pdf(tmp_path / "u.pdf", turns, font_file=str(DEJAVU)))
    assert official.text.endswith(turns[0][1])


def test_offsets_point_into_the_extracted_text(tmp_path):
    official = read_official(make_pdf(tmp_path / "o.pdf", LONG_TURNS))
    tokens = normalize_official(official)
    assert len(tokens) > 300
    for token in tokens:
        assert official.text[int(token.start):int(token.end)] == token.text


def test_furniture_needs_the_same_place_on_several_pages():
    def page(*lines):
        return Page(800.0, tuple(Line(t, 50, 500, top, top + 10, 10, False) for t, top in lines))

    body = "QUESTION: Is the mission still in Juba?"
    pages = [page(("Briefing of 7 December", 20), (body, 200)),
             page(("Briefing of 7 December", 21), (body, 40), ("Page 2", 780)),
             page(("Briefing of 7 December", 400), ("The end.", 200))]
    texts = [b.text for b in paragraphs(pages)]
    assert texts == [body, body, "Briefing of 7 December", "The end."]


def test_scan_without_text_layer(tmp_path):
    pdf = _new_pdf()
    pdf.add_page()
    pdf.rect(10, 10, 150, 200, style="F")
    pdf.output(str(tmp_path / "scan.pdf"))
    with pytest.raises(OfficialTextError, match=r"no text layer.*ocrmypdf"):
        read_official(tmp_path / "scan.pdf")


def test_password_protected(tmp_path):
    pdf = _new_pdf()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(100, 10, "Secret briefing words")
    pdf.output(str(tmp_path / "locked.pdf"))
    with pytest.raises(OfficialTextError, match="password"):
        read_official(tmp_path / "locked.pdf")


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.9])
def test_truncated_or_damaged(tmp_path, cut):
    data = make_pdf(tmp_path / "ok.pdf", LONG_TURNS).read_bytes()
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(data[: int(len(data) * cut)])
    with pytest.raises(OfficialTextError) as caught:
        read_official(bad)
    assert str(bad) in str(caught.value) and "\n" not in str(caught.value)


def test_garbage_after_the_header(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 50)
    with pytest.raises(OfficialTextError, match="PDF"):
        read_official(bad)


def test_unpacking_bomb_and_page_limits(tmp_path, monkeypatch):
    path = make_pdf(tmp_path / "b.pdf", LONG_TURNS)
    monkeypatch.setattr(pdf_reader, "MAX_STREAM_BYTES", 64)
    with pytest.raises(OfficialTextError, match="unpacks to more than"):
        read_official(path)
    monkeypatch.setattr(pdf_reader, "MAX_STREAM_BYTES", 64 * 1024 * 1024)
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 1)
    with pytest.raises(OfficialTextError, match="more than 1 pages"):
        read_official(path)


def test_missing_library_says_how_to_install(tmp_path, monkeypatch):
    path = make_pdf(tmp_path / "b.pdf", LONG_TURNS[1:])
    monkeypatch.setitem(sys.modules, "pdfminer", None)
    with pytest.raises(OfficialTextError, match=r"pip install 'transcheck\[pdf\]'"):
        read_official(path)
