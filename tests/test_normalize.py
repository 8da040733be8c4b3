"""Normalisation: the same named steps on both sides, originals and offsets kept."""

from pathlib import Path

import pytest

from transcheck.normalize import WORD_STEPS, Piece, normalize_word, split_words, tokenize

CASES = Path(__file__).parent / "cases"


def _pairs(name):
    for line in (CASES / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield tuple(line.split("\t"))


def _norm(text):
    pieces = [Piece(text[a:b], a, b) for a, b in split_words(text)]
    return " ".join(t.norm for t in tokenize(pieces) if t.norm)


@pytest.mark.parametrize("heard,printed", list(_pairs("equivalent.tsv")))
def test_equivalent_forms_normalise_alike(heard, printed):
    assert _norm(heard) == _norm(printed)


@pytest.mark.parametrize("a,b", [("nine", "nineteen"), ("not", "now"), ("riper", "writer"),
                                 ("2250", "2205"), ("U.N.", "EU"), ("it is", "it was")])
def test_different_words_stay_different(a, b):
    assert _norm(a) != _norm(b)


def test_steps_are_named_and_ordered():
    names = [name for name, _ in WORD_STEPS]
    assert names[:2] == ["unicode", "case"] and "contractions" in names and names[-1] == "fillers"


def test_fillers_have_no_matching_form_but_keep_their_text():
    text = "Um, we uh agreed."
    pieces = [Piece(text[a:b], a, b) for a, b in split_words(text)]
    tokens = tokenize(pieces)
    assert [(t.text, t.norm, t.filler) for t in tokens] == [
        ("Um", "", True), ("we", "we", False), ("uh", "", True), ("agreed", "agreed", False)]


def test_offsets_slice_the_original_text():
    text = "SPOKESPERSON: \u201cIt\u2019s\u201d\u2014the U.N.\u2019s 9 o'clock (re-read) plan..."
    for a, b in split_words(text):
        assert text[a:b].strip() == text[a:b]
        assert any(c.isalnum() for c in text[a:b])
    assert [text[a:b] for a, b in split_words(text)] == [
        "SPOKESPERSON", "It\u2019s", "the", "U.N.\u2019s", "9", "o'clock", "re-read", "plan"]


def test_number_runs_merge_into_one_token_with_the_run_span():
    text = "about twenty-two fifty B.C., when"
    pieces = [Piece(text[a:b], a, b) for a, b in split_words(text)]
    tokens = tokenize(pieces)
    number = next(t for t in tokens if t.norm == "2250")
    assert text[int(number.start):int(number.end)] == "twenty-two fifty"


def test_digits_do_not_swallow_following_number_words():
    assert _norm("in 2017 twenty seventeen") == "in 2017 2017"


def test_word_normalisation_is_cached_and_pure():
    assert normalize_word("Colour") == normalize_word("colour") == "color"


def test_numbers_split_by_the_recogniser_are_joined():
    from helpers import fake_transcript
    from transcheck.normalize import normalize_recording

    tokens = normalize_recording(fake_transcript("as early as 3 ,800 BC and 2 .5 percent"))
    assert [t.norm for t in tokens if any(c.isdigit() for c in t.norm)] == ["3800", "2.5%"]


def test_number_runs_stop_at_punctuation():
    from helpers import fake_transcript
    from transcheck.normalize import normalize_official, normalize_recording
    from transcheck.sources import official_from_text

    for text, norms in (("nine ; $5", ["9", "$5"]), ("twenty, two", ["20", "2"]), ("twenty two", ["22"])):
        assert [t.norm for t in normalize_official(official_from_text(text))] == norms
        assert [t.norm for t in normalize_recording(fake_transcript(text))] == norms


def test_a_one_inside_a_decimal_is_a_digit_as_elsewhere():
    # Whisper's normaliser writes "1.4" as "one.4" and "2.1" as "2.one": the audio check would then
    # score "one.four" for "one point four"
    from transcheck.normalize import normalize_number
    from transcheck.verify.plans import spoken

    assert [normalize_number(w) for w in ("1.4 percent", "two point one percent", "1.1", "1,100.1", "one")] == [
        "1.4%", "2.1%", "1.1", "1100.1", "1"]
    assert normalize_number("someone") == "someone"
    assert spoken(normalize_number("1.4 percent")) == "one point four percent"


def test_a_number_whisper_writes_in_two_parts_is_one_figure():
    # tiny.en writes "two hundred and twelve" as "200 and 12": printed "212" is then no difference,
    # and an edit to "213" is one figure against another, not "213" against "200" and "12"
    from helpers import fake_transcript
    from transcheck.normalize import normalize_number, normalize_recording

    assert [normalize_number(w) for w in ("200 and 12", "2,000 and 22", "3000 and 500", "200 and 12 percent")] == [
        "212", "2022", "3500", "212%"]
    # two figures that do not make one number stay two
    assert [normalize_number(w) for w in ("5 and 6", "200 and 120", "1.5 and 2", "1,000 and 1,500")] == [
        "5 and 6", "200 and 120", "1.5 and 2", "1000 and 1500"]
    assert [t.norm for t in normalize_recording(fake_transcript("schools 200 and 12 primary"))] == [
        "schools", "212", "primary"]
