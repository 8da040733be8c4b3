"""Teacher-forced scoring of given wordings against audio windows with CTranslate2's Whisper.align."""

from __future__ import annotations

import math

import numpy as np

from ..audio import Audio
from .base import ScoreRequest, ScoreResult

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
    rate = audio.sample_rate

    # (window, text) items; every blank request shares one silent window.
    features, frames, items = [], [], []
    blank_index = None
    for r, request in enumerate(requests):
        if request.blank and blank_index is not None:
            w = blank_index
        else:
            if request.blank:
                window = np.zeros(rate, dtype=np.float32)
            else:
                window = audio.samples[int(request.start * rate): int(math.ceil(request.end * rate))]
            mel = model.feature_extractor(window)
            frames.append(min(mel.shape[-1], model.feature_extractor.nb_max_frames))
            features.append(pad_or_trim(mel))
            w = len(features) - 1
            if request.blank:
                blank_index = w
        for k, text in enumerate(request.texts):
            tokens = tokenizer.encode(" " + " ".join(text.split())) if text.strip() else []
            items.append((r, k, w, tokens or [tokenizer.eot]))

    encoded = []
    for lo in range(0, len(features), BATCH):
        batch = np.ascontiguousarray(np.stack(features[lo:lo + BATCH]).astype(np.float32))
        out = model.model.encode(ctranslate2.StorageView.from_array(batch))
        encoded.append(np.array(out))
    encoder_out = np.concatenate(encoded) if encoded else np.zeros((0,))

    logprobs: list[list[tuple[float, ...]]] = [[() for _ in req.texts] for req in requests]
    for lo in range(0, len(items), BATCH):
        chunk = items[lo:lo + BATCH]
        rows = np.ascontiguousarray(encoder_out[[w for _, _, w, _ in chunk]])
        results = model.model.align(ctranslate2.StorageView.from_array(rows), start_sequence,
                                    [tokens for *_, tokens in chunk], [frames[w] for _, _, w, _ in chunk])
        for (r, k, _, _), result in zip(chunk, results):
            logprobs[r][k] = tuple(math.log(max(p, 1e-12)) for p in result.text_token_probs)
    return [ScoreResult(tuple(per_text)) for per_text in logprobs]
