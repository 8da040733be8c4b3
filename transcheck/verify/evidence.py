"""What the audio says besides the scores: the speaker's pace, loudness, room for printed words."""

from __future__ import annotations

from typing import Mapping, Optional, Sequence

import numpy as np

from ..audio import Audio
from ..models import Discrepancy, Token


def seconds_per_word(rec: Sequence[Token]) -> float:
    """The speaker's pace: median seconds per word over the recording's words."""
    spans = sorted(max(0.05, t.end - t.start) for t in rec if not t.filler) or [0.3]
    return max(0.15, spans[len(spans) // 2] * 1.2)


def _energy(audio: Audio, start: float, end: float) -> float:
    rate = audio.sample_rate
    piece = audio.samples[int(start * rate): int(end * rate)]
    return float(np.sqrt(np.mean(piece.astype(np.float64) ** 2))) if len(piece) else 0.0


def typical_loudness(rec: Sequence[Token], audio: Audio, sample: int = 400) -> float:
    """Median loudness of heard words (an evenly spread sample of them, for long recordings)."""
    words = [t for t in rec if not t.filler]
    step = max(1, len(words) // sample)
    levels = sorted(_energy(audio, t.start, t.end) for t in words[::step])
    return levels[len(levels) // 2] if levels else 0.0


def timing_evidence(d: Discrepancy, rec: Sequence[Token], audio: Audio, pace: float, typical: float,
                    differing: Optional[Mapping[int, Discrepancy]] = None) -> dict:
    """Room in the audio for printed words (insertions); sound where words were heard (omissions).

    `differing` maps heard words inside substantive discrepancies to theirs. Where an insertion's
    neighbour is one, the recogniser may have garbled the printed words into it ("kef -10 through
    from..." where "hectares. Crews from..." was said): `words_to_spare_beside` counts the words heard
    there beyond the neighbours' own printed words. A word can vanish into a garble that way; a
    sentence leaves as many words behind."""
    r0, r1 = d.rec_tokens
    if d.kind == "insertion":
        before = rec[r0 - 1].end if r0 > 0 else 0.0
        after = rec[r0].start if r0 < len(rec) else audio.duration
        room = max(0.0, after - before)
        found = {"room_seconds": round(room, 3), "needed_seconds": round(pace * len(d.off_text.split()), 3),
                 "gap": (before, after)}
        differing = differing or {}
        beside = {n.id: n for n in (differing.get(r0 - 1), differing.get(r0)) if n is not None}
        if beside:
            found["words_to_spare_beside"] = sum(max(0, len(n.rec_text.split()) - len(n.off_text.split()))
                                                 for n in beside.values())
        return found
    if d.kind == "omission" and r1 > r0:
        level = _energy(audio, d.rec_start, d.rec_end)
        return {"relative_loudness": round(level / typical, 3) if typical > 0 else None}
    return {}
