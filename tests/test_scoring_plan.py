"""The scoring plan every engine shares: texts to score, windows featurised one at a time, few shapes."""

import random

import numpy as np
import pytest

from transcheck.audio import SAMPLE_RATE, Audio
from transcheck.engines import ScoreRequest
from transcheck.engines.base import BUCKET_SECONDS, score_items, window_samples


def _audio(seconds: float) -> Audio:
    samples = np.random.default_rng(0).standard_normal(int(seconds * SAMPLE_RATE)).astype(np.float32)
    return Audio(path="x.wav", sha256="0", samples=samples, sample_rate=SAMPLE_RATE, channels=1)


def _encode(text: str) -> list[int]:
    return [len(w) for w in text.split()]


def test_windows_are_padded_with_silence_to_a_bucket_and_keep_their_audio():
    audio = _audio(60.0)
    span = (SAMPLE_RATE * 3, SAMPLE_RATE * 3 + int(4.5 * BUCKET_SECONDS * SAMPLE_RATE))
    samples = window_samples(audio, span)
    assert len(samples) == 5 * BUCKET_SECONDS * SAMPLE_RATE
    assert np.array_equal(samples[: span[1] - span[0]], audio.samples[span[0]:span[1]])
    assert not samples[span[1] - span[0]:].any()
    assert len(window_samples(audio, (0, 30 * SAMPLE_RATE))) == 30 * SAMPLE_RATE
    blank = window_samples(audio, None)
    assert len(blank) == max(1, BUCKET_SECONDS) * SAMPLE_RATE and not blank.any()


def test_features_are_made_one_window_at_a_time_while_iterating():
    audio = _audio(60.0)
    made: list[int] = []
    requests = [ScoreRequest(1.0, 5.0, ("a b", "cc")), ScoreRequest(10.0, 12.0, ("d", "")),
                ScoreRequest(1.0, 5.0, ("a b", "cc"), blank=True), ScoreRequest(10.0, 12.0, ("d", ""), blank=True)]
    plan = score_items(audio, requests, lambda s: made.append(len(s)) or len(made), _encode, eot=99)
    assert made == [] and len(plan.items) == 8
    assert [it.tokens for it in plan.items if it.request == 1] == [[1], [99]]  # an empty text is end-of-text alone
    seen = []
    for features, group in plan.groups():
        assert len(made) == features  # this window's features were made just now, not before
        seen.append(sorted((it.request, it.text) for it in group))
    assert len(made) == 3  # two audio windows and one shared second of silence
    assert seen[-1] == [(2, 0), (2, 1), (3, 0), (3, 1)]


def test_windows_of_any_length_come_in_few_shapes():
    audio = _audio(300.0)
    rng = random.Random(1)
    requests = []
    for _ in range(300):
        start = rng.uniform(0, 260)
        requests.append(ScoreRequest(start, start + rng.uniform(0.2, 28.0), ("x",)))
    shapes = {len(samples) for samples, _ in score_items(audio, requests, lambda s: s, _encode, 0).groups()}
    assert len(shapes) <= 30 / BUCKET_SECONDS


@pytest.mark.model
def test_many_texts_on_one_window_score_as_they_do_alone(engine, sample_dir):
    # the silence window carries the prior of every discrepancy's texts; scored in bounded batches,
    # each text must still get exactly the score it gets on its own
    from transcheck.audio import load_audio

    audio = load_audio(sample_dir / "briefing.mp3")
    texts = tuple(f"the mission has {w} staff members in the region" for w in
                  ("nine", "many", "no", "few", "some", "new", "more", "two", "ten", "our", "its", "all"))
    together = engine.score(audio, [ScoreRequest(0.0, 1.0, texts, blank=True), ScoreRequest(2.0, 9.0, texts)])
    for k, text in enumerate(texts):
        alone = engine.score(audio, [ScoreRequest(0.0, 1.0, (text,), blank=True), ScoreRequest(2.0, 9.0, (text,))])
        for r in (0, 1):
            assert together[r].token_logprobs[k] == pytest.approx(alone[r].token_logprobs[0], abs=1e-4)


def test_a_text_repeated_in_the_same_window_is_scored_once_and_shared():
    """ "as heard" and its normalised form are often the same tokens, and so are many discrepancies'
    texts on the shared silence: each is scored once, and every repeat gets its result."""
    audio = _audio(30.0)
    requests = [ScoreRequest(1.0, 5.0, ("we will go", "we will go", "we shall go")),
                ScoreRequest(8.0, 9.0, ("we will go",)),  # another window: scored again
                ScoreRequest(1.0, 5.0, ("we will go", "we shall go"), blank=True),
                ScoreRequest(8.0, 9.0, ("we shall go",), blank=True)]  # silence is shared: a repeat
    plan = score_items(audio, requests, lambda s: s, lambda t: [sum(map(ord, w)) for w in t.split()], eot=0)
    assert sorted((it.request, it.text) for it in plan.items) == [(0, 0), (0, 2), (1, 0), (2, 0), (2, 1)]
    assert sorted(plan.repeats) == [((0, 1), (0, 0)), ((3, 0), (2, 1))]
    logprobs = [[() for _ in r.texts] for r in requests]
    for it in plan.items:
        logprobs[it.request][it.text] = (float(it.request), float(it.text))
    plan.fill_repeats(logprobs)
    assert logprobs[0][1] == logprobs[0][0] and logprobs[3][0] == logprobs[2][1] == (2.0, 1.0)


def test_a_window_kept_is_encoded_once_per_verification_and_only_for_its_own_recording():
    from transcheck.engines.base import EncodedWindows

    audio, other = _audio(30.0), _audio(30.0)
    encoded: list[int] = []

    def encode(samples):
        encoded.append(len(samples))
        return np.zeros(len(samples) // 160, dtype=np.float32)  # "states": 4 bytes per frame

    kept = EncodedWindows(audio)
    request = [ScoreRequest(1.0, 5.0, ("a b",)), ScoreRequest(1.0, 5.0, ("a b",), blank=True)]
    for _ in range(3):
        for _states, _group in score_items(audio, request, lambda s: s, _encode, 0).encoded(encode, kept):
            pass
    assert len(encoded) == 2 and (kept.hits, kept.misses) == (4, 2)  # the window and the silence, once each
    list(score_items(other, request, lambda s: s, _encode, 0).encoded(encode, kept))
    assert len(encoded) == 4 and kept.hits == 4  # another recording's windows are never taken for these


def test_kept_windows_stay_within_their_budget_dropping_the_least_recently_used():
    from transcheck.engines.base import EncodedWindows

    audio = _audio(60.0)
    kept = EncodedWindows(audio, budget=3 * 400)  # room for three windows of 400 bytes
    make = lambda: np.zeros(100, dtype=np.float32)  # noqa: E731
    for span in [(0, 1), (1, 2), (2, 3), (0, 1), (3, 4)]:  # (0, 1) used again: (1, 2) is dropped
        kept.get(audio, span, make)
    assert list(kept.held) == [(2, 3), (0, 1), (3, 4)] and kept.size == 1200
    kept.get(audio, (9, 9), lambda: np.zeros(1000, dtype=np.float32))  # larger than the budget: not kept
    assert (9, 9) not in kept.held and kept.size <= 1200


@pytest.mark.model
def test_scores_of_kept_windows_are_the_scores_of_windows_encoded_anew(engine, sample_dir):
    from transcheck.audio import load_audio
    from transcheck.engines.base import windows_kept

    audio = load_audio(sample_dir / "briefing.mp3")
    requests = [ScoreRequest(2.0, 9.0, ("the mission has nine staff members", "the mission has many staff")),
                ScoreRequest(0.0, 1.0, ("the mission has nine staff members",), blank=True)]
    anew = engine.score(audio, requests)
    with windows_kept(engine, audio) as kept:
        first, again = engine.score(audio, requests), engine.score(audio, requests)
    assert kept.hits == 2 and engine.kept_windows is None
    assert [r.token_logprobs for r in first] == [r.token_logprobs for r in again] == [r.token_logprobs for r in anew]
