"""Teacher-forced scoring of given wordings against audio windows with an openai-whisper model.

The same semantics as the CTranslate2 scorer (`ct2_scoring`), so verification means the same with
either engine: each window's log-mel is zero-padded to 30 s and encoded once; every text is
decoded after the start sequence and <|notimestamps|>, and each of its tokens gets its
log-probability under a softmax over the text vocabulary only (as openai-whisper's word timing
and CTranslate2's align both compute it). End-of-text is not scored.
"""

from __future__ import annotations

import math

from ..audio import Audio
from .base import ScoreRequest, ScoreResult, score_items

BATCH = 8
FLOOR = math.log(1e-12)  # as the CTranslate2 scorer floors; a non-text token (end-of-text) gets it


def score_windows(model, audio: Audio, requests: list[ScoreRequest], language: str = "en") -> list[ScoreResult]:
    """Log-probabilities of every token of every text, each window encoded once, decoded in batches."""
    import numpy as np
    import torch
    from whisper.audio import N_FRAMES, log_mel_spectrogram, pad_or_trim
    from whisper.tokenizer import get_tokenizer

    tokenizer = get_tokenizer(model.is_multilingual, num_languages=model.num_languages,
                              language=language if model.is_multilingual else None, task="transcribe")
    start = list(tokenizer.sot_sequence) + [tokenizer.no_timestamps]

    def featurize(samples):
        mel = log_mel_spectrogram(np.ascontiguousarray(samples, dtype=np.float32), model.dims.n_mels, padding=160)
        return pad_or_trim(mel, N_FRAMES)

    mels, items = score_items(audio, requests, featurize, tokenizer.encode, tokenizer.eot)
    longest = len(start) + max((len(item.tokens) for item in items), default=0)
    if longest > model.dims.n_text_ctx:
        raise ValueError(f"a text of {longest} tokens exceeds the decoder's {model.dims.n_text_ctx}")

    logprobs: list[list[tuple[float, ...]]] = [[() for _ in req.texts] for req in requests]
    with torch.no_grad():
        encoded = [model.embed_audio(torch.stack(mels[lo:lo + BATCH])) for lo in range(0, len(mels), BATCH)]
        audio_features = torch.cat(encoded) if encoded else None
        for lo in range(0, len(items), BATCH):
            chunk = items[lo:lo + BATCH]
            width = max(len(item.tokens) for item in chunk)
            # Padding goes after each text; the causal mask keeps it from affecting earlier tokens.
            rows = [start + item.tokens + [tokenizer.eot] * (width - len(item.tokens)) for item in chunk]
            logits = model.logits(torch.tensor(rows), audio_features[[item.window for item in chunk]])
            text_logprobs = torch.log_softmax(logits[:, :, :tokenizer.eot].float(), dim=-1)
            for row, item in enumerate(chunk):
                steps = text_logprobs[row, len(start) - 1:]
                logprobs[item.request][item.text] = tuple(
                    max(float(steps[i, t]), FLOOR) if t < tokenizer.eot else FLOOR
                    for i, t in enumerate(item.tokens))
    return [ScoreResult(tuple(per_text)) for per_text in logprobs]
