"""The one place that composes the stages: check(recording, official, options) -> CheckResult."""

from __future__ import annotations

import hashlib
import json
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
    verdicts_cached: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The JSON report (schema `transcheck.report/1`)."""
        return {
            "schema": REPORT_SCHEMA,
            "transcheck_version": __version__,
            "title": self.options.title,
            "date": self.options.date,
            "recording": {"path": self.audio_path, "sha256": self.audio_sha256,
                          "duration": round(self.duration, 3), "channels": self.channels},
            "official": self.official.to_dict(),
            "engine": {"name": self.transcript.engine, "model": self.transcript.model,
                       "options": self.transcript.options, "language": self.transcript.language},
            "settings": self.options.to_dict(),
            # about this run only (so reruns give identical reports apart from this field)
            "timings": {**{k: round(v, 3) for k, v in self.timings.items()}, "transcript_cached": self.cached,
                        "verdicts_cached": self.verdicts_cached},
            "summary": self.summary,
            "discrepancies": [d.to_dict() for d in self.discrepancies],
            "words": word_stream(self.rec_tokens, self.off_tokens, self.ops, self.discrepancies),
        }


# The stages a progress display is told about, with the unit each one counts in.
DECODING, TRANSCRIBING, VERIFYING = "decoding audio", "transcribing", "checking against the audio"
STAGE_UNITS = {DECODING: "s audio", TRANSCRIBING: "s audio", VERIFYING: "passages"}
Progress = Optional[Callable[[str, float, float], None]]  # (stage, done, total)


def transcribe(audio: Audio, engine: Engine, cache: Optional[TranscriptCache],
               progress: Progress = None) -> tuple[Transcript, bool]:
    """The recording's transcript, from the cache when the same audio was heard the same way."""
    key = cache_key(audio.sha256, engine.name, engine.model_id, engine.options.decode.to_dict())
    if cache is not None:
        hit = cache.get(key)
        if hit is not None:
            log.info("transcript of %s taken from the cache", audio.path)
            return hit, True
    # as the cache will give it back (floats and lists through JSON), so a re-check sees the same input
    transcript = Transcript.from_dict(json.loads(json.dumps(_transcribe_in_pieces(audio, engine, progress, cache,
                                                                                     key).to_dict())))
    if progress:
        progress(TRANSCRIBING, audio.duration, audio.duration)
    if cache is not None:
        cache.put(key, transcript)
    return transcript, False


def _transcribe_in_pieces(audio: Audio, engine: Engine, progress: Progress,
                          cache: Optional[TranscriptCache] = None, key: str = "") -> Transcript:
    """Transcribe piece by piece, cut at pauses, so memory does not grow with the recording's length.

    Each finished piece of a long recording is cached on its own, so an interrupted run resumes
    from the last finished piece; the pieces are dropped once the whole transcript is cached.
    """
    words: list[Word] = []
    transcript = None
    cuts = quiet_cuts(audio.samples, audio.sample_rate, engine.options.decode.chunk_seconds)
    piece_keys = [hashlib.sha256(f"{key}:piece:{a}:{b}".encode()).hexdigest() for a, b in cuts]
    for (a, b), piece_key in zip(cuts, piece_keys):
        offset = a / audio.sample_rate
        heard = cache.get(piece_key) if cache is not None and len(cuts) > 1 else None
        if heard is None:
            piece = replace(audio, samples=audio.samples[a:b])
            callback = (lambda done, o=offset: progress(TRANSCRIBING, o + done, audio.duration)) if progress else None
            heard = engine.transcribe(piece, callback)
            if cache is not None and len(cuts) > 1:
                cache.put(piece_key, heard)
        elif progress:
            progress(TRANSCRIBING, b / audio.sample_rate, audio.duration)
        transcript = heard
        words.extend(Word(w.text, round(w.start + offset, 3), round(w.end + offset, 3), w.probability)
                     for w in heard.words)
    if cache is not None and len(cuts) > 1:
        for piece_key in piece_keys:
            cache.discard(piece_key)
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
    audio = load_audio(recording, (lambda done, total: progress(DECODING, done, total)) if progress else None)
    lap("decode_audio")
    engine = engine or load_engine(options)
    transcript, cached = transcribe(audio, engine, cache, progress)
    lap("transcribe")
    if not transcript.words:
        raise AudioError(f"{recording}: no speech found in {audio.duration:.1f} s of audio; "
                         "check that this is the briefing recording")
    rec, off, ops, found = compare(official, transcript, options)
    lap("compare")
    summary = summarize(rec, off, ops, found)
    _check_pairing(recording, official_path, summary, options)
    verdicts_cached = False
    if options.verify and any(d.severity == "substantive" for d in found):
        found, verdicts_cached = _verified(found, rec, off, audio, engine, official, cache, progress)
        summary = summarize(rec, off, ops, found)
        lap("verify")
    return CheckResult(
        audio_path=str(recording), audio_sha256=audio.sha256, duration=audio.duration,
        channels=audio.channels, official=official, transcript=transcript, rec_tokens=rec,
        off_tokens=off, ops=ops, discrepancies=found, summary=summary, options=options,
        timings=timings, cached=cached, verdicts_cached=verdicts_cached,
    )


def _verified(found: tuple[Discrepancy, ...], rec: tuple[Token, ...], off: tuple[Token, ...], audio: Audio,
              engine: Engine, official: OfficialText, cache: Optional[TranscriptCache],
              progress: Progress) -> tuple[tuple[Discrepancy, ...], bool]:
    """The discrepancies with the audio's verdicts, from the verdict cache when nothing they depend on changed."""
    from .verdict_cache import VerdictCache, verdict_key
    from .verify import apply_verdicts, find_verdicts

    store = VerdictCache(cache.directory) if cache is not None else None
    key = verdict_key(audio.sha256, engine, found, rec, off, official) if store else ""
    verdicts = store.get(key) if store else None
    if verdicts is not None:
        log.info("audio check of %s taken from the cache", audio.path)
        return tuple(apply_verdicts(found, verdicts)), True
    passages = (lambda done, total: progress(VERIFYING, done, total)) if progress else None
    if passages:
        passages(0, sum(d.severity == "substantive" for d in found))
    verdicts = find_verdicts(found, rec, off, audio, engine, official, passages)
    if store:
        store.put(key, verdicts)
    return tuple(apply_verdicts(found, verdicts)), False


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
