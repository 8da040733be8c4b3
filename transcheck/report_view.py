"""The HTML report's view model, built from the JSON report dict alone (so `render` can redo it).

Everything the templates show is prepared here: the side-by-side rows, the discrepancy list in
order of importance, the timeline strip, the filters with their counts, the provenance lines.
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path
from typing import Any, Optional

from .clips import clip_frames
from .models import (CONFIRMED, COSMETIC, INSERTION, KINDS, MOVED, NOT_FOLLOWED, OMISSION, RECOGNITION_ERROR,
                     REPEATED, REWORDING, SUBSTANTIVE, UNCERTAIN, is_alarm)

# The order the filters and lists show them in: what matters first.
SEVERITIES = (SUBSTANTIVE, COSMETIC)
VERDICTS = (CONFIRMED, UNCERTAIN, RECOGNITION_ERROR)
SYMBOLS = {OMISSION: "\u2212", INSERTION: "+", REWORDING: "\u2260", MOVED: "\u21c4", REPEATED: "\u00d72"}
KIND_TEXT = {OMISSION: "said, not in the official text", INSERTION: "in the official text, not said",
             REWORDING: "said one way, printed another", MOVED: "said in one place, printed in another",
             REPEATED: "printed twice, said once"}
VERDICT_SYMBOLS = {CONFIRMED: "\u2714", UNCERTAIN: "?", RECOGNITION_ERROR: "\u2717"}
VERDICT_TEXT = {CONFIRMED: "confirmed by the audio", UNCERTAIN: "audio check uncertain",
                RECOGNITION_ERROR: "recognition error"}
# Hidden until the reader asks: cosmetic clean-up and what the audio check calls a mishearing.
HIDDEN_BY_DEFAULT = (f"s-{COSMETIC}", f"v-{RECOGNITION_ERROR}")
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


def title_of(report: dict[str, Any]) -> str:
    """The title given at check time, else one made from the recording's file name."""
    if report.get("title"):
        return report["title"]
    path = Path(report["recording"]["path"])
    stem = path.stem
    if stem.lower() in GENERIC_STEMS and path.parent.name:
        stem = path.parent.name
    return re.sub(r"[_]+", " ", stem)


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
                          f"{row['verdict'].replace('-', ' ') if 'verdict' in row else 'still differs'}"
                          for row in again.get("differences", []))
        parts.append(f"heard again on its own: \u201c{again['heard']}\u201d"
                     + (f"; {found}" if found else "; no substantive difference from the printed words"))
    if ev.get("mean_probability") is not None:
        parts.append(f"recogniser confidence {ev['mean_probability']:.2f} mean, "
                     f"{ev.get('min_probability', ev['mean_probability']):.2f} lowest")
    if ev.get("likely_recognition_error") and not d.get("verdict"):
        parts.append("looks like a recognition error (similar sound or low confidence)")
    if ev.get("official_gap"):
        test = ev.get("mark_test") or {}
        if test.get("clear"):
            parts.append(f"the official text marks {ev['official_gap']} here, but the audio lifts the heard words "
                         f"{test['lift']:.1f} nats a token above silence: clear speech")
        else:
            parts.append(f"the official text marks {ev['official_gap']} here")
    return "; ".join(parts)


def importance_key(d: dict[str, Any]) -> tuple:
    """Substantive before cosmetic, alarms before recognition errors, then weight, then time."""
    return (d["severity"] != SUBSTANTIVE, not is_alarm(d["severity"], d.get("verdict")),
            -float(d.get("importance") or 0.0), d["recording"]["start"])


def build_discrepancies(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The discrepancies in order of importance, each with what the list item needs."""
    ordered = sorted(report["discrepancies"], key=importance_key)
    return [{**d, "rank": rank, "cls": classes(d), "hidden": hidden(d), "evidence_text": evidence_text(d),
             "advice": advice(d), "why": why(d)} for rank, d in enumerate(ordered)]


def advice(d: dict[str, Any]) -> str:
    """The verdict's plain sentence: what a journalist can do with this discrepancy."""
    return str(((d.get("evidence") or {}).get("verification") or {}).get("sentence") or "")


def why(d: dict[str, Any]) -> str:
    """The reason shown; once the audio has given a verdict, the text-only guess gives way to it."""
    reason = d.get("reason") or ""
    return reason.replace(" (looks like a recognition error)", "") if d.get("verdict") else reason


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
    shaded = [{"x": round(min(100.0, 100.0 * s["start"] / duration), 3),
               "w": round(max(0.25, 100.0 * (s["end"] - s["start"]) / duration), 3),
               "label": f"{clock(s['start'])}\u2013{clock(s['end'])}: {s['reason']}, not checked"}
              for s in (report.get("coverage") or {}).get("recording", [])]
    step = _tick_step(duration)
    ticks = [{"x": round(100.0 * k * step / duration, 3), "label": clock(k * step)}
             for k in range(1, int(duration // step) + 1) if k * step < duration]
    return {"duration": duration, "marks": marks, "ticks": ticks, "coverage": shaded, "lanes": len(KINDS)}


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
            option(f"v-{v}", f"{VERDICT_SYMBOLS[v]} {v.replace('-', ' ')}s" if v == RECOGNITION_ERROR
                   else f"{VERDICT_SYMBOLS[v]} {v}", sum(d.get("verdict") == v for d in ds))
            for v in VERDICTS]})
    return groups


def coverage_lines(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One plain line per stretch that one side has and the other does not cover (never an alarm)."""
    cov = report.get("coverage") or {}
    lines = []
    for s in cov.get("recording", []):
        lines.append({"text": f"The recording runs {clock(s['start'])}\u2013{clock(s['end'])} {s['reason']}: "
                              f"{s['words']} words, not checked.", "words": s.get("text", "")})
    for s in cov.get("official", []):
        lines.append({"text": f"The official text prints {s['words']} words {s['reason']} "
                              f"(characters {s['start']}\u2013{s['end']}): not checked.", "words": s.get("text", "")})
    return lines


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
        if w["official"] is not None:
            current = par_of(w["official"]["start"])
        r, o = w["recording"], w["official"]
        if r is not None:
            last_t = r["start"]
            rec_items[current].append({"text": r["text"], "t": r["start"], "cls": cls, "mark": mark})
            mark = None
        elif d is not None:
            last_t = d["recording"]["start"]
        if o is not None:
            off_spans[current].append({"kind": "word", "start": o["start"], "end": o["end"], "cls": cls,
                                       "t": last_t, "mark": mark})
            mark = None
        if d:
            marked.add(d["id"])
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
        ("Runtime", _compact_json(eng.get("runtime", {})), True),
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
        # "Save clip": the recording's hash and own rate, and each passage's frames (as `transcheck evidence`)
        "recording": {"sha256": report["recording"].get("sha256"), "name": Path(report["recording"]["path"]).name,
                      "sample_rate": report["recording"].get("sample_rate"),
                      "channels": report["recording"].get("channels")},
        "clips": clip_frames(report),
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
        "coverage": coverage_lines(report),
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
