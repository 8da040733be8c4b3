"""A long recording is transcribed in pieces; an interrupted run keeps the pieces it finished."""

import numpy as np
import pytest

from transcheck.audio import Audio, quiet_cuts
from transcheck.cache import TranscriptCache
from transcheck.models import Transcript, Word
from transcheck.options import CheckOptions, DecodeOptions
from transcheck.pipeline import transcribe


class PieceEngine:
    """A stand-in recogniser (this tests the caching around it): one word per piece, Ctrl-C on demand."""

    name, model_id, runtime = "fake", "fake-model", {}
    options = CheckOptions(decode=DecodeOptions(chunk_seconds=30))

    def __init__(self, interrupt_at=None):
        self.heard, self.interrupt_at = [], interrupt_at

    def transcribe(self, audio, progress=None):
        if len(self.heard) == self.interrupt_at:
            raise KeyboardInterrupt
        self.heard.append(len(audio.samples))
        return Transcript((Word(f"piece{len(self.heard)}", 0.5, 1.0, 0.9),), audio.duration, "en", "fake", "fake-model")


@pytest.fixture
def audio():
    rng = np.random.default_rng(0)
    samples = (rng.standard_normal(16000 * 100) * 0.1).astype(np.float32)
    return Audio("long.wav", "a" * 64, samples, 16000, 1)


def test_an_interrupted_transcription_resumes_from_its_last_finished_piece(tmp_path, audio):
    cache = TranscriptCache(tmp_path)
    first = PieceEngine(interrupt_at=2)
    with pytest.raises(KeyboardInterrupt):
        transcribe(audio, first, cache)
    assert len(first.heard) == 2
    again = PieceEngine()
    transcript, cached = transcribe(audio, again, cache)
    pieces = len(quiet_cuts(audio.samples, audio.sample_rate, 30))
    assert pieces >= 3
    assert not cached and len(again.heard) == pieces - 2  # only the pieces that were never finished
    assert [w.text for w in transcript.words] == ["piece1", "piece2"] + [f"piece{k + 1}" for k in range(pieces - 2)]
    assert transcript.words[-1].start > 60  # each piece's words on the recording's clock
    assert len(list(tmp_path.rglob("*.json"))) == 1  # the pieces are dropped once the whole is cached
    assert transcribe(audio, PieceEngine(interrupt_at=0), cache)[1]  # and the whole comes from the cache
