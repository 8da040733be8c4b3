"""Ask the recogniser again with the printed words in mind: told what was printed, what does it hear?

A recogniser that has never met a name ("Okafor") writes something that sounds like it; offered
the printed wording as the text said before the window (Whisper's prompt), it usually hears the
name as printed. If it still hears something else, that counts against the printed words.

The prompt is what the transcript prints up to the end of the window's printed words (up to
`PROMPT_WORDS` before them): Whisper takes a prompt for what was said before, so the printed words
leading into the window tell it the topic and the names. Offered only the window's own printed
words, it took them as said already and went on after them ("The committee approved" for a whole
sentence, in 124 of 154 askings); so its first words are forced as well (Whisper's prefix): the
printed context words before the difference, which were heard as printed. It must then say what it
hears at the difference itself.

The prompt pulls the decoding towards the printed words, so it is asked only where the scores would
otherwise raise an alarm and either the text alone suggests a mishearing (a name the document
contains, or wordings alike in sound or spelling) or no number differs; and only where the wordings
are of a size (`comparable`: a first
hearing much longer than the printed words may hold words the publisher left out, which, told the
printed words, the recogniser skips); and "hears them" is taken strictly: every printed word, in
order, in what it hears (numbers compared spoken out), and no word only the first hearing had.
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
from .rules import CONFIRMED_MARGIN, Facts, Rule

log = logging.getLogger("transcheck")

_WORD_RE = re.compile(r"[a-z0-9']+")
ASKED_BASES = ("score margin", "sounds like the printed name", "unsure hearing")
PROMPT_WORDS = 40  # printed words before the window's own offered as what was said before it
LONGER = 1.5  # a first hearing more than this many times the printed words (and one) is not asked
# A plain rewording the margin confirms is asked only near the border of confirming: the slips asked
# excused ("read" for "leave", "stayed" for "paid") were confirmed by 5.0 and 6.8 nats; each of the 17
# confirmed edits asked on every benchmark was favoured by 12.7 nats or more, and told the printed
# words, the recogniser still heard what was said. Past this, a prompt that made it hear the printed
# words would be its own bias speaking, not the audio (and each asking costs a 30-s encoding).
NEAR_CONFIRMING = 2 * CONFIRMED_MARGIN


def words(text: str) -> list[str]:
    """Lower-cased words, digits spoken out, hyphens and punctuation dropped."""
    return _WORD_RE.findall(spoken(text.lower().replace("-", " ")).replace("-", " ").replace(",", ""))


def contains(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    """`needle` as a contiguous run of `haystack`."""
    n = len(needle)
    return bool(n) and any(list(haystack[i:i + n]) == list(needle) for i in range(len(haystack) - n + 1))


def worth_asking(rule: Rule, facts: Facts, name: Optional[dict], number: bool = False,
                 second_hearing: bool = False) -> bool:
    """An alarm the scores alone would raise (on the margin, on a name that sounds like the printed one,
    or on a hearing the recogniser was unsure of) on a rewording: a name or a sound-alike, whatever
    differs; any other rewording unless a number differs (told "one aircraft", tiny.en heard "one"
    where "nine" was said: a changed figure is the edit a prompt hides), and in a second hearing only
    where the scores leave it uncertain (a confirmed difference there, excused, turned a passage
    holding an inserted sentence into a recognition error); a confirmed one only near the border
    (`NEAR_CONFIRMING`)."""
    plain = not number and (rule.verdict == "uncertain" or not second_hearing and facts.margin > NEAR_CONFIRMING)
    return (rule.verdict != "recognition-error" and rule.basis in ASKED_BASES and facts.kind == "rewording"
            and (facts.suspect or name is not None or plain))


def hears_printed(said: str, printed: str, heard: str, context: str = "") -> bool:
    """Every printed word, in order, in what was said, and none of the words only the first hearing had
    (words of the printed context around it aside)."""
    out, p = words(said), words(printed)
    only_heard = set(words(heard)) - set(p) - set(words(context))
    return contains(out, p) and not only_heard & set(out)


def comparable(printed: str, heard: str) -> bool:
    """A first hearing no longer than `LONGER` times the printed words and one more: told the printed
    words, a recogniser skips what they leave out, so a wording that may hide an omission is not asked."""
    return len(words(heard)) <= LONGER * len(words(printed)) + 1


def ask(engine, audio: Audio, request: ScoreRequest, plan: Plan, off: Sequence[Token]) -> Optional[dict]:
    """Decode the plan's window again told the printed wording; what it heard and whether that is it."""
    hear = getattr(engine, "hear", None)
    if hear is None or not plan.official_words.strip() or not comparable(plan.official_words, plan.disc.rec_text):
        return None
    o0, o1 = plan.disc.off_tokens
    text = lambda a, b: " ".join(t.text for t in off[max(0, a):max(0, min(len(off), b))])  # noqa: E731
    lead = text(o0 - BEFORE, o0)  # the printed context words the window opens with
    context = text(o0 - BEFORE, o1 + AFTER)
    prompt = " ".join(x for x in (text(o0 - BEFORE - PROMPT_WORDS, o0 - BEFORE), context) if x)
    said = hear(audio, request.start, request.end, prompt, lead)
    if lead and words(said)[:len(words(lead))] != words(lead):  # the forced words, where not given back
        said = f"{lead} {said}".strip()
    found = hears_printed(said, plan.official_words, plan.disc.rec_text, context)
    log.debug("told %r, opening %r, heard %r: printed words %s", prompt, lead, said,
              "heard" if found else "not heard")
    return {"prompt": prompt, "prefix": lead, "heard": said, "hears_printed": found}
