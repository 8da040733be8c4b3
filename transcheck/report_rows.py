"""The report's side-by-side rows: one per official paragraph, the words heard beside the words printed.

Also the small helpers every element of a discrepancy uses (its classes, whether it starts hidden).
"""

from __future__ import annotations

import bisect
import re
from typing import Any, Optional

from .models import COSMETIC, RECOGNITION_ERROR

# Hidden until the reader asks: cosmetic clean-up and what the audio check calls a mishearing.
HIDDEN_BY_DEFAULT = (f"s-{COSMETIC}", f"v-{RECOGNITION_ERROR}")


def classes(d: Optional[dict[str, Any]]) -> str:
    """The classes every element belonging to a discrepancy carries, for styling and filtering."""
    if not d:
        return ""
    cls = f"k-{d['kind']} s-{d['severity']}"
    return cls + (f" v-{d['verdict']}" if d.get("verdict") else "")


def hidden(d: Optional[dict[str, Any]]) -> bool:
    """Hidden until the reader asks (the filters' starting state; the page shows it without a script)."""
    return bool(d) and any(c in HIDDEN_BY_DEFAULT for c in classes(d).split())


def time_deltas(times: list[float]) -> str:
    """Word times for a `data-times` attribute: centiseconds, each after the first relative to the last."""
    out, last = [], 0
    for t in times:
        cs = round(t * 100)
        out.append(str(cs - last))
        last = cs
    return " ".join(out)



def _official_pieces(text: str, a: int, b: int, spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cut official text [a, b) into plain text and the spans (words, gaps, labels, marks) inside it."""
    pieces: list[dict[str, Any]] = []
    pos = a
    for span in sorted(spans, key=lambda s: (s["start"], s["end"])):
        start, end = span["start"], min(span["end"], b)
        if start < pos:
            continue
        if start > pos:
            pieces.append({"kind": "text", "text": text[pos:start]})
        pieces.append({**span, "text": text[start:end]})
        pos = max(pos, end)
    if pos < b:
        pieces.append({"kind": "text", "text": text[pos:b]})
    return pieces


_SENTENCE_END = re.compile(r"[.?!\u2026][\"'\u201d\u2019)\]]*$")


def turn_cut(before: list[dict[str, Any]], pending: list[dict[str, Any]], next_start: Optional[float]) -> int:
    """Where words heard between two paragraphs split: at the longest pause, a sentence end counting extra.

    `before` holds the last word placed in the earlier paragraph (if any); the first `cut` pending
    words stay with it, the rest open the next paragraph, so a turn starts where the speaker did.
    """
    if not pending:
        return 0
    words = before + pending
    best, best_score = len(pending), -1.0
    for cut in range(len(pending) + 1):
        k = len(before) + cut  # the first word of the next paragraph, in `words`
        prev = words[k - 1] if k > 0 else None
        start = words[k]["t"] if k < len(words) else next_start
        if prev is None or start is None:
            continue
        score = max(0.0, start - prev["end"]) + (0.3 if _SENTENCE_END.search(prev["text"]) else 0.0)
        if score > best_score:
            best, best_score = cut, score
    return best


def build_rows(report: dict[str, Any]) -> tuple[list[dict[str, Any]], set[str]]:
    """One row per official paragraph: what was heard there, and the paragraph as printed.

    Every word on either side carries the time it was (or would have been) said, so a click on
    it can play the recording from there; the first element of each discrepancy carries its marker.
    Returns the rows and the ids of the discrepancies that got a marker (an anchor `w-<id>`).
    """
    official = report["official"]
    text = official["text"]
    paragraphs = [tuple(p) for p in official.get("paragraphs") or []] or [(0, len(text))]
    starts = [p[0] for p in paragraphs]
    by_id = {d["id"]: d for d in report["discrepancies"]}

    def par_of(offset: int) -> int:
        return max(0, bisect.bisect_right(starts, offset) - 1)

    rec_items: list[list[dict[str, Any]]] = [[] for _ in paragraphs]
    off_spans: list[list[dict[str, Any]]] = [[] for _ in paragraphs]
    marked: set[str] = set()
    for d in report["discrepancies"]:  # places where the official text lacks what was said
        if d["official"]["start"] == d["official"]["end"]:
            off_spans[par_of(d["official"]["start"])].append(
                {"kind": "gap", "start": d["official"]["start"], "end": d["official"]["start"], "d": d,
                 "cls": classes(d), "hidden": hidden(d), "anchor": False})
    current, last_t = 0, 0.0
    pending: list[dict[str, Any]] = []  # words heard since the last one the official text placed
    for w in report["words"]:
        d = by_id.get(w["discrepancy"]) if w["discrepancy"] else None
        cls = classes(d) + (" h" if hidden(d) else "")  # h: the filters hide its discrepancy
        if w["status"] == "filler":
            cls = (cls + " filler").strip()
        elif w["status"] == "coverage":
            cls = "coverage"
        elif w["status"] == "match" and d:
            cls += " in"
        mark = {"id": d["id"], "kind": d["kind"], "cls": classes(d), "hidden": hidden(d)} \
            if d and d["id"] not in marked else None
        r, o = w["recording"], w["official"]
        if o is not None:
            par = par_of(o["start"])
            if par != current:
                cut = turn_cut(rec_items[current][-1:], pending, r["start"] if r else None)
                rec_items[current] += pending[:cut]
                pending = pending[cut:]
            rec_items[par] += pending
            pending, current = [], par
        if r is not None:
            last_t = r["start"]
            item = {"text": r.get("heard") or r["text"], "t": r["start"], "end": r.get("end", r["start"]),
                    "cls": cls, "mark": mark}
            (rec_items[current] if o is not None else pending).append(item)
            mark = None
        elif d is not None:
            last_t = d["recording"]["start"]
        if o is not None:
            off_spans[current].append({"kind": "word", "start": o["start"], "end": o["end"], "cls": cls,
                                       "t": last_t, "mark": mark})
            mark = None
        if d:
            marked.add(d["id"])
    rec_items[current] += pending
    for gap_spans in off_spans:  # a discrepancy with no words of its own is found by its gap
        for span in gap_spans:
            if span["kind"] == "gap" and span["d"]["id"] not in marked:
                span["anchor"] = True
                marked.add(span["d"]["id"])
    for label in official.get("labels", []):
        off_spans[par_of(label["start"])].append({"kind": "speaker", "start": label["start"], "end": label["end"]})
    for m in official.get("marks", []):
        off_spans[par_of(m["start"])].append({"kind": "editorial", "start": m["start"], "end": m["end"]})
    for f in official.get("furniture", []):  # page furniture, shown as not spoken in every paragraph it spans
        for k in range(par_of(f["start"]), par_of(max(f["start"], f["end"] - 1)) + 1):
            start = max(paragraphs[k][0], f["start"])
            end = start + len(text[start:min(paragraphs[k][1], f["end"])].rstrip())
            off_spans[k].append({"kind": "editorial", "start": start, "end": end})
    label_starts = [lab["start"] for lab in official.get("labels", [])]
    rows = []
    for k, (a, b) in enumerate(paragraphs):
        items = rec_items[k]
        pieces = _official_pieces(text, a, b, off_spans[k])
        i = bisect.bisect_left(label_starts, a)
        speaker = official["labels"][i]["speaker"] if i < len(label_starts) and label_starts[i] < b else None
        rows.append({
            "index": k,
            "speaker": speaker,
            "t": items[0]["t"] if items else None,
            "recording": items,
            "rec_times": time_deltas([w["t"] for w in items]),
            "official": pieces,
            "off_times": time_deltas([p["t"] for p in pieces if p["kind"] == "word"]),
        })
    return rows, marked
