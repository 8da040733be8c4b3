"""Property tests (hypothesis) for normalisation, alignment and classification."""

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from helpers import fake_transcript
from transcheck.align import align_tokens
from transcheck.classify import classify, word_stream
from transcheck.normalize import normalize_official, normalize_recording
from transcheck.sources import official_from_text

WORDS = ["the", "UN", "mission", "will", "not", "nine", "9", "it's", "it", "is", "um", "twenty-two",
         "fifty", "re-read", "colour", "U.N.", "allegation", "\u201cquoted\u201d", "Jos\u00e9", "$5", "million",
         "50%", "well", "well-known", "deserv'd", "Q:", "[inaudible]", "(Laughter)", "--", "...", "don't"]
word = st.sampled_from(WORDS) | st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FF), min_size=1, max_size=8)
sentence = st.lists(word, min_size=0, max_size=40).map(" ".join)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def streams(heard: str, printed: str):
    official = official_from_text(printed if printed.strip() else "x")
    rec = normalize_recording(fake_transcript(heard))
    off = normalize_official(official)
    return official, rec, off


@SETTINGS
@given(sentence)
def test_alignment_of_a_text_with_itself_is_all_matches(text):
    official, rec, off = streams(text, text)
    ops = align_tokens(off, off)
    assert all(op.tag == "equal" for op in ops if op.rec[1] > op.rec[0] and off[op.rec[0]].norm)
    for op in ops:
        if op.tag == "differ":  # only fillers and empty forms can stay unmatched
            assert all(not t.norm for t in off[op.rec[0]:op.rec[1]])


@SETTINGS
@given(sentence, sentence)
def test_every_word_of_both_sides_appears_exactly_once(heard, printed):
    official, rec, off = streams(heard, printed)
    ops = align_tokens(rec, off)
    rec_seen = [i for op in ops for i in range(*op.rec)]
    off_seen = [j for op in ops for j in range(*op.off)]
    assert rec_seen == list(range(len(rec))) and off_seen == list(range(len(off)))
    found = classify(rec, off, ops, official)
    words = word_stream(rec, off, ops, found)
    assert sum(w["recording"] is not None for w in words) == len(rec)
    assert sum(w["official"] is not None for w in words) == len(off)


@SETTINGS
@given(sentence)
def test_offsets_always_slice_the_official_text_to_the_displayed_words(printed):
    official = official_from_text(printed if printed.strip() else "x")
    for token in normalize_official(official):
        assert official.text[int(token.start):int(token.end)] == token.text
        assert not any(lab.start <= token.start < lab.end for lab in official.labels)
        assert not any(m.start <= token.start < m.end for m in official.marks)


@SETTINGS
@given(sentence, sentence)
def test_classification_never_loses_a_word(heard, printed):
    official, rec, off = streams(heard, printed)
    ops = align_tokens(rec, off)
    found = classify(rec, off, ops, official)
    covered_rec = {i for d in found for i in range(*d.rec_tokens)}
    covered_off = {j for d in found for j in range(*d.off_tokens)}
    for op in ops:
        if op.tag == "differ":
            assert set(range(*op.rec)) <= covered_rec and set(range(*op.off)) <= covered_off
    for d in found:
        assert official.text[d.off_start:d.off_end] == d.off_text
        assert d.rec_start <= d.rec_end


@SETTINGS
@given(st.lists(word, min_size=1, max_size=30))
@example(["{", "0}"])  # found by hypothesis: {braces}, like [brackets], hold a transcriber's note
@example(["9", "9", "9", "0"])  # found by hypothesis: line numbers are furniture, not compared
@example(["AAA\u017a"])  # found by hypothesis: a lower-case letter outside Latin-1 made a heading of it
@example(["0", "<", "million"])  # found by hypothesis: the printed run took in the "<" between its words
def test_normalisation_is_the_same_on_both_sides(words):
    text = " ".join(words)
    assume(text.strip())
    official, rec, off = streams(text, text)
    assume(not official.furniture)  # a line of page furniture ("9 9 9 0": line numbers) is left out by design
    assert [t.norm for t in rec if t.norm] == [t.norm for t in off if t.norm] or any(
        w in ("Q:", "[inaudible]", "(Laughter)") or w.endswith(":") or "(" in w or "[" in w or "{" in w for w in words)
