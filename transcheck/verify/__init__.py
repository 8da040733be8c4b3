"""Ask the audio: is each substantive discrepancy the publisher's edit or the recogniser's mistake?

The steps, each in its own module: `plans` picks the window of audio and the wordings to score for
each discrepancy, `verdicts` scores them and decides (`judge`, `decide`), with `evidence` measuring
pace and loudness, and `rehear` hears a garbled passage again on its own. `verify()` composes them.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Optional, Sequence

from ..audio import Audio
from ..engines import Engine
from ..models import Discrepancy, OfficialText, Token
from .evidence import seconds_per_word, typical_loudness
from .plans import plan_for
from .rehear import rehear, worth_rehearing
from .verdicts import Progress, Scene, Verdicts, judge

log = logging.getLogger("transcheck")


def verify(discrepancies: Sequence[Discrepancy], rec: Sequence[Token], off: Sequence[Token], audio: Audio,
           engine: Engine, official: Optional[OfficialText] = None, progress: Progress = None) -> list[Discrepancy]:
    """Give every substantive discrepancy a verdict and the scores behind it."""
    return apply_verdicts(discrepancies, find_verdicts(discrepancies, rec, off, audio, engine, official, progress))


def find_verdicts(discrepancies: Sequence[Discrepancy], rec: Sequence[Token], off: Sequence[Token], audio: Audio,
                  engine: Engine, official: Optional[OfficialText] = None, progress: Progress = None) -> Verdicts:
    """The verdict of every substantive discrepancy, by its id; `progress(done, total)` in passages."""
    plans = [plan_for(d, rec, off) for d in discrepancies if d.severity == "substantive"]
    if not plans or not rec:
        return {}
    scene = Scene(audio, engine, seconds_per_word(rec), typical_loudness(rec, audio))
    verdicts = judge(plans, rec, off, scene, progress)
    if official is not None:
        again = [p for p in plans if worth_rehearing(p.disc, *verdicts[p.disc.id])]
        for n, plan in enumerate(again, 1):  # a second hearing costs about as much as a passage's scoring
            verdicts[plan.disc.id] = rehear(plan.disc, *verdicts[plan.disc.id], off, official, scene)
            if progress:
                progress(len(plans) + n, len(plans) + len(again))
    log.info("verified %d discrepancies", len(plans))
    return verdicts


def apply_verdicts(discrepancies: Sequence[Discrepancy], verdicts: Verdicts) -> list[Discrepancy]:
    """The discrepancies with their verdicts and evidence filled in."""
    out = []
    for d in discrepancies:
        if d.id in verdicts:
            verdict, evidence = verdicts[d.id]
            d = replace(d, verdict=verdict, evidence={**d.evidence, "verification": evidence})
        out.append(d)
    return out
