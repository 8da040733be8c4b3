"""Whole-stream alignment: partitions both sides in order, robust to repeats and long gaps."""

from transcheck.align import align_tokens, align_words, anchors
from transcheck.models import Token


def toks(text):
    return [Token(norm=w, text=w, start=i, end=i + 1) for i, w in enumerate(text.split())]


def covered(ops, side, n):
    seen = []
    for op in ops:
        seen.extend(range(*getattr(op, side)))
    return seen == list(range(n))


def test_self_alignment_is_one_equal_run():
    a = toks("the quick brown fox jumps over the lazy dog")
    ops = align_tokens(a, a)
    assert [(o.tag, o.rec, o.off) for o in ops] == [("equal", (0, 9), (0, 9))]


def test_ops_partition_both_sides_in_order():
    rec = toks("we will not send troops to the north this year")
    off = toks("we will send more troops to the south")
    ops = align_tokens(rec, off)
    assert covered(ops, "rec", len(rec)) and covered(ops, "off", len(off))
    assert {o.tag for o in ops} == {"equal", "differ"}


def test_repeated_phrase_aligns_to_the_right_copy():
    rec = toks("thank you thank you very much indeed thank you")
    off = toks("thank you very much indeed thank you")
    pairs = anchors(rec, off)
    # the unmatched words are one of the repeated "thank you"s, not scattered ones
    unmatched = [i for i in range(len(rec)) if i not in {p for p, _ in pairs}]
    assert len(unmatched) == 2 and rec[unmatched[0]].text == "thank" and unmatched[1] == unmatched[0] + 1


def test_long_stretch_on_one_side_only():
    said = " ".join(f"w{i}" for i in range(500))
    printed = " ".join(f"w{i}" for i in range(100)) + " " + " ".join(f"w{i}" for i in range(400, 500))
    ops = align_tokens(toks(said), toks(printed))
    differ = [o for o in ops if o.tag == "differ"]
    assert len(differ) == 1 and differ[0].rec == (100, 400) and differ[0].off == (100, 100)


def test_multi_subword_tokens_only_anchor_when_wholly_matched():
    rec = [Token("it is", "it's", 0, 1), Token("late", "late", 1, 2)]
    off = [Token("it", "it", 0, 2), Token("is", "is", 3, 5), Token("late", "late", 6, 10)]
    ops = align_tokens(rec, off)
    assert [(o.tag, o.rec, o.off) for o in ops] == [("differ", (0, 1), (0, 2)), ("equal", (1, 2), (2, 3))]


def test_fillers_never_anchor():
    rec = [Token("", "um", 0, 1, filler=True), Token("yes", "yes", 1, 2)]
    off = [Token("yes", "Yes", 0, 3)]
    ops = align_tokens(rec, off)
    assert ops[0].tag == "differ" and ops[0].rec == (0, 1) and ops[0].off == (0, 0)


def test_align_words_uses_edit_distance():
    ops = align_words(["a", "b", "c"], ["a", "x", "c"])
    assert [op[0] for op in ops] == ["equal", "replace", "equal"]
