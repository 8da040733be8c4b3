"""Moved and repeated passages: one discrepancy each, and edits inside a moved passage still found."""

from __future__ import annotations

from dataclasses import replace

from helpers import compare_texts, fake_transcript

from transcheck.options import CheckOptions
from transcheck.pipeline import compare
from transcheck.sources import official_from_text

A = ("The ministry has sent three convoys of food to the northern province this week, and each convoy "
     "carried enough flour for many families.")
B = ("The road to the coast is still closed after the floods, and the engineers will inspect the bridge "
     "again on Monday morning.")
C = "We will publish the full list of deliveries on our website before the end of the month."


def kinds(found):
    return [(d.kind, d.severity) for d in found]


def test_a_paragraph_moved_within_one_turn_is_one_cosmetic_moved():
    *_, found = compare_texts(f"{A} {B} {C}", f"{B}\n\n{A}\n\n{C}")
    (d,) = found
    assert d.kind == "moved" and d.severity == "cosmetic"
    assert d.rec_text.split() == d.off_text.replace(",", "").replace(".", "").split() and d.rec_end > d.rec_start


def test_an_edit_inside_a_moved_paragraph_is_found():
    edited = A.replace("three convoys", "five convoys")
    *_, found = compare_texts(f"{A} {B} {C}", f"{B}\n\n{edited}\n\n{C}")
    assert ("moved", "cosmetic") in kinds(found)
    inner = [d for d in found if d.kind != "moved"]
    assert [(d.kind, d.rec_text, d.off_text) for d in inner] == [("rewording", "three", "five")]


def test_a_move_under_another_speaker_is_substantive():
    printed = f"SPOKESPERSON: {B}\n\nQUESTION: What about the convoys?\n\nSPOKESPERSON: {A} {C}"
    heard = f"{A} {B} What about the convoys? {C}"
    *_, found = compare_texts(heard, printed)
    moved = [d for d in found if d.kind == "moved"]
    assert moved and moved[0].severity == "substantive"


def test_a_paragraph_printed_twice_is_one_cosmetic_repeated():
    *_, found = compare_texts(f"{A} {B} {C}", f"{A}\n\n{B}\n\n{B}\n\n{C}")
    (d,) = found
    assert d.kind == "repeated" and d.severity == "cosmetic"
    assert d.off_text.startswith("The road to the coast") and d.off_text.rstrip(".").endswith("Monday morning")


def test_a_passage_said_twice_and_printed_twice_is_no_discrepancy():
    *_, found = compare_texts(f"{A} {B} {B} {C}", f"{A}\n\n{B}\n\n{B}\n\n{C}")
    assert found == ()


def test_an_omission_and_an_unrelated_insertion_stay_what_they_are():
    other = ("Officials said the talks would resume on Monday, and the council approved the new security "
             "plan for the region.")
    heard = replace(fake_transcript(f"{A} {B} {C}"), duration=120.0)  # the recording runs on in silence
    *_, found = compare(official_from_text(f"{A}\n\n{C}\n\n{other}"), heard, CheckOptions())
    assert sorted(d.kind for d in found) == ["insertion", "omission"]


def test_a_sentence_the_recogniser_skipped_inside_a_moved_paragraph_stays_with_it():
    """LJ Speech, moved: tiny.en heard "with Robbie made it his capital" for "with mud huts and date
    palms. It was about 2250 BC, when the great Hammurabi made it his capital". The skipped printed
    words must be compared where the paragraph was said, not left where it is printed (there, with no
    audio to hold them, they were a confirmed insertion)."""
    said = A.replace("has sent three convoys of food to the northern province this week, and", "Robbie")
    *_, found = compare_texts(f"{said} {B} {C}", f"{B}\n\n{A}\n\n{C}")
    assert ("moved", "cosmetic") in kinds(found)
    inner = [d for d in found if d.kind != "moved" and d.severity == "substantive"]
    assert [(d.kind, d.rec_text) for d in inner] == [("rewording", "Robbie")]
    assert inner[0].off_text.startswith("has sent three convoys") and inner[0].rec_start < 2.0
