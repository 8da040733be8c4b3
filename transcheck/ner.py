"""An NER-style accuracy score for the official transcript, computed automatically from the discrepancies.

Broadcasting regulators rate caption accuracy with the NER model: accuracy = (N - E - R) / N, where
N is the number of words spoken, E the edition errors and R the recognition errors, each weighted by
how much meaning it loses (minor 0.25, standard 0.5, serious 1; a correct edition 0). Ofcom and the
CRTC take 98% as the threshold. Here the "captions" are the official transcript: E counts what it
left out or reworded of what was said, R what it prints that nobody said. Our own recogniser's
mistakes (verdict recognition-error, or flagged as likely ones when the audio was not asked) are
not the transcript's errors and are not counted. This is NER-style, not a human NER assessment.
"""

from __future__ import annotations

from typing import Any, Sequence

from .models import MARKED_CLEAR, Discrepancy

THRESHOLD = 0.98  # Ofcom and the CRTC
MINOR, STANDARD, SERIOUS = 0.25, 0.5, 1.0
UNIT_WORDS = 10  # words of a passage that count as one idea unit
METHOD = ("NER-style accuracy (N - E - R) / N, computed automatically from the discrepancies; "
          "not a human NER assessment")


def weight(d: Discrepancy) -> float:
    """How much meaning one discrepancy loses, on the NER scale (0 for a correct edition).

    One error per idea unit: a passage counts once for every ten words begun on its longer side.
    """
    if d.severity != "substantive" or not counted(d):
        return 0.0
    longer = max(len(d.rec_text.split()), len(d.off_text.split()), 1)
    units = -(-longer // UNIT_WORDS)
    reason = d.reason
    if "negation" in reason or "number" in reason:
        base = SERIOUS  # a changed fact, number or negation
    elif reason == MARKED_CLEAR:
        base = STANDARD  # clear words hidden behind a mark
    elif d.kind == "rewording" and longer > 3:
        base = SERIOUS  # a statement changed into another
    else:
        base = MINOR if longer <= 3 else STANDARD  # a dropped or added detail; a dropped or added statement
    return base * units


def counted(d: Discrepancy) -> bool:
    """Not our recogniser's mistake: neither judged one by the audio nor (unverified) flagged as one."""
    if d.verdict == "recognition-error":
        return False
    return d.verdict is not None or not d.evidence.get("likely_recognition_error")


NOT_FOLLOWED_REASON = "the recogniser cannot follow this recording"


def ner_score(discrepancies: Sequence[Discrepancy], spoken_words: int, followed: bool = True) -> dict[str, Any]:
    """The `summary.ner` block: the score, its parts and how it was made.

    Not computed where the recogniser cannot follow the recording: every discrepancy there is set
    aside as its mistake, and a score of 100 % would certify a transcript nobody checked."""
    edition = sum(weight(d) for d in discrepancies if d.kind != "insertion")
    recognition = sum(weight(d) for d in discrepancies if d.kind == "insertion")
    n = spoken_words
    score = max(0.0, (n - edition - recognition) / n) if n and followed else None
    return {
        "score": None if score is None else round(score, 4),
        "N": n, "E": round(edition, 2), "R": round(recognition, 2),
        "errors": sum(1 for d in discrepancies if weight(d) > 0),
        "threshold": THRESHOLD,
        "meets_threshold": None if score is None else score >= THRESHOLD,
        "method": METHOD,
        **({} if score is not None else {"not_computed": NOT_FOLLOWED_REASON if n else "no words heard"}),
    }


def ner_line(ner: dict[str, Any]) -> str:
    """One line for the terminal and the report (from the JSON block)."""
    if not ner or ner.get("score") is None:
        return f"NER-style accuracy: not computed ({(ner or {}).get('not_computed', 'no words heard')})"
    verdict = "meets" if ner["meets_threshold"] else "below"
    return (f"NER-style accuracy {ner['score']:.1%} (automatic; N={ner['N']}, E={ner['E']:g}, R={ner['R']:g}; "
            f"{verdict} the {ner['threshold']:.0%} Ofcom/CRTC threshold)")
