"""Speech that was not transcribed: found with Silero VAD (shipped with faster-whisper), heard again alone.

Whisper sometimes skips a stretch of speech outright: a question in another language and the
interpreter after it, a speaker far from the microphone. A voice-activity detector finds the
stretches that hold speech but got no words; each is transcribed again on its own, which often
brings its words back. Heard whole, a long stretch may still give words for only a part of it (tiny.en
skipped the first 23 s of a briefing, and heard again whole it gave "We'll see you next time." at its
very end); what it leaves without words is heard again in pieces of about 10 s or less, cut at the
quietest moment near each boundary, which brought back most of it. What still yields nothing is recorded on
the transcript as not recognised, so the comparison can say that printed words there are
unverifiable rather than misheard.
"""

from __future__ import annotations

import logging
import math
from dataclasses import replace
from typing import Optional, Sequence

from .audio import Audio, quiet_cuts
from .models import Transcript, Word

log = logging.getLogger("transcheck")

MIN_SPEECH = 2.0  # seconds of speech with no words before it is heard again
MARGIN = 0.3  # seconds either side of a heard word that count as covered by it


def speech_spans(audio: Audio) -> Optional[list[tuple[float, float]]]:
    """Stretches holding speech, in seconds; None where the detector is not installed."""
    try:
        from faster_whisper.vad import VadOptions, get_speech_timestamps
    except ImportError:
        log.info("faster-whisper's voice-activity detector is not installed: untranscribed speech is not sought")
        return None
    rate = audio.sample_rate
    if rate != 16000:
        return None
    found = get_speech_timestamps(audio.samples, VadOptions(min_silence_duration_ms=700, speech_pad_ms=200))
    return [(s["start"] / rate, s["end"] / rate) for s in found]


def without_words(speech: Sequence[tuple[float, float]], words: Sequence[Word],
                  minimum: float = MIN_SPEECH) -> list[tuple[float, float]]:
    """The parts of the speech stretches at least `minimum` seconds long that no heard word covers."""
    covered = sorted((w.start - MARGIN, w.end + MARGIN) for w in words)
    out = []
    for start, end in speech:
        pos = start
        for a, b in covered:
            if b <= pos or a >= end:
                continue
            if a - pos >= minimum:
                out.append((round(pos, 3), round(a, 3)))
            pos = max(pos, b)
        if end - pos >= minimum:
            out.append((round(pos, 3), round(end, 3)))
    return out


def _hear(audio: Audio, engine, start: float, end: float) -> list[Word]:
    """The words heard in [start, end) of the audio transcribed on its own, on the recording's clock."""
    rate = audio.sample_rate
    piece = replace(audio, samples=audio.samples[int(start * rate): int(math.ceil(end * rate))])
    return [Word(w.text, round(w.start + start, 3), round(w.end + start, 3), w.probability)
            for w in engine.transcribe(piece).words if w.text.strip()]


def _in_pieces(audio: Audio, engine, start: float, end: float, seconds: float) -> list[Word]:
    """The words heard in [start, end), cut into pieces of about `seconds` or less (each at the quietest
    moment near its boundary), each transcribed on its own."""
    rate = audio.sample_rate
    a0 = int(start * rate)
    every = (end - start) / math.ceil((end - start) / seconds)
    cuts = quiet_cuts(audio.samples[a0:int(math.ceil(end * rate))], rate, every, search=every / 5)
    return [w for a, b in cuts for w in _hear(audio, engine, (a0 + a) / rate, (a0 + b) / rate)]


def hear_unheard(audio: Audio, engine, transcript: Transcript) -> Transcript:
    """The transcript with the words of speech it had skipped, each stretch transcribed alone (what
    that leaves without words, again in pieces), and the stretches that still gave nothing recorded
    as `unrecognised`."""
    speech = speech_spans(audio)
    if not speech:
        return transcript
    seconds = engine.options.decode.unheard_piece_seconds
    added: list[Word] = []
    silent: list[tuple[float, float]] = []
    stretches = without_words(speech, transcript.words)
    for start, end in stretches:
        words = _hear(audio, engine, start, end)
        for a, b in without_words([(start, end)], words) if words else [(start, end)]:
            if words or end - start > seconds:  # heard in part, or too long to be heard whole
                words += _in_pieces(audio, engine, a, b, seconds)
        added.extend(words)
        silent.extend(without_words([(start, end)], words))
    if added or silent:
        log.info("speech with no words: %d stretches heard again, %d words found, %d stretches still silent",
                 len(stretches), len(added), len(silent))
    words = tuple(sorted(transcript.words + tuple(added), key=lambda w: (w.start, w.end)))
    return replace(transcript, words=words, unrecognised=tuple(silent))
