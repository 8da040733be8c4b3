"""The one place that composes the stages: check(recording, official, options) -> CheckResult."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from typing import Callable, Optional

from .align import align_tokens
from .audio import Audio, load_audio, quiet_cuts
from .cache import TranscriptCache, cache_key
from .classify import classify, overlap, summarize
from .coverage import Coverage, find_coverage, over_unrecognised
from .engines import Engine, load_engine
from .errors import AudioError, PairingError
from .models import MOVED, REPEATED, SUBSTANTIVE, AlignmentOp, Discrepancy, OfficialText, Token, Transcript, Word
from .normalize import normalize_official, normalize_recording
from .options import CheckOptions
from .passages import find_moves, find_repeats, passage_discrepancies, without_copies
from .schema import CheckResult
from .sources import read_official
from .verify import verify

log = logging.getLogger("transcheck")

Progress = Optional[Callable[[float, float], None]]


def transcribe(audio: Audio, engine: Engine, cache: Optional[TranscriptCache],
               progress: Progress = None) -> tuple[Transcript, bool]:
    """The recording's transcript, from the cache when the same audio was heard the same way."""
    key = cache_key(audio.sha256, engine.name, engine.model_id, engine.options.decode.to_dict(), engine.runtime)
    if cache is not None:
        hit = cache.get(key)
        if hit is not None:
            log.info("transcript of %s taken from the cache", audio.path)
            return hit, True
    transcript = _transcribe_in_pieces(audio, engine, progress)
    if engine.options.decode.hear_unheard:
        from .unheard import hear_unheard

        transcript = hear_unheard(audio, engine, transcript)
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


@dataclass(frozen=True)
class Comparison:
    """Both sides normalised and aligned, what each covers, and the differences found inside that."""

    rec: tuple[Token, ...]
    off: tuple[Token, ...]
    ops: tuple[AlignmentOp, ...]
    found: tuple[Discrepancy, ...]
    coverage: Coverage


def compared(official: OfficialText, transcript: Transcript, options: CheckOptions) -> Comparison:
    """Normalise both sides, align them as one stream each, find what each covers, classify the rest."""
    rec = tuple(normalize_recording(transcript))
    off = tuple(normalize_official(official))
    ops = align_tokens(rec, off)
    repeats = find_repeats(off, ops)
    if repeats:
        ops = without_copies(rec, off, repeats)
    # runs of shared words the whole-stream alignment scattered are put back first (in order, or moved)
    moves, ops = find_moves(rec, off, ops, official)
    coverage, ops = find_coverage(rec, off, ops, official, transcript.duration)
    found = [d for d in classify(rec, off, ops, official, options.merge_gap) if not coverage.covers(d)]
    found = passage_discrepancies(found, rec, off, ops, official, moves, repeats)
    found, coverage = over_unrecognised(found, rec, off, official, coverage, transcript.unrecognised)
    return Comparison(rec, off, tuple(ops), _renumber(tuple(found)), coverage)


def _renumber(found: tuple[Discrepancy, ...]) -> tuple[Discrepancy, ...]:
    return tuple(replace(d, id=f"d{n}") for n, d in enumerate(found, start=1))


def compare(official: OfficialText, transcript: Transcript, options: CheckOptions):
    """(rec, off, ops, found) of `compared`, for callers that need no coverage."""
    c = compared(official, transcript, options)
    return c.rec, c.off, c.ops, c.found


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
    _check_engine(engine, options)
    transcript, cached = transcribe(audio, engine, cache, progress)
    lap("transcribe")
    if not transcript.words:
        raise AudioError(f"{recording}: no speech found in {audio.duration:.1f} s of audio; "
                         "check that this is the briefing recording")
    comparison = compared(official, transcript, options)
    rec, off, ops, found, coverage = (comparison.rec, comparison.off, comparison.ops, comparison.found,
                                      comparison.coverage)
    lap("compare")
    _check_pairing(recording, official_path, overlap(rec, off, ops, coverage), options)
    if options.verify and any(m.gap for m in official.marks):
        from .marks import test_marks

        found = tuple(test_marks(found, rec, audio, engine))
        lap("test_marks")
    if options.verify and any(d.severity == SUBSTANTIVE for d in found):
        # a moved or repeated passage's words are all there: the differences inside it are checked
        ordinary = [d for d in found if d.kind not in (MOVED, REPEATED)]
        checked = {d.id: d for d in verify(ordinary, rec, off, audio, engine, official)}
        found = tuple(checked.get(d.id, d) for d in found)
        lap("verify")
    summary = summarize(rec, off, ops, found, coverage)
    return CheckResult(
        audio_path=str(recording), audio_sha256=audio.sha256, duration=audio.duration,
        channels=audio.channels, official=official, transcript=transcript, rec_tokens=rec,
        off_tokens=off, ops=ops, discrepancies=found, summary=summary, options=options,
        timings=timings, cached=cached, coverage=coverage, sample_rate=audio.source_rate,
    )


def _check_engine(engine: Engine, options: CheckOptions) -> None:
    """The report records `options`: an engine built with other settings would hear with those instead."""
    if engine.name != options.engine or engine.options != options.engine_options:
        raise ValueError(f"the {engine.name} engine was built with {engine.options}, but the check asks for "
                         f"{options.engine} with {options.engine_options}; build it with load_engine(options)")


def _check_pairing(recording: str, official_path: str, shared: dict, options: CheckOptions) -> None:
    if options.force:
        return
    heard, printed = shared["recorded_words"], shared["official_words"]
    if printed >= 20 and heard <= max(3, printed // 20):
        raise AudioError(f"{recording}: almost no speech found ({heard} words heard against {printed} printed); "
                         "check that this is the briefing recording, or pass --force to report anyway")
    enough = min(heard, printed) >= 8
    if enough and shared["run_share"] < options.min_shared:
        raise PairingError(
            f"{recording} and {official_path} share only {shared['run_share']:.0%} of their words in common passages: "
            "they do not look like the same briefing; check the pairing, or pass --force to report anyway")
