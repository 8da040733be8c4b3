"""Speaker labels as published transcripts print them (issue 15): learnt from the document."""

import pytest

from transcheck.normalize import normalize_official
from transcheck.sources import official_from_text


def labels(text):
    official = official_from_text(text)
    return [official.text[lab.start:lab.end].rstrip(": \t") for lab in official.labels]


def compared(text):
    return " ".join(t.norm for t in normalize_official(official_from_text(text)) if t.norm)


@pytest.mark.parametrize("label", [
    "Hon. Owen Baya (Kilifi North, UDA)",
    "The Secretary of State for Foreign and Commonwealth Affairs (Mr William Hague)",
    "The Assistant Minister, Office of the President (Mr. Kingi)",
    "The Temporary Deputy Speaker (Mr. Khamasi)",
    "Mr. M.A. Mohamud",
    "Mr. ole Metito",
    "Prof. Anyang'-Nyong'o",
    "Stephen Twigg (Liverpool, West Derby) (Lab/Co-op)",
    "The Chair (Mr. Lloyd Longfield (Guelph, Lib.))",
    "SENIOR ADMINISTRATION OFFICIAL",
])
def test_long_and_formal_labels(label):
    text = f"{label}: I beg to move the Motion.\n\nMr. Speaker: Order.\n\nMr. Speaker: Order, order."
    assert labels(text)[0] == label
    assert compared(text).startswith("i beg to move the motion")


def test_mixed_case_names_in_a_document_of_turns():
    text = ("Sarah Teather: Will the Minister give way?\n\nMr Hague: I will.\n\n"
            "Sarah Teather: I thank him.\n\nKey Points: this paragraph is prose.")
    assert labels(text) == ["Sarah Teather", "Mr Hague", "Sarah Teather"]


def test_a_capitalised_phrase_is_no_label_in_a_document_without_turns():
    assert labels("Key Points: prices fell.\n\nThe rest is prose without speakers.") == []


@pytest.mark.parametrize("qa", ["Q    Is that right?", "Q\u00a0\u00a0\u00a0 Is that right?", "Q: Is that right?",
                                "Q \u2014 Is that right?", "Q\tIs that right?", "Q. Is that right?"])
def test_reporter_q_and_a_with_colon_dash_tab_or_spaces(qa):
    official = official_from_text(f"MS. JEAN-PIERRE: Hello.\n\n{qa}\n\nA  Yes.")
    assert [lab.speaker for lab in official.labels] == ["MS. JEAN-PIERRE", "Q", "A"]
    assert "is that right" in compared(f"MS. JEAN-PIERRE: Hello.\n\n{qa}")


def test_a_sentence_starting_with_a_is_not_an_answer():
    assert labels("MR. SMITH: Hello.\n\nA lot of people came.") == ["MR. SMITH"]


def test_two_turns_run_into_one_paragraph_are_split():
    text = ("Mr. J. Nyagah: Thank you.\n\nMr. Deputy Speaker: Last question, Mr. J. Nyagah! Mr. J. Nyagah: "
            "Mr. Deputy Speaker, Sir, given that our people donated this land.")
    official = official_from_text(text)
    assert [lab.speaker for lab in official.labels] == ["MR. J. NYAGAH", "MR. DEPUTY SPEAKER", "MR. J. NYAGAH"]
    last = official.labels[-1]
    assert official.paragraphs[-1][0] == last.start
    assert "last question mr j nyagah mr deputy speaker sir" in compared(text)


def test_a_long_form_after_a_sentence_starts_a_turn():
    text = ("Mr. Ojode asked the Minister what the value is. The Minister for Finance (Mr. Kimunya): "
            "Mr. Deputy Speaker, Sir, I beg to reply.")
    assert labels(text) == ["The Minister for Finance (Mr. Kimunya)"]


@pytest.mark.parametrize("heading", ["PRESIDENTIAL SPEECH", "OFFICIAL REPORT", "QUESTION BY PRIVATE NOTICE",
                                     "ORAL ANSWERS TO QUESTIONS:"])
def test_headings_in_capitals_are_not_labels(heading):
    official = official_from_text(f"{heading}\n\nMR. SPEAKER: Order.\n\nMR. SPEAKER: Order, order.")
    assert [lab.speaker for lab in official.labels] == ["MR. SPEAKER", "MR. SPEAKER"]
    assert not compared(f"{heading}\n\nMR. SPEAKER: Order.").startswith(heading.split()[0].lower())


def test_speech_glued_to_the_colon_is_still_speech():
    text = "Mr David Hanson (Delyn) (Lab):I beg to move.\n\nMr Hague: No."
    assert labels(text)[0] == "Mr David Hanson (Delyn) (Lab)"
    assert compared(text).startswith("i beg to move")


def test_question_numbers_and_references_before_a_label():
    text = "T1. [66880] Harriett Baldwin (West Worcestershire) (Con): If he will make a statement.\n\nMr Hague: Yes."
    assert labels(text) == ["Harriett Baldwin (West Worcestershire) (Con)", "Mr Hague"]


@pytest.mark.parametrize("line", ["He said: we will go.", "The reason is simple: money.", "At 9:30 we met.",
                                  "The following: a list."])
def test_sentences_with_colons_stay_speech(line):
    assert labels(f"MR. SMITH: Hello.\n\n{line}") == ["MR. SMITH"]


def test_a_wrapped_line_starting_with_a_capitalised_phrase_is_no_label():
    text = ("MS. JEAN-PIERRE: All of this thanks to, again, the\nInflation Reduction Act: it lowers costs.\n\n"
            "Q    And the Act?\n\nMS. JEAN-PIERRE: Yes.")
    assert labels(text) == ["MS. JEAN-PIERRE", "Q", "MS. JEAN-PIERRE"]


def test_one_turn_per_line_without_blank_lines():
    text = "Sarah Teather: Will he give way?\nMr Hague: I will.\nSarah Teather: Thank you."
    assert labels(text) == ["Sarah Teather", "Mr Hague", "Sarah Teather"]


@pytest.mark.parametrize("label", ["Hon. (Dr) Robert Pukose (Endebess, UDA)",
                                   "Hon. Major (Rtd) Abdullahi Sheikh (Mandera North, UDM)",
                                   "His Excellency the President (Mr. Daniel Toroitich arap Moi)"])
def test_titles_in_brackets_and_excellencies(label):
    assert labels(f"{label}: Thank you.\n\nHon. Speaker: Order.\n\nHon. Speaker: Order.")[0] == label
