"""The one place that composes the stages: check(recording, official, options) -> CheckResult."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Optional

from . import __version__
from .align import align_tokens
from .audio import Audio, load_audio, quiet_cuts
from .cache import TranscriptCache, cache_key
from .classify import classify, summarize, word_stream
from .engines import Engine, load_engine
from .errors import AudioError, PairingError
from .models import AlignmentOp, Discrepancy, OfficialText, Token, Transcript, Word
from .normalize import normalize_official, normalize_recording
from .options import CheckOptions
from .sources import read_official

log = logging.getLogger("transcheck")

REPORT_SCHEMA = "transcheck.report/1"


@dataclass(frozen=True)
class CheckResult:
    """Everything a check found, and everything needed to reproduce it."""

    audio_path: str
    audio_sha256: str
    duration: float
    channels: int
    official: OfficialText
    transcript: Transcript
    rec_tokens: tuple[Token, ...]
    off_tokens: tuple[Token, ...]
    ops: tuple[AlignmentOp, ...]
    discrepancies: tuple[Discrepancy, ...]
    summary: dict[str, Any]
    options: CheckOptions
    timings: dict[str, float] = field(default_factory=dict, hash=False)
    cached: bool = False
    sample_rate: int = 0  # the recording's own, for evidence clips

    def to_dict(self) -> dict[str, Any]:
        """The JSON report (schema `transcheck.report/1`)."""
        return {
            "schema": REPORT_SCHEMA,
            "transcheck_version": __version__,
            "title": self.options.title,
            "date": self.options.date,
            "recording": {"path": self.audio_path, "sha256": self.audio_sha256,
                          "duration": round(self.duration, 3), "channels": self.channels,
                          "sample_rate": self.sample_rate},
            "official": self.official.to_dict(),
            "engine": {"name": self.transcript.engine, "model": self.transcript.model,
                       "options": self.transcript.options, "language": self.transcript.language},
            "settings": self.options.to_dict(),
            # about this run only (so reruns give identical reports apart from this field)
            "timings": {**{k: round(v, 3) for k, v in self.timings.items()}, "transcript_cached": self.cached},
            "summary": self.summary,
            "discrepancies": [d.to_dict() for d in self.discrepancies],
            "words": word_stream(self.rec_tokens, self.off_tokens, self.ops, self.discrepancies),
        }


Progress = Optional[Callable[[float, float], None]]


def transcribe(audio: Audio, engine: Engine, cache: Optional[TranscriptCache],
               progress: Progress = None) -> tuple[Transcript, bool]:
    """The recording's transcript, from the cache when the same audio was heard the same way."""
    key = cache_key(audio.sha256, engine.name, engine.model_id, engine.options.decode.to_dict())
    if cache is not None:
        hit = cache.get(key)
        if hit is not None:
            log.info("transcript of %s taken from the cache", audio.path)
            return hit, True
    transcript = _transcribe_in_pieces(audio, engine, progress)
    if progress:
        progress(audio.duration, audio.duration)
    if cache is not None:
        cache.put(key, transcript)
    return transcript, False


def _transcribe_in_pieces(audio: Audio, engine: Engine, progress: Progress) -> Transcript:
    """Transcribe piece by piece, cut at pauses, so memory does not grow with the recording's length."""
    words: list[Word] = []
    transcript = None
    for a, b in quiet_cuts(audio.samples, audio.sample_rate, engine.options.decode.chunk_seconds):
        offset = a / audio.sample_rate
        piece = replace(audio, samples=audio.samples[a:b])
        callback = (lambda done, o=offset: progress(o + done, audio.duration)) if progress else None
        transcript = engine.transcribe(piece, callback)
        words.extend(Word(w.text, round(w.start + offset, 3), round(w.end + offset, 3), w.probability)
                     for w in transcript.words)
    return replace(transcript, words=tuple(words), duration=audio.duration)


def compare(official: OfficialText, transcript: Transcript, options: CheckOptions):
    """Normalise both sides, align them as one stream each, classify the differences."""
    rec = tuple(normalize_recording(transcript))
    off = tuple(normalize_official(official))
    ops = tuple(align_tokens(rec, off))
    found = tuple(classify(rec, off, ops, official, options.merge_gap))
    return rec, off, ops, found


def check(recording: str, official_path: str, options: CheckOptions = CheckOptions(),
          cache: Optional[TranscriptCache] = None, progress: Progress = None,
          engine: Optional[Engine] = None) -> CheckResult:
    """Check one recording against its official transcript."""
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = now - clock
        clock = now

    official = read_official(official_path, options.official_format)
    lap("read_official")
    audio = load_audio(recording)
    lap("decode_audio")
    engine = engine or load_engine(options)
    transcript, cached = transcribe(audio, engine, cache, progress)
    lap("transcribe")
    if not transcript.words:
        raise AudioError(f"{recording}: no speech found in {audio.duration:.1f} s of audio; "
                         "check that this is the briefing recording")
    rec, off, ops, found = compare(official, transcript, options)
    lap("compare")
    if options.verify and any(m.gap for m in official.marks):
        from .marks import test_marks

        found = tuple(test_marks(found, rec, audio, engine))
        lap("test_marks")
    summary = summarize(rec, off, ops, found)
    _check_pairing(recording, official_path, summary, options)
    if options.verify and any(d.severity == "substantive" for d in found):
        from .verify import verify

        found = tuple(verify(found, rec, off, audio, engine, official))
        summary = summarize(rec, off, ops, found)
        lap("verify")
    return CheckResult(
        audio_path=str(recording), audio_sha256=audio.sha256, duration=audio.duration,
        channels=audio.channels, official=official, transcript=transcript, rec_tokens=rec,
        off_tokens=off, ops=ops, discrepancies=found, summary=summary, options=options,
        timings=timings, cached=cached, sample_rate=audio.source_rate,
    )


def _check_pairing(recording: str, official_path: str, summary: dict, options: CheckOptions) -> None:
    heard, printed = summary["recorded_words"], summary["official_words"]
    if printed >= 20 and heard <= max(3, printed // 20) and options.min_shared > 0:
        raise AudioError(f"{recording}: almost no speech found ({heard} words heard against {printed} printed); "
                         "check that this is the briefing recording, or pass --force to report anyway")
    shared = summary["run_share"]
    enough = min(heard, printed) >= 8
    if enough and shared < options.min_shared:
        raise PairingError(
            f"{recording} and {official_path} share only {shared:.0%} of their words in common passages: "
            "they do not look like the same briefing; check the pairing, or pass --force to report anyway")
