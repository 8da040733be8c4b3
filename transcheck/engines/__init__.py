"""Speech recognisers behind one small protocol; each engine module imports its library lazily."""

from __future__ import annotations

from ..errors import TranscheckError
from ..options import CheckOptions
from .base import Engine, ScoreRequest, ScoreResult

ENGINES = ("faster-whisper", "openai-whisper")


def load_engine(options: CheckOptions) -> Engine:
    """Build the engine named in `options`, handing it only its engine options (decoding, model,
    device, threads); the model itself is loaded on first use."""
    if options.engine == "faster-whisper":
        from .faster_whisper import FasterWhisperEngine

        return FasterWhisperEngine(options.engine_options)
    if options.engine == "openai-whisper":
        from .openai_whisper import OpenAIWhisperEngine

        return OpenAIWhisperEngine(options.engine_options)
    raise TranscheckError(f"unknown engine {options.engine!r}; choose one of: {', '.join(ENGINES)}")


__all__ = ["ENGINES", "Engine", "ScoreRequest", "ScoreResult", "load_engine"]
