"""Told the printed words, does the recogniser hear them? The strict reading of what it then says."""

from transcheck.verify.prompted import contains, hears_printed, words, worth_asking
from transcheck.verify.rules import Facts, rule_for


def test_words_are_compared_spoken_out_and_without_punctuation():
    assert words("Dr. Okonkwo-Laurent met 14 nurses,") == ["dr", "okonkwo", "laurent", "met", "fourteen", "nurses"]
    assert contains(["a", "b", "c"], ["b", "c"]) and not contains(["a", "b", "c"], ["c", "b"])


def test_the_printed_name_heard_when_told_is_a_mishearing():
    assert hears_printed("With us today is our spokesperson, Amina Okafor.", "Amina Okafor", "Raminaa Kaffir")
    assert hears_printed("and tender churl mak'st waste", "churl mak'st", "churro makes", "tender churl mak'st waste")


def test_still_hearing_something_else_is_not():
    # a changed figure: told "nine hundred and forty", tiny.en still hears twelve hundred
    assert not hears_printed("The convoy carried 1240 boxes", "940 boxes", "1240 boxes")
    assert not hears_printed("And so my fellow Americans", "yellow", "fellow", "And so my yellow Americans")
    # the printed words are there, but so is what the first hearing had besides them
    assert not hears_printed("But as the writer should by time deceased, his tender heir might bear",
                             "His tender heir", "but as the writer should by time deceased his tender air")


def test_names_and_sound_alikes_that_would_raise_an_alarm_are_asked():
    alarm = Facts("rewording", margin=-6.8, words=1)  # "stayed" heard where "paid" was said
    assert rule_for(alarm).verdict == "confirmed"
    assert worth_asking(rule_for(alarm), alarm, None) is True
    assert worth_asking(rule_for(alarm), alarm, None, number=True) is False
    # far past the border of confirming, a plain rewording is not asked: a prompt that made the
    # recogniser hear the printed words there would be its bias, not the audio
    clear = Facts("rewording", margin=-12.7, words=2)
    assert rule_for(clear).verdict == "confirmed"
    assert worth_asking(rule_for(clear), clear, None) is False
    assert worth_asking(rule_for(clear), clear, {"name": "okafor", "alike": False}) is True
    # in a second hearing, a confirmed plain difference is not asked: excused, it would turn the
    # passage around it into a recognition error
    assert worth_asking(rule_for(alarm), alarm, None, second_hearing=True) is False
    suspect = Facts("rewording", margin=-12.0, words=2, suspect=True)
    assert worth_asking(rule_for(suspect), suspect, None) is True
    assert worth_asking(rule_for(alarm), alarm, {"name": "okafor", "alike": False}) is True
    fits = Facts("rewording", margin=2.0, words=2, suspect=True)
    assert worth_asking(rule_for(fits), fits, None) is False
    inserted = Facts("insertion", margin=-12.0, words=6, suspect=True)
    assert worth_asking(rule_for(inserted), inserted, None) is False


def test_any_rewording_alarm_is_asked_unless_a_number_differs():
    # neither a name nor a sound-alike, on a margin that decides nothing: told the printed words, does
    # the recogniser hear them? Not where a figure differs: told "one aircraft", tiny.en heard "one"
    # where "nine" was said
    unclear = Facts("rewording", margin=-3.0, words=2)
    assert rule_for(unclear).verdict == "uncertain"
    assert worth_asking(rule_for(unclear), unclear, None) is True
    assert worth_asking(rule_for(unclear), unclear, None, number=True) is False
    unsure = Facts("rewording", margin=-12.0, words=2, probability=0.3)
    assert rule_for(unsure).basis == "unsure hearing"
    assert worth_asking(rule_for(unsure), unsure, None) is True
    assert worth_asking(rule_for(unsure), unsure, None, number=True) is False
    # a name is asked whatever differs
    assert worth_asking(rule_for(unsure), unsure, {"name": "okafor", "alike": True}, number=True) is True


def test_a_first_hearing_much_longer_than_the_printed_words_is_not_asked():
    from transcheck.verify.prompted import comparable

    assert comparable("Amina Okafor", "Raminaa Kaffir")
    # told "They agreed that the road to Kasese", tiny.en skipped "met the governor of the region on
    # Tuesday", which the publisher had left out
    assert not comparable("They agreed that the road to Kasese",
                          "the governor on the region on Tuesday A breed at the road to Casey's")


def test_told_the_printed_words_and_their_opening_the_recogniser_hears_the_name(engine, tmp_path):
    # the real model on espeak-ng speech: offered the window's printed words as the text said before
    # it, tiny.en takes them as said already and goes on after them; with its first words forced too,
    # it has to say what it hears where the name is
    from briefings import encode, synthesise
    from transcheck.audio import load_audio

    printed = "This morning Doctor Sibusiso Mthembu arrived in Mbarara with a team of fourteen nurses."
    encode(*synthesise(printed), tmp_path / "said.wav")
    audio = load_audio(tmp_path / "said.wav")
    first = " ".join(w.text for w in engine.transcribe(audio).words)
    assert not hears_printed(first, "Sibusiso Mthembu", first)
    told = engine.hear(audio, 0.0, audio.duration, printed, "This morning")
    assert words(told)[:2] == ["this", "morning"]
    assert hears_printed(told, "Doctor Sibusiso Mthembu arrived in Mbarara", first, printed)


def test_an_unsure_hearing_of_a_sound_alike_is_asked_too():
    # "reeled" heard unsure for "built": told the printed words, tiny.en hears "built"
    unsure = Facts("rewording", margin=-12.0, words=1, suspect=True, probability=0.3)
    assert rule_for(unsure).basis == "unsure hearing"
    assert worth_asking(rule_for(unsure), unsure, None) is True


def test_the_shipped_asking_is_the_design_the_benchmark_calls_shipped():
    # benchmarks.prompt_designs compares designs against the shipped one: its "shipped" row must be
    # what prompted.ask really sends (prompt and forced opening)
    import numpy as np

    from benchmarks.prompt_designs import DESIGNS
    from transcheck.audio import Audio
    from transcheck.engines import ScoreRequest
    from transcheck.models import Discrepancy
    from transcheck.normalize import normalize_official
    from transcheck.sources import official_from_text
    from transcheck.verify.plans import AFTER, BEFORE, Plan
    from transcheck.verify.prompted import PROMPT_WORDS, ask

    printed = "Good afternoon and welcome. With us today is our spokesperson, Amina Okafor. She will take questions."
    off = normalize_official(official_from_text(printed))
    o0 = [t.text for t in off].index("Amina")
    d = Discrepancy("d1", "rewording", "substantive", "content words", 3.0, 4.0, "Raminaa Kaffir", 0, 0,
                    "Amina Okafor.", (5, 7), (o0, o0 + 2))
    sent = []

    class Told:
        def hear(self, audio, start, end, prompt, prefix=""):
            sent.append((prompt, prefix))
            return f"{prefix} Amina Okafor. She will take"

    audio = Audio("x.wav", "0" * 64, np.zeros(16000 * 6, dtype=np.float32), 16000, 1)
    asked = ask(Told(), audio, ScoreRequest(2.0, 5.0, ()), Plan(d, 2, 9, "Amina Okafor", "amina okafor"), off)
    text = lambda a, b: " ".join(t.text for t in off[max(0, a):max(0, min(len(off), b))])  # noqa: E731
    parts = {"before": text(o0 - BEFORE - PROMPT_WORDS, o0 - BEFORE), "lead": text(o0 - BEFORE, o0),
             "context": text(o0 - BEFORE, o0 + 2 + AFTER), "printed": "Amina Okafor"}
    prompt, lead = DESIGNS["text to the window's end, opening forced (shipped)"](parts)
    assert sent == [(prompt.strip(), lead)] and lead == "is our spokesperson"
    assert asked["hears_printed"] is True
