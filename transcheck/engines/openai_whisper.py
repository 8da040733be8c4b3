"""openai-whisper (PyTorch, float32 on CPU): the reference implementation, as a second engine.

It runs the same weights as the default engine: the bundled tiny.en is converted once into an
openai-whisper checkpoint (see `openai_checkpoint`). Audio is handed over already decoded, so
no ffmpeg executable is needed, and decoding options mean what they mean for faster-whisper.
"""

from __future__ import annotations

import importlib
import importlib.util
import threading
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Iterator, Optional

from ..audio import Audio
from ..cache import default_cache_dir
from ..errors import ModelError
from ..models import Transcript, Word
from ..options import EngineOptions
from .base import LazyModel, Progress, ScoreRequest, ScoreResult
from .faster_whisper import default_threads
from .openai_checkpoint import load_model, resolve_checkpoint
from .base import looped
from .runtime import runtime

INSTALL_HINT = "install it with `pip install 'transcheck[openai]'` (see the README for a CPU-only torch)"
# faster-whisper's default number of candidates when sampling at a temperature above 0.
BEST_OF = 5

_progress_lock = threading.Lock()


def require_openai_whisper() -> None:
    """Fail early, in one line, when openai-whisper or torch is not installed."""
    for module, package in (("torch", "torch"), ("whisper", "openai-whisper"), ("tiktoken", "tiktoken")):
        if importlib.util.find_spec(module) is None:
            raise ModelError(f"--engine openai-whisper needs the {package} package, which is not installed; "
                             f"{INSTALL_HINT}")


class OpenAIWhisperEngine(LazyModel):
    """Transcribes with openai-whisper's own transcribe(); scores wordings with a teacher-forced pass."""

    name = "openai-whisper"

    def __init__(self, options: EngineOptions, cache_root: Optional[Path] = None) -> None:
        require_openai_whisper()
        if options.decode.vad_filter:
            raise ModelError("--vad is only available with --engine faster-whisper; "
                             "drop --vad or choose that engine")
        self.options = options
        self.cache_root = Path(cache_root) if cache_root else default_cache_dir()
        self.ref = resolve_checkpoint(options.model)

    @property
    def runtime(self) -> dict[str, str]:
        """The libraries and numerics that decide the words (float32 on the CPU)."""
        return runtime(("openai-whisper", "torch", "numba", "av", "numpy"), device="cpu", compute_type="float32")

    def _load(self):
        try:  # another package named "whisper" (Graphite's) fails here
            from whisper.model import Whisper  # noqa: F401
        except ImportError as exc:
            raise ModelError(f"openai-whisper cannot be imported ({exc}); {INSTALL_HINT}") from None
        return load_model(self.ref, self.cache_root)

    def _use_threads(self) -> None:
        """Apply --threads before each call: numba's first run (word timing) resets torch's count."""
        import torch

        torch.set_num_threads(self.options.threads or default_threads())

    def transcribe(self, audio: Audio, progress: Progress = None) -> Transcript:
        import whisper

        opts = self.options.decode
        model = self.model
        self._use_threads()
        with _progress_reported(progress, audio.duration) as verbose:
            result = whisper.transcribe(
                model,
                audio.samples,
                verbose=verbose,
                language=opts.language,
                task="transcribe",
                beam_size=opts.beam_size,  # openai-whisper, like faster-whisper, uses it at temperature 0
                best_of=BEST_OF,
                temperature=tuple(opts.temperatures),
                condition_on_previous_text=opts.condition_on_previous_text,
                word_timestamps=True,
                fp16=False,
            )
        if progress:
            progress(audio.duration)
        words: list[Word] = []
        for segment in result["segments"]:
            if looped(segment.get("text", ""), opts.max_compression_ratio):
                continue  # a decoding loop, as in the faster-whisper engine
            for w in segment.get("words") or ():
                text = w["word"].strip()
                if text:
                    start, end = float(w["start"]), float(w["end"])
                    words.append(Word(text, round(start, 3), round(max(end, start), 3),
                                      round(float(w["probability"]), 4)))
        return Transcript(tuple(words), audio.duration, result.get("language") or opts.language, self.name,
                          self.model_id, opts.to_dict(), self.runtime)

    def score(self, audio: Audio, requests: list[ScoreRequest]) -> list[ScoreResult]:
        from .torch_scoring import score_windows

        self._use_threads()
        return score_windows(self.model, audio, requests, self.options.decode.language, self.kept_windows)

    def hear(self, audio: Audio, start: float, end: float, prompt: str, prefix: str = "") -> str:
        import whisper

        self._use_threads()
        rate = audio.sample_rate
        result = whisper.transcribe(self.model, audio.samples[int(start * rate): int(end * rate)], verbose=None,
                                    language=self.options.decode.language, temperature=0.0, initial_prompt=prompt or None,
                                    condition_on_previous_text=False, without_timestamps=True, fp16=False,
                                    **({"prefix": prefix} if prefix else {}))
        return str(result.get("text", "")).strip()


@contextmanager
def _progress_reported(progress: Progress, duration: float) -> Iterator[Optional[bool]]:
    """Route whisper.transcribe's progress to `progress(seconds_done)`; yields its `verbose` argument.

    openai-whisper has no progress callback: the only report is the tqdm bar that transcribe()
    opens when verbose=False, advanced by the frames of each 30 s window as it is done. Cutting
    the audio into windows ourselves would change the decoding (windows follow the timestamps
    whisper predicts), and segments only come back at the end. So, while this call runs, the
    `tqdm` name inside whisper.transcribe points to a bar that forwards its updates here instead
    of drawing; the model object is untouched and the name is restored afterwards. Without a
    callback nothing is replaced and verbose=None keeps openai-whisper silent.
    """
    module = importlib.import_module("whisper.transcribe")
    if progress is None or not hasattr(getattr(module, "tqdm", None), "tqdm"):  # other versions: no bar
        yield None
        return
    from whisper.audio import FRAMES_PER_SECOND

    class ForwardingBar:
        def __init__(self, total: int = 0, unit: str = "", disable: bool = False, **_) -> None:
            self.disable, self.frames = disable, 0

        def __enter__(self) -> "ForwardingBar":
            return self

        def __exit__(self, *exc) -> None:
            return None

        def update(self, frames: int = 1) -> None:
            if not self.disable:  # a concurrent silent transcribe() must not report into this bar
                self.frames += frames
                progress(min(self.frames / FRAMES_PER_SECOND, duration))

    with _progress_lock:
        saved = module.tqdm
        module.tqdm = SimpleNamespace(tqdm=ForwardingBar)
        try:
            yield False
        finally:
            module.tqdm = saved
