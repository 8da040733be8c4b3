"""Page furniture (issue 15): kept in the official text and listed, never compared as speech."""

import docx
import fpdf
import pytest

from transcheck.models import OfficialText
from transcheck.normalize import normalize_official
from transcheck.sources import official_from_text, read_official


def compared(official):
    return " ".join(t.norm for t in normalize_official(official) if t.norm)


def kinds(official):
    return [(f.kind, official.text[f.start:f.end]) for f in official.furniture]


FRONT = ("---\ndate: '2023-01-13'\nsource_url: https://example.gov/briefing/2023/01/13/\ntags: press-briefings\n"
         "title: \"Press Briefing by the Press\\\n  \\ Secretary\\_Today\"\n---\n \nJames S. Brady Press Briefing Room\n\n"
         "12:52 P.M. EST\n\nMS. JEAN-PIERRE:  Good afternoon, everyone.\n\nQ    Good afternoon.\n\n1:47 P.M. EST\n")


def test_front_matter_title_block_and_time_stamps(tmp_path):
    path = tmp_path / "briefing.md"
    path.write_text(FRONT, encoding="utf-8")
    official = read_official(path)
    assert official.text == FRONT  # nothing deleted
    assert [k for k, _ in kinds(official)] == ["front matter", "title block", "time stamp", "time stamp"]
    assert compared(official) == "good afternoon everyone good afternoon"
    assert official.title == "Press Briefing by the Press Secretary Today"
    assert official.date == "2023-01-13"


def test_furniture_survives_the_json_report_round_trip():
    official = official_from_text(FRONT, fmt="markdown")
    data = official.to_dict()
    assert data["furniture"][0]["kind"] == "front matter" and data["furniture"][0]["text"].startswith("---")
    assert OfficialText.from_dict(data) == official


def test_column_marker_inside_a_speech():
    text = ("Mr Hague: It shows the extraordinary hypocrisy of the Iranian leadership\n\n"
            "19 July 2011 : Column 772\n\non this that it has been prepared.\n\nMr Hanson: Column 5 is wrong.")
    official = official_from_text(text)
    assert kinds(official) == [("column marker", "19 July 2011 : Column 772")]
    assert "iranian leadership on this that" in compared(official)
    assert "column 5 is wrong" in compared(official)  # a sentence, not a marker


def test_division_list():
    names = "\n\n".join(["Abbott, Ms Diane", "Abrahams, Debbie", "Morris, Grahame M.", "(Easington)",
                         "Tellers for the Ayes:", "Lilian Greenwood and", "Gregg McClymont", "NOES",
                         "Adams, Nigel", "Afriyie, Adam"])
    text = (f"Mr Hurd: I commend the Bill to the House.\n\nThe House divided:\n\nAyes 231, Noes 307.\n\n"
            f"Division No. 321]\n\nAYES\n\n{names}\n\nQuestion accordingly negatived.")
    official = official_from_text(text)
    assert [k for k, _ in kinds(official)] == ["division list"]
    assert compared(official) == "i commend the bill to the house question accordingly negatived"


def test_court_transcript_furniture():
    text = ("1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25\n\n"
            "MS. ALIZADEH: Sheila, he needs to be sworn in.\n\n"
            "DORIAN JOHNSON, of lawful age, having been first duly sworn to testify the truth, deposes and says:\n\n"
            "EXAMINATION\n\nBY MS. WHIRLEY:\n\nQ    So introduce yourself.\n\nA    Good afternoon.\n\n"
            "Transcribed by Jane Smith, Certified Court Reporter")
    official = official_from_text(text)
    assert [k for k, _ in kinds(official)] == ["line numbers", "swearing-in", "examination heading",
                                               "examination heading", "credit"]
    assert [lab.speaker for lab in official.labels] == ["MS. ALIZADEH", "Q", "A"]
    assert compared(official) == "sheila he needs to be sworn in so introduce yourself good afternoon"


def test_title_block_and_procedural_notes_before_and_after_the_speech():
    text = ("NATIONAL ASSEMBLY\n\nWednesday, 3rd May, 2006\n\nGeneva, 2 December 2025\n\n"
            "The House met at 9.00 a.m.\n\nPRAYERS\n\nMr. Speaker: Order. I have a short communication.\n\n"
            "Mr. Ojode: Thank you. I was going to the meeting.\n\nThe House rose at 12.30 p.m.")
    official = official_from_text(text)
    assert compared(official) == "order i have a short communication thank you i was going to the meeting"
    assert len(official.furniture) == 6


def test_prose_before_the_first_speech_is_kept():
    text = "The Minister opened the meeting with a statement on the budget.\n\nMR. SMITH: Thank you."
    assert compared(official_from_text(text)).startswith("the minister opened the meeting")


PAGE = """<html><head><title>Standing Committee, 2023-09-20</title></head><body>
<h1>Standing Committee on Science and Research, 2023-09-20</h1>
<table><tr class="metadata"><th>committee_acronym</th><td>SRSR</td></tr>
<tr><th>committee_name_fr</th><td>Comit\u00e9 permanent de la science</td></tr></table>
<div class="statement" data-person-speaking-hocid="298415"
     data-person-speaking-attribution="The Chair (Mr. Lloyd Longfield (Guelph, Lib.))">
<p>Welcome to meeting number 53 of the Standing Committee on Science and Research.</p>
<p>I will ask the <a class="related_link politician" href="/mp/1">Prime Minister</a> and the member
for <a class="related_link" href="/r/2">Scarborough-Guildwood</a> to speak.</p></div>
<div class="statement" data-person-speaking-attribution="Mr. Benjamin Fung" data-person-speaking-type="witness">
<p>Good afternoon, Chair and committee members.</p></div>
<p><b>Sarah Teather</b> Will the Minister give way on this point, please?</p>
</body></html>"""


def test_web_page_speakers_metadata_and_inline_links(tmp_path):
    path = tmp_path / "committee.html"
    path.write_text(PAGE, encoding="utf-8")
    official = read_official(path)
    assert [official.text[lab.start:lab.end] for lab in official.labels] == [
        "The Chair (Mr. Lloyd Longfield (Guelph, Lib.)):", "Mr. Benjamin Fung:", "Sarah Teather"]
    assert [k for k, _ in kinds(official)] == ["metadata table", "metadata table"]
    words = compared(official)
    assert words.startswith("welcome to meeting number")
    assert "ask the prime minister and the member for scarborough guildwood to speak" in words
    assert "srsr" not in words and "comite" not in words and "committee acronym" not in words


def test_word_bold_run_opening_a_paragraph_is_a_label(tmp_path):
    document = docx.Document()
    for name, words in (("TAVELA", "Where did you grow up?"), ("SOLOMON", "In a small town in Ohio.")):
        paragraph = document.add_paragraph()
        paragraph.add_run(name).bold = True
        paragraph.add_run("   " + words)
    document.add_paragraph("Transcribed by Mim Eisenberg/WordCraft")
    document.save(tmp_path / "interview.docx")
    official = read_official(tmp_path / "interview.docx")
    assert [lab.speaker for lab in official.labels] == ["TAVELA", "SOLOMON"]
    assert compared(official) == "where did you grow up in a small town in ohio"


def _court_pdf(path):
    """A court reporter's page: line numbers 1-25 in the margin, Q and A at a tab stop, indented turns.

    The indented first line of each turn is drawn after the lines below it, as layout analysis
    of such pages tends to order them.
    """
    rows = {1: ("", "MS. WHIRLEY: So for the record, we are"), 2: ("", "back on the record now."),
            3: ("Q", "So introduce yourself to the grand"), 4: ("", "jurors?"),
            5: ("A", "Good afternoon everybody. My name is"), 6: ("", "Dorian Johnson.")}
    pdf = fpdf.FPDF(format="letter", unit="pt")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 12)
    for n in range(1, 26):
        pdf.text(140 if n < 10 else 133, 100 + 23.5 * n, str(n))
    pdf.set_font("Helvetica", "", 12)
    for n in sorted(rows, key=lambda n: (n % 2 == 1, n)):  # odd rows (each turn's first line) last
        qa, words = rows[n]
        y = 100 + 23.5 * n
        if qa:
            pdf.text(211, y, qa)
        pdf.text(250 if n % 2 else 174, y, words)
    pdf.output(str(path))
    return path


def test_numbered_line_layout_is_read_top_to_bottom(tmp_path):
    official = read_official(_court_pdf(tmp_path / "court.pdf"))
    assert [lab.speaker for lab in official.labels] == ["MS. WHIRLEY", "Q", "A"]
    assert compared(official) == ("so for the record we are back on the record now so introduce yourself to the grand "
                                  "jurors good afternoon everybody my name is dorian johnson")
    assert kinds(official)[0] == ("line numbers", " ".join(str(n) for n in range(1, 26)))


def test_wrapped_prose_keeps_lines_that_look_like_furniture():
    text = ("MR. SMITH: We met when the\nHouse rose to its feet and at\n12:30 P.M. EST\nwe left.\n\n"
            "Copyright law matters.\n\nCopyright 2024 Example Media")
    official = official_from_text(text)
    assert kinds(official) == [("credit", "Copyright 2024 Example Media")]
    assert compared(official) == ("we met when the house rose to its feet and at 1230 pm est we left "
                                  "copyright law matters")


def test_a_transcript_in_capitals_has_no_headings_in_capitals():
    text = "THE COURT: GOOD MORNING.\n\nMR. JONES: GOOD MORNING\n\nTHE COURT: PLEASE BE SEATED\n\nWE ARE READY"
    official = official_from_text(text)
    assert official.furniture == ()
    assert compared(official) == "good morning good morning please be seated we are ready"


def _bold_lead_pdf(path, turns):
    pdf = fpdf.FPDF(format="A4")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.add_page()
    for name, words in turns:
        pdf.set_font("Helvetica", "B", 11)
        pdf.write(6, name)
        pdf.set_font("Helvetica", "", 11)
        pdf.write(6, words)
        pdf.ln(12)
    pdf.output(str(path))
    return path


def test_pdf_bold_name_opening_a_line_is_a_label(tmp_path):
    turns = [("Mr. Angwenyi", "  Mr. Deputy Speaker, Sir, I beg to move."), ("Hon. Members", "  Hear! Hear!"),
             ("Mr. Angwenyi", "  Thank you, Sir.")]
    official = read_official(_bold_lead_pdf(tmp_path / "bold.pdf", turns))
    assert [lab.speaker for lab in official.labels] == ["MR. ANGWENYI", "HON. MEMBERS", "MR. ANGWENYI"]
    assert compared(official) == "mr deputy speaker sir i beg to move hear hear thank you sir"


def test_a_bold_name_in_a_sentence_is_no_label_where_labels_end_in_colons(tmp_path):
    turns = [("Mr. Lesrima", " asked the Minister of State what steps he is taking."),
             ("Mr. Kingi:", " Mr. Deputy Speaker, Sir, I beg to reply."), ("Mr. Lesrima:", " Thank you."),
             ("Mr. Kingi:", " You are welcome.")]
    official = read_official(_bold_lead_pdf(tmp_path / "asked.pdf", turns))
    assert [lab.speaker for lab in official.labels] == ["MR. KINGI", "MR. LESRIMA", "MR. KINGI"]
    assert compared(official).startswith("mr lesrima asked the minister")
