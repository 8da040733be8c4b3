"""Teacher-forced scoring of given wordings against audio windows with CTranslate2's Whisper.align."""

from __future__ import annotations

import math

import numpy as np

from ..audio import Audio
from .base import ScoreRequest, ScoreResult



def score_windows(model, audio: Audio, requests: list[ScoreRequest], language: str = "en") -> list[ScoreResult]:
    """Log-probabilities of every token of every text; each window is encoded once, at its own length.

    Windows are not padded to Whisper's 30 s: the encoder's cost grows with the window, and both
    wordings of a discrepancy are scored against the same window, so they stay comparable.
    """
    import ctranslate2
    from faster_whisper.tokenizer import Tokenizer

    multilingual = model.model.is_multilingual
    tokenizer = Tokenizer(model.hf_tokenizer, multilingual, task="transcribe",
                          language=language if multilingual else None)
    start_sequence = list(tokenizer.sot_sequence)  # align() itself appends <|notimestamps|>
    rate = audio.sample_rate
    limit = model.feature_extractor.nb_max_frames

    encoded: dict[object, object] = {}  # window key -> (encoder output, frames); one shared silent window
    logprobs: list[list[tuple[float, ...]]] = []
    for request in requests:
        key = "blank" if request.blank else (request.start, request.end)
        if key not in encoded:
            if request.blank:
                window = np.zeros(rate, dtype=np.float32)
            else:
                window = audio.samples[int(request.start * rate): int(math.ceil(request.end * rate))]
            mel = model.feature_extractor(window)[:, :limit]
            mel = mel[:, : mel.shape[-1] - mel.shape[-1] % 2]  # the encoder halves the frame count
            features = ctranslate2.StorageView.from_array(np.ascontiguousarray(mel[None].astype(np.float32)))
            encoded[key] = (np.array(model.model.encode(features)), mel.shape[-1])
        states, frames = encoded[key]
        texts = [tokenizer.encode(" " + " ".join(t.split())) if t.strip() else [] for t in request.texts]
        texts = [tokens or [tokenizer.eot] for tokens in texts]
        rows = ctranslate2.StorageView.from_array(np.ascontiguousarray(np.repeat(states, len(texts), axis=0)))
        results = model.model.align(rows, start_sequence, texts, [frames] * len(texts))
        logprobs.append([tuple(math.log(max(p, 1e-12)) for p in r.text_token_probs) for r in results])
    return [ScoreResult(tuple(per_text)) for per_text in logprobs]
