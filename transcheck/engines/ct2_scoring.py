"""Teacher-forced scoring of given wordings against audio windows with CTranslate2's Whisper.align."""

from __future__ import annotations

import math

import numpy as np

from ..audio import Audio
from .base import ScoreRequest, ScoreResult, score_items

BATCH = 8


def score_windows(model, audio: Audio, requests: list[ScoreRequest], language: str = "en") -> list[ScoreResult]:
    """Log-probabilities of every token of every text, each window encoded once, aligned in batches."""
    import ctranslate2
    from faster_whisper.audio import pad_or_trim
    from faster_whisper.tokenizer import Tokenizer

    multilingual = model.model.is_multilingual
    tokenizer = Tokenizer(model.hf_tokenizer, multilingual, task="transcribe",
                          language=language if multilingual else None)
    start_sequence = list(tokenizer.sot_sequence)  # align() itself appends <|notimestamps|>

    def featurize(samples):
        mel = model.feature_extractor(samples)
        return pad_or_trim(mel), min(mel.shape[-1], model.feature_extractor.nb_max_frames)

    windows, items = score_items(audio, requests, featurize, tokenizer.encode, tokenizer.eot)
    features = [mel for mel, _ in windows]
    frames = [count for _, count in windows]

    encoded = []
    for lo in range(0, len(features), BATCH):
        batch = np.ascontiguousarray(np.stack(features[lo:lo + BATCH]).astype(np.float32))
        out = model.model.encode(ctranslate2.StorageView.from_array(batch))
        encoded.append(np.array(out))
    encoder_out = np.concatenate(encoded) if encoded else np.zeros((0,))

    logprobs: list[list[tuple[float, ...]]] = [[() for _ in req.texts] for req in requests]
    for lo in range(0, len(items), BATCH):
        chunk = items[lo:lo + BATCH]
        rows = np.ascontiguousarray(encoder_out[[item.window for item in chunk]])
        results = model.model.align(ctranslate2.StorageView.from_array(rows), start_sequence,
                                    [item.tokens for item in chunk], [frames[item.window] for item in chunk])
        for item, result in zip(chunk, results):
            logprobs[item.request][item.text] = tuple(math.log(max(p, 1e-12)) for p in result.text_token_probs)
    return [ScoreResult(tuple(per_text)) for per_text in logprobs]
