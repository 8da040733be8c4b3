"""The one place that composes the stages: check(recording, official, options) -> CheckResult."""

from __future__ import annotations

import hashlib
import json
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

# The stages a progress display is told about, with the unit each one counts in.
DECODING, TRANSCRIBING, VERIFYING = "decoding audio", "transcribing", "checking against the audio"
STAGE_UNITS = {DECODING: "s audio", TRANSCRIBING: "s audio", VERIFYING: "passages"}
Progress = Optional[Callable[[str, float, float], None]]  # (stage, done, total)


def transcribe(audio: Audio, engine: Engine, cache: Optional[TranscriptCache],
               progress: Progress = None) -> tuple[Transcript, bool]:
    """The recording's transcript, from the cache when the same audio was heard the same way."""
    key = cache_key(audio.sha256, engine.name, engine.model_id, engine.options.decode.to_dict(), engine.runtime)
    if cache is not None:
        hit = cache.get(key)
        if hit is not None:
            log.info("transcript of %s taken from the cache", audio.path)
            return hit, True
    transcript = _transcribe_in_pieces(audio, engine, progress, cache, key)
    if engine.options.decode.hear_unheard:
        from .unheard import hear_unheard

        transcript = hear_unheard(audio, engine, transcript)
    # as the cache will give it back (floats and lists through JSON), so a re-check sees the same input
    transcript = Transcript.from_dict(json.loads(json.dumps(transcript.to_dict())))
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
    audio = load_audio(recording, (lambda done, total: progress(DECODING, done, total)) if progress else None)
    lap("decode_audio")
    engine = engine or load_engine(options)
    _check_engine(engine, options)
    transcript, cached = transcribe(audio, engine, cache, progress)
    lap("transcribe")
    if not transcript.words:
        raise AudioError(_nothing_heard(recording, audio, options))
    comparison = compared(official, transcript, options)
    rec, off, ops, found, coverage = (comparison.rec, comparison.off, comparison.ops, comparison.found,
                                      comparison.coverage)
    lap("compare")
    _check_pairing(recording, official_path, overlap(rec, off, ops, coverage), options)
    if options.verify and any(m.gap for m in official.marks):
        from .marks import test_marks

        found = tuple(test_marks(found, rec, audio, engine))
        lap("test_marks")
    verdicts_cached = False
    if options.verify and any(d.severity == SUBSTANTIVE for d in found):
        found, verdicts_cached = _verified(found, rec, off, audio, engine, official, cache, progress)
        lap("verify")
    summary = summarize(rec, off, ops, found, coverage)
    return CheckResult(
        audio_path=str(recording), audio_sha256=audio.sha256, duration=audio.duration,
        channels=audio.channels, official=official, transcript=transcript, rec_tokens=rec,
        off_tokens=off, ops=ops, discrepancies=found, summary=summary, options=options,
        timings=timings, cached=cached, coverage=coverage, sample_rate=audio.source_rate,
        verdicts_cached=verdicts_cached,
    )


def _check_engine(engine: Engine, options: CheckOptions) -> None:
    """The report records `options`: an engine built with other settings would hear with those instead."""
    if engine.name != options.engine or engine.options != options.engine_options:
        raise ValueError(f"the {engine.name} engine was built with {engine.options}, but the check asks for "
                         f"{options.engine} with {options.engine_options}; build it with load_engine(options)")


def _nothing_heard(recording: str, audio: Audio, options: CheckOptions) -> str:
    """Why no word was heard, in one line: nobody speaks, or somebody does in words the recogniser does
    not know (tiny.en heard nothing at all in French speech on one runtime)."""
    from .verify.vad import speech_map

    speech = speech_map(audio)
    spoken = speech.speech_in(0.0, audio.duration) if speech is not None else 0.0
    if spoken >= 1.0:
        return (f"{recording}: the recogniser heard no words in {spoken:.1f} s of speech; check that this is "
                f"the briefing recording, and that it is in the language checked ({options.engine_options.decode.language}"
                "; another needs --language and a multilingual --model)")
    return f"{recording}: no speech found in {audio.duration:.1f} s of audio; check that this is the briefing recording"


def _verified(found: tuple[Discrepancy, ...], rec: tuple[Token, ...], off: tuple[Token, ...], audio: Audio,
              engine: Engine, official: OfficialText, cache: Optional[TranscriptCache],
              progress: Progress) -> tuple[tuple[Discrepancy, ...], bool]:
    """The discrepancies with the audio's verdicts (and the candidates a second hearing opens), from
    the verdict cache when nothing they depend on changed. Moved and repeated passages are not asked:
    their words are all there, and the differences inside them are checked on their own."""
    from .verdict_cache import VerdictCache, verdict_key

    store = VerdictCache(cache.directory) if cache is not None else None
    key = verdict_key(audio.sha256, engine, found, rec, off, official) if store else ""
    hit = store.get(key) if store else None
    if hit is not None:
        log.info("audio check of %s taken from the cache", audio.path)
        return hit, True
    ordinary = [d for d in found if d.kind not in (MOVED, REPEATED)]
    passages = (lambda done, total: progress(VERIFYING, done, total)) if progress else None
    if passages:
        passages(0, sum(d.severity == SUBSTANTIVE for d in ordinary))
    verified = verify(ordinary, rec, off, audio, engine, official, passages)
    checked: dict[str, Discrepancy] = {}
    opened: dict[str, list[Discrepancy]] = {}
    for d in verified:
        parent = d.evidence.get("verification", {}).get("opened_by")
        if parent:
            opened.setdefault(parent, []).append(d)
        else:
            checked[d.id] = d
    out = tuple(x for d in found for x in (checked.get(d.id, d), *opened.get(d.id, ())))
    # as the cache will give them back (through JSON), so a re-check reports exactly the same
    out = tuple(Discrepancy.from_dict(json.loads(json.dumps(d.to_dict()))) for d in out)
    if store:
        store.put(key, out)
    return out, False


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
