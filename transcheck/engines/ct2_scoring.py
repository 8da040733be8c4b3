"""Teacher-forced scoring of given wordings against audio windows with CTranslate2's Whisper.align."""

from __future__ import annotations

import math
from typing import Optional

import numpy as np

from ..audio import Audio
from .base import EncodedWindows, ScoreRequest, ScoreResult, score_items

BATCH = 8  # texts scored in one call


def score_windows(model, audio: Audio, requests: list[ScoreRequest], language: str = "en",
                  kept: Optional[EncodedWindows] = None) -> list[ScoreResult]:
    """Log-probabilities of every token of every text; each window is encoded once, at its own length
    (once in the whole verification where `kept` keeps the encoder's output).

    Windows are not padded to Whisper's 30 s, only to the next length bucket: the encoder's cost
    grows with the window, and both wordings of a discrepancy are scored against the same window,
    so they stay comparable.
    """
    import ctranslate2
    from faster_whisper.tokenizer import Tokenizer

    multilingual = model.model.is_multilingual
    tokenizer = Tokenizer(model.hf_tokenizer, multilingual, task="transcribe",
                          language=language if multilingual else None)
    start_sequence = list(tokenizer.sot_sequence)  # align() itself appends <|notimestamps|>
    limit = model.feature_extractor.nb_max_frames

    def featurize(samples: np.ndarray) -> tuple[np.ndarray, int]:
        mel = model.feature_extractor(samples)[:, :limit]
        mel = mel[:, : mel.shape[-1] - mel.shape[-1] % 2]  # the encoder halves the frame count
        return mel, mel.shape[-1]

    def encode(window: tuple[np.ndarray, int]) -> tuple[np.ndarray, int]:
        mel, frames = window
        features = ctranslate2.StorageView.from_array(np.ascontiguousarray(mel[None].astype(np.float32)))
        return np.array(model.model.encode(features)), frames

    plan = score_items(audio, requests, featurize, tokenizer.encode, tokenizer.eot)
    logprobs: list[list[tuple[float, ...]]] = [[() for _ in req.texts] for req in requests]
    for (states, frames), group in plan.encoded(encode, kept):
        # a bounded batch: the silence window holds the texts of every discrepancy (thousands in a
        # long recording), and one call over all of them once took 20 GB
        for chunk in (group[lo:lo + BATCH] for lo in range(0, len(group), BATCH)):
            rows = ctranslate2.StorageView.from_array(np.ascontiguousarray(np.repeat(states, len(chunk), axis=0)))
            results = model.model.align(rows, start_sequence, [item.tokens for item in chunk], [frames] * len(chunk))
            for item, result in zip(chunk, results):
                logprobs[item.request][item.text] = tuple(math.log(max(p, 1e-12)) for p in result.text_token_probs)
    plan.fill_repeats(logprobs)
    return [ScoreResult(tuple(per_text)) for per_text in logprobs]
