"""Speaker labels, learnt from the document: which name-like phrases open its turns.

A label is a name-like phrase at the start of a paragraph, ended by a colon: a name in capitals
("MS. JEAN-PIERRE:"), an honorific and a name ("Mr. J. Nyagah:", "Hon. Owen Baya (Kilifi North,
UDA):"), an office-holder's long form ("The Secretary of State for ... (Mr William Hague):"), a
mixed-case name in a document that has other labels ("Sarah Teather:"), or a reporter's "Q"/"A"
followed by a colon, a dash or a run of spaces. A phrase that opens turns elsewhere in the document
is a label wherever it follows the end of a sentence (two turns run into one paragraph). Capitals
with nothing after them are a heading, not a speaker.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from typing import Callable, Iterable, Sequence

from ..models import Label
from .furniture import line_kind

_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de"
_LOWER = "a-z\u00df-\u00f6\u00f8-\u00ff"
_CAPS_WORD = rf"[{_UPPER}][{_UPPER}0-9.'\u2019\-]*"
HONORIFICS = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Professor", "Hon", "Rt", "Rev", "Sir", "Dame",
              "Lord", "Lady", "Baroness", "Baron", "Capt", "Col", "Gen", "Maj", "Lt", "Sgt", "Eng", "Amb",
              "Sen", "Senator", "Rep", "Gov", "Judge", "Justice", "Fr", "Mayor", "Cllr", "Dato", "Datuk",
              "Madam", "Mme", "M", "Messrs")
_HONORIFIC = rf"(?:{'|'.join(HONORIFICS)})\.?"
_PARTICLE = r"(?:ole|arap|van|von|de|da|del|der|den|la|le|du|di|bin|binti|al|el|ter|st\.?)"
_INITIALS = rf"(?:[{_UPPER}]\.){{1,3}}(?:[{_UPPER}](?![{_LOWER}]))?"
_TITLE_IN_BRACKETS = r"\([A-Z][a-z]{1,4}\.?\)"  # "Hon. (Dr) Robert Pukose", "Hon. Major (Rtd) Abdullahi Sheikh"
_NAME_WORD = rf"(?:{_INITIALS}|[{_UPPER}][\w'\u2019\-]*\.?|{_PARTICLE}|{_TITLE_IN_BRACKETS})"
_CAP_WORD = rf"[{_UPPER}][\w'\u2019\-]*"
_CONNECTOR = r"(?:of|for|and|the|to|on|in|at|with|&)"
ROLE_WORDS = ("Question", "Answer", "Spokesperson", "Spokesman", "Spokeswoman", "Moderator", "Reporter",
              "Journalist", "Speaker", "Operator", "Interpreter", "Correspondent", "Participant", "Chair",
              "Chairman", "Chairwoman", "Chairperson", "Host", "President", "Secretary", "Minister",
              "Ambassador", "Interviewer", "Interviewee", "Narrator", "Witness", "Clerk", "Audience",
              "Member", "Members", "Official", "Prime Minister", "Deputy Spokesperson", "Commissioner")
_ROLE = rf"(?:{'|'.join(ROLE_WORDS)})"
_BRACKETS = r"(?:[ \t]*\((?:[^()\n]|\([^()\n]*\)){1,160}\))"
# the phrase forms, most specific first
_FORMS = (
    ("person", rf"(?:The[ \t]+)?{_HONORIFIC}(?:[ \t]+{_HONORIFIC})*[ \t]+{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,4}}"),
    ("office", rf"(?:The|His|Her)[ \t]+{_CAP_WORD}(?:(?:[ \t]+|,[ \t]+)(?:{_CAP_WORD}|{_CONNECTOR})){{0,16}}"),
    ("caps", rf"{_CAPS_WORD}(?:[ \t]+{_CAPS_WORD}){{0,5}}"),
    ("role", rf"{_ROLE}(?:[ \t]+{_CAP_WORD}){{0,2}}"),
    ("name", rf"{_CAP_WORD}(?:[ \t]+{_NAME_WORD}){{1,3}}"),
)
_PHRASE = "|".join(f"(?P<{kind}>{form})" for kind, form in _FORMS)
# a list marker, a question number ("1.", "T1.") and its reference ("[66880]") may come first
_PREFIX = r"[ \t]*(?:[>*\-]+[ \t]+)?(?:T?\d{1,3}\.[ \t]+)?(?:\[\w{1,12}\][ \t]+)?(?:\*\*|__)?"
# the speech may follow the colon without a space ("(Lab):I beg to move")
_END = r"[ \t]*(?:\*\*|__)?[ \t]*:(?![\d/])(?:\*\*|__)?(?=\s|$|[A-Z\u201c\"'])"
LABEL_AT_RE = re.compile(rf"{_PREFIX}(?P<label>(?:{_PHRASE}){_BRACKETS}*){_END}")
_SPACE = "[ \t\u00a0\u2002-\u2009]"
QA_RE = re.compile(rf"{_SPACE}*(?:\*\*|__)?(?P<label>Q|A)(?:\*\*|__)?"
                   rf"(?:\.?:|\.(?={_SPACE})|{_SPACE}*[\u2014\u2013]|{_SPACE}+-|{_SPACE}{{2,}}|\t){_SPACE}*(?=\S)")
_SENTENCE_END_RE = re.compile(r"(?<=[^\W\d_])(?:[.!?\u2026]+|---?)[\"\u201d\u2019)]?[ \t]+")
# words that open sentences, not names: "Note: ...", "For example: ..."
_NOT_NAMES = {"note", "notes", "example", "for", "in", "on", "at", "and", "but", "so", "then", "here", "there",
              "now", "today", "yes", "no", "well", "okay", "ok", "please", "thanks", "thank", "first", "second",
              "finally", "also", "however", "again", "next", "subject", "re", "date", "time", "place", "title",
              "source", "update", "summary", "background", "key", "this", "that", "these", "those", "what",
              "why", "how", "when", "where", "who", "if", "as", "my", "our", "his", "her", "their", "your",
              "one", "two", "three", "a", "an", "it", "we", "they", "he", "she", "i", "you", "all", "some"}
_HEADING_WORDS = {"report", "reports", "question", "questions", "answers", "notice", "motion", "motions",
                  "bill", "bills", "papers", "statement", "statements", "adjournment", "prayers", "speech",
                  "debate", "reading", "committee", "order", "orders", "business", "petitions", "session",
                  "sitting", "proceedings", "index", "contents", "appendix", "schedule", "agenda"}
MAX_LABEL_CHARS = 200
_ROLE_CAPS = frozenset({w.upper() for role in ROLE_WORDS for w in role.split()}
                       | {"SENIOR", "ADMINISTRATION", "DEPUTY", "VICE", "ASSISTANT"})


def head_of(phrase: str) -> str:
    """The speaker's name for grouping: the phrase without its bracketed parts, in capitals."""
    head = re.sub(r"\((?:[^()]|\([^()]*\))*\)", "", phrase)
    return " ".join(head.split()).strip(" .,:").upper()


def _match_at(text: str, pos: int) -> tuple[int, int, str, str] | None:
    """(start, end, phrase, kind) of a label phrase starting at `pos`, if one does."""
    m = QA_RE.match(text, pos)
    if m:
        end = m.end()
        while text[end - 1] in " \t\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009":
            end -= 1
        return m.start("label"), end, m.group("label").rstrip("."), "qa"
    m = LABEL_AT_RE.match(text, pos)
    if not m or len(m.group("label")) > MAX_LABEL_CHARS:
        return None
    kind = next(k for k, _ in _FORMS if m.group(k))
    return m.start("label"), m.end(), m.group("label"), kind


def _plausible(phrase: str, kind: str, rest: str, labelled_doc: bool, repeated: bool) -> bool:
    """Is a candidate phrase a speaker rather than a heading or the start of a sentence?"""
    words = re.findall(r"[\w'\u2019\-]+", head_of(phrase).lower())
    if not words:
        return False
    if kind in ("caps", "office") and not rest.strip() and not repeated:
        return False  # capitals or a title with nothing after them: a heading
    if kind == "caps":
        if not _names_someone(phrase) and not repeated and set(words) & _HEADING_WORDS:
            return False
        return len(words) <= 6
    if kind == "office":
        return words[0] in ("the", "his", "her") and (len(words) <= 4 or "(" in phrase)
    if kind == "name":
        return (labelled_doc or repeated or "(" in phrase) and words[0] not in _NOT_NAMES
    return True


def find_labels(text: str, starts: Sequence[int], skip: Iterable[tuple[int, int]] = (),
                explicit: Iterable[Label] = ()) -> list[Label]:
    """Labels at paragraph starts (`starts`), then known labels after a sentence ends inside a paragraph.

    `skip` spans (furniture, editorial marks) hold no labels; `explicit` labels come from the
    document's structure (bold runs, speaker attributes) and are kept as they are.
    """
    blocked = _Covered(skip)
    fixed = list(explicit)
    taken = _Taken((lab.start, lab.end) for lab in fixed)

    def free(a: int, b: int) -> bool:  # a label may hold a mark ("(via interpreter)"), not start in one
        return not blocked.covers(a) and taken.free(a, b)

    candidates = []
    for pos in starts:
        found = _match_at(text, pos)
        if found and free(found[0], found[1]):
            candidates.append(found)
    heads = Counter(head_of(c[2]) for c in candidates if _rest(text, c[1]).strip())
    heads.update(lab.speaker for lab in fixed)
    labelled_doc = len(candidates) + len(fixed) >= 3
    labels = list(fixed)
    for start, end, phrase, kind in candidates:
        head = head_of(phrase)
        repeated = heads[head] >= 2
        if kind in ("name", "office") and not repeated and not _opens_paragraph(text, start):
            continue  # a capitalised phrase at the start of a wrapped line: "Inflation Reduction Act: ..."
        if _plausible(phrase, kind, _rest(text, end), labelled_doc, repeated):
            labels.append(Label(start, end, head))
            taken.add(start, end)
    known = {lab.speaker for lab in labels if lab.speaker not in ("Q", "A")}
    labels.extend(_inner_labels(text, starts, known, free, taken.add))
    labels.sort(key=lambda lab: lab.start)
    return labels


class _Covered:
    """Spans (furniture, marks), asked in logarithmic time whether one covers an offset."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [a for a, _ in ordered]
        self.reach = list(itertools.accumulate((b for _, b in ordered), max))

    def covers(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and self.reach[i] > pos


class _Taken:
    """Non-overlapping label spans found so far."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self.spans = sorted(spans)

    def free(self, a: int, b: int) -> bool:
        i = bisect.bisect_left(self.spans, (a, b))
        before = self.spans[i - 1] if i > 0 else None
        after = self.spans[i] if i < len(self.spans) else None
        return (before is None or before[1] <= a) and (after is None or after[0] >= b)

    def add(self, a: int, b: int) -> None:
        bisect.insort(self.spans, (a, b))


def _opens_paragraph(text: str, pos: int) -> bool:
    """Is `pos` on the first line of a paragraph (the line above it blank, or none)?"""
    line = text.rfind("\n", 0, pos)
    if line < 0:
        return True
    above = text.rfind("\n", 0, line)
    return not text[above + 1:line].strip()


def _rest(text: str, end: int) -> str:
    """The text after a label up to the end of its line."""
    stop = text.find("\n", end)
    return text[end: stop if stop >= 0 else len(text)]


def _inner_labels(text: str, starts: Sequence[int], known: set[str], free: Callable[[int, int], bool],
                  claim: Callable[[int, int], None]) -> list[Label]:
    """Labels that start a new turn inside a paragraph, after a sentence ends ("... Nyagah! Mr. J. Nyagah: ...").

    A phrase the document uses as a label elsewhere counts; so does an office-holder's long form
    naming its holder in brackets, which no sentence contains.
    """
    found = []
    bounds = [*starts, len(text)]
    for a, b in zip(bounds, bounds[1:]):
        for m in _SENTENCE_END_RE.finditer(text, a, b):
            hit = _match_at(text, m.end())
            if not hit or hit[1] > b or not free(hit[0], hit[1]):
                continue
            start, end, phrase, kind = hit
            head = head_of(phrase)
            long_form = kind in ("office", "person") and "(" in phrase
            if (head in known or long_form) and _rest(text, end).strip() and free(start, end):
                found.append(Label(start, end, head))
                claim(start, end)
    return found


def starts_with_label(line: str) -> bool:
    """Does this line open with a speaker label (a PDF line that must start a paragraph)?"""
    found = _match_at(line, 0)
    return bool(found) and _plausible(found[2], found[3], _rest(line, found[1]), True, False)


def label_only(text: str, bold: bool = False) -> str:
    """`text` as a speaker label ("NAME:") when the whole of it is one, else "".

    A block holding only a name ends in a colon, or is bold (a name above its turn); capitals
    without a name (a heading) are not one, colon or not.
    """
    text = text.strip()
    if not text or len(text) > MAX_LABEL_CHARS or "\n" in text:
        return ""
    colon = text.endswith(":")
    if not (colon or bold):
        return ""
    phrase = text.rstrip(":").rstrip()
    if line_kind(text, captions=False) not in ("", "heading"):
        return ""  # "BY MS. SMITH:", "EXAMINATION": page furniture, whatever its colon
    m = LABEL_AT_RE.fullmatch(phrase + ":")
    if m is None:
        return phrase + ":" if phrase in ("Q", "A") else ""
    kind = next(k for k, _ in _FORMS if m.group(k))
    if not _plausible(m.group("label"), kind, "speech follows", True, False):
        return ""
    if kind == "caps" and not _names_someone(phrase) and not colon:
        return ""
    return phrase + ":"


def _names_someone(phrase: str) -> bool:
    """A phrase in capitals that names a person or a role ("MR. SMITH", "THE PRESIDENT", "MODERATOR")."""
    words = head_of(phrase).replace(".", " ").split()
    return bool(words) and (words[0].capitalize() in HONORIFICS or words[0] == "THE" and len(words) <= 4
                            or all(w in _ROLE_CAPS for w in words))
