"""The verdict rules on their own: which evidence decides, and that the decision names its basis."""

from transcheck.models import NOT_FOLLOWED
from transcheck.verify.verdicts import FOLLOWS_LIFT, POOR_FIT, decide


def test_a_recogniser_that_cannot_follow_the_audio_is_no_evidence_against_the_printed_words():
    # Apollo radio: its own words score badly and the audio barely lifts them above silence
    assert decide(-100.0, 8, fit=POOR_FIT - 1.0, lift=3.0) == ("recognition-error", NOT_FOLLOWED)


def test_rare_words_plainly_supported_by_the_audio_count_as_followed():
    # "thy own bud" printed as "fresh water": archaic words score low as text, but the audio
    # lifts them far above their score on silence
    assert decide(-51.0, 3, fit=POOR_FIT - 0.2, lift=FOLLOWS_LIFT + 2.7) == ("confirmed", "score margin")
    assert decide(-51.0, 3, fit=POOR_FIT - 0.2, lift=FOLLOWS_LIFT - 0.5)[0] == "recognition-error"


def test_the_margin_decides_where_the_recogniser_follows():
    assert decide(3.0, 1) == ("recognition-error", "score margin")
    assert decide(-3.0, 1, suspect=True) == ("recognition-error", "score margin")
    assert decide(-3.0, 1) == ("uncertain", "score margin")
    assert decide(-12.0, 2) == ("confirmed", "score margin")


def test_an_insertion_with_no_room_in_the_audio_is_confirmed_unless_the_audio_favours_it():
    no_room = {"room_seconds": 0.44, "needed_seconds": 2.7}
    assert decide(3.0, 8, kind="insertion", timing=no_room) == ("confirmed", "no room for the printed words")
    assert decide(12.0, 8, kind="insertion", timing=no_room)[0] == "recognition-error"
    assert decide(3.0, 8, kind="insertion", timing={"room_seconds": 2.5, "needed_seconds": 2.7})[0] == "recognition-error"


def test_near_silence_where_words_were_heard_is_a_recognition_error():
    assert decide(-30.0, 3, timing={"relative_loudness": 0.05}) == (
        "recognition-error", "near-silence where words were heard")
