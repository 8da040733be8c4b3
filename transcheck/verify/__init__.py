"""Ask the audio: is each substantive discrepancy the publisher's edit or the recogniser's mistake?

The steps, each in its own module: `plans` picks the window of audio and the wordings to score for
each discrepancy, `verdicts` scores them and decides (`judge`, `decide`), with `evidence` measuring
pace and loudness, `rules` holding the verdict table, `names`, `prompted` and `vad` gathering the
facts it tests beyond the scores (names that sound alike, what the recogniser hears when told the
printed words, whether anybody speaks), `followed` whether the recogniser follows the recording at
all (scoring no more passages than it takes to know that it does not), `parts` checks each part of a
passage put down to the recogniser on its own, `figures` each printed number in it among the printed
words, and `rehear` hears a garbled passage again on its own; each opens a candidate for each difference the audio check does not put down to the recogniser. `verify()`
composes them.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Optional, Sequence

from ..audio import Audio
from ..engines import Engine
from ..engines.base import windows_kept
from ..models import RECOGNITION_ERROR, SUBSTANTIVE, Discrepancy, OfficialText, Token
from .evidence import seconds_per_word, typical_loudness
from .figures import check_figures, worth_checking as figures_worth_checking
from .followed import recording_followed
from .names import official_names
from .parts import check_parts, worth_splitting
from .plans import plan_for
from .rehear import check_again, rehear, worth_checking_again, worth_rehearing
from .rules import Facts
from .vad import SpeechOnDemand
from .verdicts import Progress, Scene, differing_words, judge_first, redecide, tell_printed

log = logging.getLogger("transcheck")


def verify(discrepancies: Sequence[Discrepancy], rec: Sequence[Token], off: Sequence[Token], audio: Audio,
           engine: Engine, official: Optional[OfficialText] = None, progress: Progress = None) -> list[Discrepancy]:
    """Give every substantive discrepancy a verdict and the scores behind it (each window of the
    recording encoded once, however many of its checks score it)."""
    with windows_kept(engine, audio):
        return _verify(discrepancies, rec, off, audio, engine, official, progress)


def _verify(discrepancies: Sequence[Discrepancy], rec: Sequence[Token], off: Sequence[Token], audio: Audio,
            engine: Engine, official: Optional[OfficialText], progress: Progress) -> list[Discrepancy]:
    plans = [plan_for(d, rec, off) for d in discrepancies if d.severity == SUBSTANTIVE]
    if not plans or not rec:
        return list(discrepancies)
    names = official_names(official) if official is not None else frozenset()
    speech = SpeechOnDemand(audio)  # scanned only if an insertion's gap needs it
    scene = Scene(audio, engine, seconds_per_word(rec), typical_loudness(rec, audio), names, speech,
                  differing=differing_words([plan.disc for plan in plans]))
    facts: dict[str, Facts] = {}
    verdicts = judge_first(plans, rec, off, scene, facts, progress)
    if recording_followed(verdicts):
        tell_printed(plans, verdicts, facts, off, scene)
    else:  # told the printed words or not, its hearing is no evidence here: nothing is decoded again
        log.info("the recogniser cannot follow this recording: its verdicts are set aside")
        scene = replace(scene, followed=False)
        by_id = {plan.disc.id: plan.disc for plan in plans}
        verdicts = {key: (verdict, evidence) if verdict == RECOGNITION_ERROR else
                    redecide(by_id[key], facts[key], verdict, evidence, recording_followed=False)
                    for key, (verdict, evidence) in verdicts.items()}
        # every verdict says so, even where none was set aside: the summary and the batch index must
        # not present this recording as checked (no accuracy figure, not ranked as faithful)
        verdicts = {key: (verdict, {**evidence, "recording_followed": False})
                    for key, (verdict, evidence) in verdicts.items()}
    opened: dict[str, list[Discrepancy]] = {}
    if official is not None:
        for plan in plans:
            d = plan.disc
            verdict, evidence = verdicts[d.id]
            # (where the recording is not followed, what it heard is no evidence: nor are its parts or figures)
            if scene.followed and worth_splitting(d, verdict, evidence):  # a part may be an edit: first, no decoding
                evidence, opened[d.id] = check_parts(d, evidence, rec, off, official, scene)
                verdicts[d.id] = (verdict, evidence)
            if scene.followed and not opened.get(d.id) and figures_worth_checking(d, verdict, evidence):  # its figures, among printed words
                evidence, opened[d.id] = check_figures(d, evidence, rec, off, official, scene)
                verdicts[d.id] = (verdict, evidence)
            if worth_rehearing(d, verdict, evidence):
                if not opened.get(d.id):  # heard again only where no part of it is a candidate already
                    evidence, opened[d.id] = rehear(d, evidence, off, official, scene)
                    verdicts[d.id] = (verdict, evidence)
            elif worth_checking_again(d, verdict, evidence):
                verdicts[d.id] = check_again(d, evidence, facts[d.id], rec, off, official, scene)
    out = []
    for d in discrepancies:
        if d.id in verdicts:
            verdict, evidence = verdicts[d.id]
            d = replace(d, verdict=verdict, evidence={**d.evidence, "verification": evidence})
        out.append(d)
        out.extend(opened.get(d.id, ()))
    log.info("verified %d discrepancies", len(plans))
    return out
