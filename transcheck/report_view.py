"""The HTML report's view model, built from the JSON report dict alone (so `render` can redo it).

Everything the templates show is prepared here: the side-by-side rows, the discrepancy list in
order of importance, the timeline strip, the filters with their counts, the provenance lines.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Optional

from .clips import clip_frames
from .models import (CONFIRMED, COSMETIC, INSERTION, KINDS, MOVED, NOT_FOLLOWED, OMISSION, RECOGNITION_ERROR,
                     REPEATED, REWORDING, SUBSTANTIVE, UNCERTAIN, is_alarm)
from .report_rows import HIDDEN_BY_DEFAULT, build_rows, classes, hidden, time_deltas  # noqa: F401 (re-exported)
from .review import MARKS, review_of

# The order the filters and lists show them in: what matters first.
SEVERITIES = (SUBSTANTIVE, COSMETIC)
VERDICTS = (CONFIRMED, UNCERTAIN, RECOGNITION_ERROR)
SYMBOLS = {OMISSION: "\u2212", INSERTION: "+", REWORDING: "\u2260", MOVED: "\u21c4", REPEATED: "\u00d72"}
KIND_TEXT = {OMISSION: "said, not in the official text", INSERTION: "in the official text, not said",
             REWORDING: "said one way, printed another", MOVED: "said in one place, printed in another",
             REPEATED: "printed twice, said once"}
PLURAL = {MOVED: "moved passages", REPEATED: "repeated passages"}  # the filter labels' plurals
VERDICT_SYMBOLS = {CONFIRMED: "\u2714", UNCERTAIN: "?", RECOGNITION_ERROR: "\u2717"}
VERDICT_TEXT = {CONFIRMED: "confirmed by the audio", UNCERTAIN: "audio check uncertain",
                RECOGNITION_ERROR: "recognition error"}
GENERIC_STEMS = {"briefing", "recording", "audio", "video", "press-conference", "official", "transcript"}


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
    if check.get("parts"):
        parts.append(f"checked part by part: {_differences(check['parts'])}")
    if check.get("figures"):
        parts.append(f"each figure checked among the printed words: {_differences(check['figures'])}")
    again = check.get("second_hearing")
    if again:
        found = _differences(again.get("differences", []))
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


def _differences(rows: list[dict[str, Any]]) -> str:
    """Differences found inside a passage, each with what the audio check made of it."""
    return "; ".join(f"\u201c{row['heard'] or '(nothing)'}\u201d where the text prints "
                     f"\u201c{row['printed'] or '(nothing)'}\u201d: "
                     f"{row['verdict'].replace('-', ' ') if 'verdict' in row else 'still differs'}"
                     + (f" (opened as {row['opened']})" if row.get("opened") else "")
                     for row in rows)


def importance_key(d: dict[str, Any]) -> tuple:
    """Substantive before cosmetic, alarms before recognition errors, then weight, then time."""
    return (d["severity"] != SUBSTANTIVE, not is_alarm(d["severity"], d.get("verdict")),
            -float(d.get("importance") or 0.0), d["recording"]["start"])


def build_discrepancies(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The discrepancies in order of importance, each with what the list item needs."""
    ordered = sorted(report["discrepancies"], key=importance_key)
    return [{**d, "rank": rank, "cls": classes(d), "hidden": hidden(d), "evidence_text": evidence_text(d),
             "advice": advice(d), "why": why(d), "review": review_view(d)} for rank, d in enumerate(ordered)]


def review_view(d: dict[str, Any]) -> Optional[dict[str, Any]]:
    """A reviewer's mark and note as the card shows them (from `review` in the JSON), or None."""
    review = review_of(d)
    if review is None:
        return None
    return {"mark": review.mark, "label": review.label, "note": review.note.strip(),
            "cls": f"r-{review.mark}" if review.mark in MARKS else ""}


def review_lines(discrepancies: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """(label, how many) for each mark the reviewers gave, in the order of MARKS, then any other."""
    counts: dict[str, int] = {}
    for d in discrepancies:
        if d["review"]:
            label = d["review"]["label"] or "note only"
            counts[label] = counts.get(label, 0) + 1
    order = list(MARKS.values())
    return sorted(counts.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))


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
        {"name": "Kind", "options": [option(f"k-{k}", f"{SYMBOLS[k]} {PLURAL.get(k, k + 's')}", sum(d["kind"] == k for d in ds))
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
        "reviewed": review_lines(discrepancies),
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
