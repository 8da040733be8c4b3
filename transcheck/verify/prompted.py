"""Ask the recogniser again with the printed words in mind: told what was printed, what does it hear?

A recogniser that has never met a name ("Okafor") writes something that sounds like it; offered
the printed wording as the text said just before the window (Whisper's prompt), it usually hears
the name as printed. If it still hears something else, that counts against the printed words.
The prompt pulls the decoding towards the printed words, so it is asked only where the text alone
suggests a mishearing (a name the document contains, or wordings alike in sound or spelling) and
the scores would otherwise raise an alarm, and "hears them" is taken strictly: every printed
word, in order, in what it hears (numbers compared spoken out), and no word only the first hearing had.
How often this would excuse a real edit is measured by the benchmarks (README).
"""

from __future__ import annotations

import logging
import re
from typing import Optional, Sequence

from ..audio import Audio
from ..engines import ScoreRequest
from ..models import Token
from .plans import AFTER, BEFORE, Plan, spoken
from .rules import Facts, Rule

log = logging.getLogger("transcheck")

_WORD_RE = re.compile(r"[a-z0-9']+")
ASKED_BASES = ("score margin", "sounds like the printed name")


def words(text: str) -> list[str]:
    """Lower-cased words, digits spoken out, hyphens and punctuation dropped."""
    return _WORD_RE.findall(spoken(text.lower().replace("-", " ")).replace("-", " ").replace(",", ""))


def contains(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    """`needle` as a contiguous run of `haystack`."""
    n = len(needle)
    return bool(n) and any(list(haystack[i:i + n]) == list(needle) for i in range(len(haystack) - n + 1))


def worth_asking(rule: Rule, facts: Facts, name: Optional[dict]) -> bool:
    """An alarm the scores alone would raise on a name or a sound-alike rewording."""
    return (rule.verdict != "recognition-error" and rule.basis in ASKED_BASES and facts.kind == "rewording"
            and (facts.suspect or name is not None))


def hears_printed(said: str, printed: str, heard: str, context: str = "") -> bool:
    """Every printed word, in order, in what was said, and none of the words only the first hearing had
    (words of the printed context around it aside)."""
    out, p = words(said), words(printed)
    only_heard = set(words(heard)) - set(p) - set(words(context))
    return contains(out, p) and not only_heard & set(out)


def ask(engine, audio: Audio, request: ScoreRequest, plan: Plan, off: Sequence[Token]) -> Optional[dict]:
    """Decode the plan's window again told the printed wording; what it heard and whether that is it."""
    hear = getattr(engine, "hear", None)
    if hear is None or not plan.official_words.strip():
        return None
    o0, o1 = plan.disc.off_tokens
    prompt = " ".join(t.text for t in off[max(0, o0 - BEFORE):min(len(off), o1 + AFTER)])
    said = hear(audio, request.start, request.end, prompt)
    found = hears_printed(said, plan.official_words, plan.disc.rec_text, prompt)
    log.debug("told %r, heard %r: printed words %s", prompt, said, "heard" if found else "not heard")
    return {"prompt": prompt, "heard": said, "hears_printed": found}
