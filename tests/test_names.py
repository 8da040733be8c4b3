"""Names the official text contains, and whether what was heard sounds like them (Metaphone, jellyfish)."""

from transcheck.sources import official_from_text
from transcheck.verify.names import name_evidence, official_names, sounds_alike
from transcheck.verify.vad import SpeechMap, silence_evidence

TEXT = """MODERATOR: Good afternoon. With us today is our spokesperson, Amina Okafor.

MS. OKAFOR: Thank you. Doctor Sibusiso Mthembu arrived in Mbarara on Tuesday. We will talk to
Rockefeller staff next week. The convoy carried 940 boxes.
"""


def test_names_come_from_capitals_inside_sentences_labels_and_repeats():
    names = official_names(official_from_text(TEXT))
    assert {"amina", "okafor", "sibusiso", "mthembu", "mbarara", "rockefeller", "moderator"} <= names
    assert not {"the", "thank", "we", "good", "convoy", "boxes"} & names


def test_a_name_heard_as_something_that_sounds_like_it():
    names = official_names(official_from_text(TEXT))
    assert name_evidence("Amina Okafor", "Raminaa Kaffir", names)["alike"] is True
    assert name_evidence("Sibusiso Mthembu", "Sibu Sizamamamu", names)["alike"] is True
    assert name_evidence("Mbarara", "Kampala", names)["alike"] is False  # a place changed is not a mishearing
    assert name_evidence("940 boxes", "1240 boxes", names) is None  # no name printed
    assert sounds_alike("Okafor", "Okafor") == 1.0


def test_a_pause_with_no_speech_in_it():
    speech = SpeechMap(((0.0, 2.0), (4.0, 6.0)))
    assert speech.speech_in(1.0, 5.0) == 2.0
    assert silence_evidence(speech, 2.0, 4.0) == {"speech_share": 0.0, "nobody_speaks": True}
    assert silence_evidence(speech, 1.0, 5.0)["nobody_speaks"] is False
    assert silence_evidence(speech, 2.0, 2.5) == {}  # too short to tell: the room test decides
    assert silence_evidence(None, 2.0, 4.0) == {}  # no voice-activity detector installed


def test_only_the_differing_words_are_compared_by_sound():
    from transcheck.verify.names import differing_likeness, sounds_alike

    # misheard: what differs sounds alike
    assert differing_likeness("Kasese will", "Casey's wheels") >= 0.7
    assert differing_likeness("camps in person, and has", "camp in Pearson and pass") >= 0.7
    # a changed phrase inside words both share: the shared words do not make it sound alike
    printed, heard = "Were any children turned trade deal", "where any children turn the way while"
    assert sounds_alike(printed, heard) >= 0.7 > differing_likeness(printed, heard)
    assert differing_likeness("the same words", "the same words") == 0.0  # nothing differs


def test_how_sure_the_recogniser_was_is_taken_on_the_words_that_differ():
    from transcheck.verify.names import differing_probability

    heard = [("the", 0.97), ("market", 0.94), ("film", 0.29)]
    assert differing_probability("By noon the market fills", heard) == 0.29
    assert differing_probability("the market film", heard) is None
    assert abs(differing_probability("", heard) - (0.97 + 0.94 + 0.29) / 3) < 1e-9  # an omission: every word
    assert differing_probability("3,900 families", [("3,800", 0.6), ("families", 0.99)]) == 0.6


def test_the_recording_is_scanned_for_speech_only_when_a_gap_needs_it(monkeypatch):
    import transcheck.verify.vad as vad

    scans = []
    monkeypatch.setattr(vad, "speech_map", lambda audio: scans.append(audio) or SpeechMap(((0.0, 2.0),)))
    speech = vad.SpeechOnDemand("the audio")
    assert silence_evidence(speech, 2.0, 2.5) == {} and scans == []  # too short a gap: nothing scanned
    assert silence_evidence(speech, 2.0, 4.0)["nobody_speaks"] is True
    assert silence_evidence(speech, 0.0, 4.0)["nobody_speaks"] is False
    assert scans == ["the audio"]  # scanned once, for both gaps
    monkeypatch.setattr(vad, "speech_map", lambda audio: None)  # no voice-activity detector installed
    assert silence_evidence(vad.SpeechOnDemand("the audio"), 2.0, 4.0) == {}
