"""The HTML report's view model, built from the JSON report dict alone (so `render` can redo it).

Everything the templates show is prepared here: the side-by-side rows, the discrepancy list in
order of importance, the timeline strip, the filters with their counts, the provenance lines.
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path
from typing import Any, Optional

from .models import NOT_FOLLOWED

KINDS = ("omission", "insertion", "rewording")
SEVERITIES = ("substantive", "cosmetic")
VERDICTS = ("confirmed", "uncertain", "recognition-error")
SYMBOLS = {"omission": "\u2212", "insertion": "+", "rewording": "\u2260"}
KIND_TEXT = {"omission": "said, not in the official text", "insertion": "in the official text, not said",
             "rewording": "said one way, printed another"}
VERDICT_SYMBOLS = {"confirmed": "\u2714", "uncertain": "?", "recognition-error": "\u2717"}
VERDICT_TEXT = {"confirmed": "confirmed by the audio", "uncertain": "audio check uncertain",
                "recognition-error": "recognition error"}
# Hidden until the reader asks: cosmetic clean-up and what the audio check calls a mishearing.
HIDDEN_BY_DEFAULT = ("s-cosmetic", "v-recognition-error")
GENERIC_STEMS = {"briefing", "recording", "audio", "video", "press-conference", "official", "transcript"}


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


# ---------------------------------------------------------------------------------------------
# Title and date


_DATE_IN_NAME = re.compile(r"(?<!\d)(?:19|20)\d\d[-_.]?(?:0[1-9]|1[0-2])[-_.]?(?:0[1-9]|[12]\d|3[01])(?!\d)")
_OCCASION = re.compile(r"briefing|conference|press|statement|interview|hearing|session|meeting|speech|remarks",
                       re.I)


def title_of(report: dict[str, Any]) -> str:
    """The title given at check time, else the official transcript's heading, else one made from the
    recording's name ("2017-12-07-unmiss.m4a" -> "Unmiss briefing"; the date is shown on its own)."""
    if report.get("title"):
        return report["title"]
    heading = official_heading(report["official"])
    if heading:
        return heading
    path = Path(report["recording"]["path"])
    stem = path.stem
    if stem.lower() in GENERIC_STEMS and path.parent.name not in ("", "."):
        stem = path.parent.name
    elif stem.lower() in GENERIC_STEMS and report["official"].get("path"):
        other = Path(report["official"]["path"]).stem
        stem = stem if other.lower() in GENERIC_STEMS else other
    words = " ".join(re.sub(r"[_\-.\s]+", " ", _DATE_IN_NAME.sub(" ", stem)).split()) or stem
    words = words[:1].upper() + words[1:]
    return words if _OCCASION.search(words) else f"{words} briefing"


def official_heading(official: dict[str, Any]) -> Optional[str]:
    """The transcript's first paragraph when it reads as a heading: short, before any speaker, no full stop."""
    text, paragraphs = official.get("text", ""), official.get("paragraphs") or []
    if not paragraphs:
        return None
    a, b = paragraphs[0]
    first = " ".join(text[a:b].split())
    labels = official.get("labels") or []
    if labels and labels[0]["start"] < b:
        return None
    if not first or len(first) > 120 or len(first.split()) > 15 or first[-1] in ".,;:?!":
        return None
    return first


def date_of(report: dict[str, Any]) -> Optional[str]:
    """The date given at check time, else a YYYY-MM-DD date found in the file names."""
    if report.get("date"):
        return report["date"]
    for path in (report["recording"]["path"], report["official"].get("path", "")):
        for y, m, d in re.findall(r"(?<!\d)((?:19|20)\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)",
                                  str(path)):
            return f"{y}-{m}-{d}"
    return None


# ---------------------------------------------------------------------------------------------
# Discrepancies: the list, the evidence line, the timeline


def evidence_text(d: dict[str, Any]) -> str:
    """One line on why the reader may trust (or doubt) this discrepancy."""
    ev = d.get("evidence") or {}
    parts = []
    check = ev.get("verification") or {}
    if check.get("basis") == NOT_FOLLOWED:
        parts.append(f"audio check: {NOT_FOLLOWED} (noise, radio or crosstalk), so what it heard is no "
                     "evidence against the printed words; listen, or check again with a larger model")
    elif "margin" in check:
        parts.append(f"audio check: official wording scores {check['margin']:+.1f} against the heard "
                     f"({check.get('margin_per_word', 0):+.2f} a word)"
                     + (f"; {check['basis']}" if check.get("basis", "score margin") != "score margin" else ""))
    elif check.get("note"):
        parts.append(f"audio check: {check['note']}")
    again = check.get("second_hearing")
    if again:
        found = "; ".join(f"\u201c{row['heard'] or '(nothing)'}\u201d where the text prints \u201c{row['printed'] or '(nothing)'}\u201d: "
                          f"{row['verdict'].replace('-', ' ')}" for row in again.get("differences", []))
        parts.append(f"heard again on its own: \u201c{again['heard']}\u201d"
                     + (f"; {found}" if found else "; no substantive difference from the printed words"))
    if ev.get("mean_probability") is not None:
        parts.append(f"recogniser confidence {ev['mean_probability']:.2f} mean, "
                     f"{ev.get('min_probability', ev['mean_probability']):.2f} lowest")
    if ev.get("likely_recognition_error") and not d.get("verdict"):
        parts.append("looks like a recognition error (similar sound or low confidence)")
    if ev.get("official_gap"):
        parts.append(f"the official text marks {ev['official_gap']} here")
    return "; ".join(parts)


def importance_key(d: dict[str, Any]) -> tuple:
    """Substantive before cosmetic, recognition errors after real differences, then weight, then time."""
    return (d["severity"] != "substantive", d.get("verdict") == "recognition-error",
            -float(d.get("importance") or 0.0), d["recording"]["start"])


def build_discrepancies(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The discrepancies in order of importance, each with what the list item needs."""
    ordered = sorted(report["discrepancies"], key=importance_key)
    return [{**d, "rank": rank, "cls": classes(d), "hidden": hidden(d), "evidence_text": evidence_text(d)}
            for rank, d in enumerate(ordered)]


def _tick_step(duration: float) -> float:
    for step in (10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600):
        if duration / step <= 12:
            return float(step)
    return 7200.0


def build_timeline(report: dict[str, Any]) -> dict[str, Any]:
    """Marks for the strip: x and width in percent of the recording, one lane per kind."""
    duration = float(report["recording"].get("duration") or 0.0)
    if duration <= 0:
        duration = max([d["recording"]["end"] for d in report["discrepancies"]] + [1.0])
    marks = []
    for d in report["discrepancies"]:
        a, b = d["recording"]["start"], d["recording"]["end"]
        x = min(100.0, 100.0 * a / duration)
        w = max(0.25, 100.0 * (b - a) / duration)
        marks.append({"id": d["id"], "cls": classes(d), "hidden": hidden(d), "lane": KINDS.index(d["kind"]),
                      "x": round(min(x, 100.0 - 0.25), 3), "w": round(min(w, 100.0 - x), 3),
                      "label": f"{d['id']} at {clock(a)}: {d['kind']}, {d['severity']}"})
    step = _tick_step(duration)
    ticks = [{"x": round(100.0 * k * step / duration, 3), "label": clock(k * step)}
             for k in range(1, int(duration // step) + 1) if k * step < duration]
    return {"duration": duration, "marks": marks, "ticks": ticks}


def shown_counts(report: dict[str, Any]) -> dict[str, dict[str, dict[str, int]]]:
    """{kind or "": {severity: {"shown", "total"}}} under the default filters ("" is all kinds)."""
    counts = {k: {s: {"shown": 0, "total": 0} for s in SEVERITIES} for k in ("",) + KINDS}
    for d in report["discrepancies"]:
        shown = not hidden(d)
        for k in ("", d["kind"]):
            counts[k][d["severity"]]["total"] += 1
            counts[k][d["severity"]]["shown"] += shown
    return counts


def build_filters(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Filter groups (kind, severity, audio verdict) with how many discrepancies each option covers."""
    ds = report["discrepancies"]

    def option(value: str, label: str, n: int) -> dict[str, Any]:
        return {"value": value, "label": label, "count": n, "checked": value not in HIDDEN_BY_DEFAULT}

    groups = [
        {"name": "Kind", "options": [option(f"k-{k}", f"{SYMBOLS[k]} {k}s", sum(d["kind"] == k for d in ds))
                                     for k in KINDS]},
        {"name": "Severity", "options": [option(f"s-{s}", s, sum(d["severity"] == s for d in ds))
                                         for s in SEVERITIES]},
    ]
    if any(d.get("verdict") for d in ds):
        groups.append({"name": "Audio check", "options": [
            option(f"v-{v}", f"{VERDICT_SYMBOLS[v]} {v.replace('-', ' ')}s" if v == "recognition-error"
                   else f"{VERDICT_SYMBOLS[v]} {v}", sum(d.get("verdict") == v for d in ds))
            for v in VERDICTS]})
    return groups


# ---------------------------------------------------------------------------------------------
# Side-by-side rows, one per official paragraph


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


# ---------------------------------------------------------------------------------------------
# Provenance and the data handed to the script


def provenance(report: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(label, value, is_code) lines that let a reader check the report later."""
    rec, off, eng = report["recording"], report["official"], report.get("engine", {})
    source = off.get("url") or off.get("source") or off.get("path", "")
    lines = [
        ("Official transcript", f"{source} ({off.get('format', '?')}), sha256 {off.get('sha256', '?')}", True),
        ("Recording", f"{rec['path']}, sha256 {rec.get('sha256', '?')}, {clock(rec.get('duration'))}, "
                      f"{rec.get('channels', '?')} channel(s)", True),
        ("Recogniser", f"{eng.get('name', '?')}, model {eng.get('model', '?')}, language {eng.get('language', '?')}",
         False),
        ("Decoding options", _compact_json(eng.get("options", {})), True),
        ("Settings", _compact_json(report.get("settings", {})), True),
        ("transcheck", f"version {report.get('transcheck_version', '?')}, report schema {report.get('schema', '?')}",
         False),
    ]
    return lines


def _compact_json(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def script_config(report: dict[str, Any], title: str, date: Optional[str]) -> dict[str, Any]:
    """What report.js needs beyond the page itself: citation context and playback settings."""
    off = report["official"]
    return {
        "title": title,
        "date": date,
        "source": off.get("url") or off.get("source") or off.get("path", ""),
        "duration": report["recording"].get("duration"),
        "lead": 0.5,  # seconds of audio played before a clicked word
        "context": 1.0,  # seconds played either side of a discrepancy's passage
    }


def build_view(report: dict[str, Any]) -> dict[str, Any]:
    """Everything the templates need, from the JSON report alone."""
    title, date = title_of(report), date_of(report)
    rows, anchored = build_rows(report)
    discrepancies = build_discrepancies(report)
    filters = build_filters(report)
    summary = report["summary"]
    verdicts = summary.get("verdicts") or {}
    return {
        "title": title,
        "date": date,
        "rows": rows,
        "anchored": anchored,
        "discrepancies": discrepancies,
        "timeline": build_timeline(report),
        "filters": filters,
        "counts": shown_counts(report),
        "has_verdicts": any(verdicts.values()) or any(d.get("verdict") for d in discrepancies),
        "verdicts": {v: verdicts.get(v, 0) for v in VERDICTS},
        "provenance": provenance(report),
        "config": script_config(report, title, date),
        "kinds": KINDS,
        "severities": SEVERITIES,
        "symbols": SYMBOLS,
        "kind_text": KIND_TEXT,
        "verdict_symbols": VERDICT_SYMBOLS,
        "verdict_text": VERDICT_TEXT,
    }


def clock(seconds: Optional[float]) -> str:
    """12.5 -> '0:12', 3725 -> '1:02:05'."""
    if seconds is None:
        return ""
    total = int(seconds)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"
