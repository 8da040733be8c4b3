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


def test_one_short_word_swallowed_by_its_neighbours_times_is_no_proof_it_was_not_said():
    """ "We have found the, burned out" heard for "the van, burned out" (sixth held-out round): no gap for
    "van", but its 0.3 s is within the error of Whisper's word times; the audio must lean against it too."""
    swallowed = {"room_seconds": 0.0, "needed_seconds": 0.312}
    assert decide(-1.043, 1, kind="insertion", timing=swallowed) == ("uncertain", "score margin")
    assert decide(-2.094, 1, kind="insertion", timing=swallowed) == ("confirmed", "no room for the printed words")
    assert decide(-1.043, 3, kind="insertion", timing={**swallowed, "needed_seconds": 0.9}) == (
        "confirmed", "no room for the printed words")


def test_a_second_hearing_has_no_room_to_measure_beside_its_own_garble():
    """Heard again, "Welcome to our country's Scottish National Party" was matched to the printed "The
    Scottish National Party asked for one", so the journalist's question printed before it had no room."""
    beside = {"room_seconds": 0.0, "needed_seconds": 4.99, "words_to_spare_beside": 0}
    assert decide(-10.26, 13, kind="insertion", timing=beside) == ("confirmed", "no room for the printed words")
    again = {**beside, "beside_garble_heard_again": True}
    assert decide(-10.26, 13, kind="insertion", timing=again) == ("uncertain", "score margin")
    assert decide(-30.0, 13, kind="insertion", timing=again) == ("uncertain", "unsure hearing")


def test_near_silence_where_words_were_heard_is_a_recognition_error():
    assert decide(-30.0, 3, timing={"relative_loudness": 0.05}) == (
        "recognition-error", "near-silence where words were heard")


def test_an_insertion_knows_whether_the_words_either_side_were_heard_as_printed():
    import numpy as np

    from transcheck.audio import SAMPLE_RATE, Audio
    from transcheck.models import Discrepancy, Token
    from transcheck.verify.evidence import timing_evidence
    from transcheck.verify.verdicts import differing_words

    rec = [Token(w, w, t, t + 0.9) for w, t in (("thirty-one thousand", 3.2), ("kef", 4.1), ("through", 5.1))]
    audio = Audio("x.wav", "0" * 64, np.zeros(6 * SAMPLE_RATE, dtype=np.float32), SAMPLE_RATE, 1)
    inserted = Discrepancy("d2", "insertion", "substantive", "content words", 4.1, 4.1, "", 0, 8, "hectares",
                           (1, 1), (3, 4))
    garbled = Discrepancy("d3", "rewording", "substantive", "content words", 4.1, 6.0,
                          "kef -10 through from cleanliness", 9, 30, "Crews from Glen Innes", (1, 3), (4, 8))
    assert differing_words([inserted, garbled]) == {1: garbled, 2: garbled}
    beside = timing_evidence(inserted, rec, audio, 0.3, 1.0, differing_words([garbled]))
    # no gap, and "kef -10 through from cleanliness" holds one heard word more than "Crews from Glen Innes"
    assert beside["room_seconds"] == 0.0 and beside["words_to_spare_beside"] == 1
    assert "words_to_spare_beside" not in timing_evidence(inserted, rec, audio, 0.3, 1.0)
    assert decide(-6.46, 1, kind="insertion", timing=beside) == ("uncertain", "unsure hearing")
    alone = {k: v for k, v in beside.items() if k != "words_to_spare_beside"}
    assert decide(-6.46, 1, kind="insertion", timing=alone) == ("confirmed", "no room for the printed words")
    # a sentence leaves its words behind: a neighbour with one word to spare cannot hold nine
    sentence = {**beside, "needed_seconds": 2.7}
    assert decide(3.0, 9, kind="insertion", timing=sentence) == ("confirmed", "no room for the printed words")


def test_only_a_second_hearing_marks_an_insertion_beside_any_garble():
    import numpy as np

    from transcheck.audio import SAMPLE_RATE, Audio
    from transcheck.models import Discrepancy, Token
    from transcheck.verify.verdicts import Scene, _timing, differing_words

    rec = [Token(w, w, t, t + 0.9) for w, t in (("country's", 3.2), ("Scottish", 4.1), ("National", 5.0))]
    audio = Audio("x.wav", "0" * 64, np.zeros(6 * SAMPLE_RATE, dtype=np.float32), SAMPLE_RATE, 1)
    inserted = Discrepancy("d2", "insertion", "substantive", "content words", 4.1, 4.1, "", 0, 8,
                           "Will there be a recount?", (1, 1), (3, 8))
    garbled = Discrepancy("d1", "rewording", "substantive", "content words", 3.2, 4.1, "country's", 0, 8,
                          "Parveen Chaudhry-Ellis is duly elected", (0, 1), (0, 3))
    first = Scene(audio, None, 0.3, 1.0, differing=differing_words([garbled]))
    assert "beside_garble_heard_again" not in _timing(inserted, rec, first)
    again = _timing(inserted, rec, Scene(audio, None, 0.3, 1.0, differing=differing_words([garbled]),
                                         second_hearing=True))
    assert again["beside_garble_heard_again"] and again["words_to_spare_beside"] == 0
