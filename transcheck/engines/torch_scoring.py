"""Teacher-forced scoring of given wordings against audio windows with an openai-whisper model.

The same semantics as the CTranslate2 scorer (`ct2_scoring`), so verification means the same with
either engine: each window's log-mel is encoded once at its own length (padded only to the next length bucket, not to 30 s: the
model's own encoder layers run over the window's frames with the matching positional embeddings);
every text is decoded after the start sequence and <|notimestamps|>, and each of its tokens gets its
log-probability under a softmax over the text vocabulary only (as openai-whisper's word timing
and CTranslate2's align both compute it). End-of-text is not scored.
"""

from __future__ import annotations

import math
from typing import Optional

from ..audio import Audio
from .base import EncodedWindows, ScoreRequest, ScoreResult, score_items

BATCH = 8
FLOOR = math.log(1e-12)  # as the CTranslate2 scorer floors; a non-text token (end-of-text) gets it


def score_windows(model, audio: Audio, requests: list[ScoreRequest], language: str = "en",
                  kept: Optional[EncodedWindows] = None) -> list[ScoreResult]:
    """Log-probabilities of every token of every text, each window encoded once, decoded in batches."""
    import numpy as np
    import torch
    from whisper.audio import N_FRAMES, log_mel_spectrogram
    from whisper.tokenizer import get_tokenizer

    tokenizer = get_tokenizer(model.is_multilingual, num_languages=model.num_languages,
                              language=language if model.is_multilingual else None, task="transcribe")
    start = list(tokenizer.sot_sequence) + [tokenizer.no_timestamps]

    def featurize(samples):
        mel = log_mel_spectrogram(np.ascontiguousarray(samples, dtype=np.float32), model.dims.n_mels, padding=160)
        mel = mel[:, :N_FRAMES]
        return mel[:, : mel.shape[-1] - mel.shape[-1] % 2]  # the encoder halves the frame count

    plan = score_items(audio, requests, featurize, tokenizer.encode, tokenizer.eot)
    longest = len(start) + max((len(item.tokens) for item in plan.items), default=0)
    if longest > model.dims.n_text_ctx:
        raise ValueError(f"a text of {longest} tokens exceeds the decoder's {model.dims.n_text_ctx}")

    logprobs: list[list[tuple[float, ...]]] = [[() for _ in req.texts] for req in requests]
    with torch.no_grad():
        for window, group in plan.encoded(lambda mel: _encode(model, mel), kept):
            for chunk in (group[lo:lo + BATCH] for lo in range(0, len(group), BATCH)):
                width = max(len(item.tokens) for item in chunk)
                # Padding goes after each text; the causal mask keeps it from affecting earlier tokens.
                rows = [start + item.tokens + [tokenizer.eot] * (width - len(item.tokens)) for item in chunk]
                logits = model.logits(torch.tensor(rows), window.expand(len(chunk), -1, -1))
                text_logprobs = torch.log_softmax(logits[:, :, :tokenizer.eot].float(), dim=-1)
                for row, item in enumerate(chunk):
                    steps = text_logprobs[row, len(start) - 1:]
                    logprobs[item.request][item.text] = tuple(
                        max(float(steps[i, t]), FLOOR) if t < tokenizer.eot else FLOOR
                        for i, t in enumerate(item.tokens))
    plan.fill_repeats(logprobs)
    return [ScoreResult(tuple(per_text)) for per_text in logprobs]


def _encode(model, mel):
    """The model's audio encoder over a window of any length up to 30 s (one batch row)."""
    import torch.nn.functional as F

    encoder = model.encoder
    x = F.gelu(encoder.conv1(mel[None]))
    x = F.gelu(encoder.conv2(x)).permute(0, 2, 1)
    x = (x + encoder.positional_embedding[: x.shape[1]]).to(x.dtype)
    for block in encoder.blocks:
        x = block(x)
    return encoder.ln_post(x)
