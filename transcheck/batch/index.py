"""The batch's overview outputs: index.html (sortable, ranked), summary.csv / summary.jsonl,
failures.jsonl and unpaired.jsonl, all built from the per-briefing JSON reports on disk."""

from __future__ import annotations

import csv
import io
import json
import logging
from collections import Counter
from pathlib import Path
from typing import Any, Optional

from .. import __version__
from ..fsutil import atomic_write
from ..models import CONFIRMED, INSERTION, MOVED, OMISSION, RECOGNITION_ERROR, REPEATED, REWORDING, UNCERTAIN, Discrepancy
from ..schema import Report
from ..report_view import title_of
from .inputs import BatchInputs, Job
from .outputs import report_paths
from .types import BatchResult, Failure

log = logging.getLogger("transcheck")

SUMMARY_FIELDS = (
    "id", "status", "date", "title", "speaker", "duration_s", "recorded_words", "official_words",
    "recording_followed", "faithful_share", "ner_score", "departure_share", "alarms", "confirmed", "uncertain", "omissions", "insertions", "rewordings", "moved", "repeated", "speaker_alarms", "substantive",
    "recognition_errors", "cosmetic", "uncovered_recording_s", "uncovered_official_words", "report_html",
    "report_json", "recording", "official", "error",
)
TIMELINE_WIDTH = 160


def briefing_row(job: Job, report: dict[str, Any]) -> dict[str, Any]:
    """One line of the summary for a checked briefing, from its JSON report."""
    read = Report.from_dict(report)
    s = report["summary"]
    alarms = read.alarms
    kinds = Counter(d.kind for d in alarms)
    html, js = report_paths(".", job.id)
    duration = report["recording"]["duration"]
    words = s["recorded_words"] + s["official_words"]
    return {
        "id": job.id, "status": "ok", "date": report.get("date") or job.date,
        "title": job.title or title_of(report), "speaker": job.speaker,
        "duration_s": duration, "recorded_words": s["recorded_words"], "official_words": s["official_words"],
        "recording_followed": s.get("recording_followed", True) is not False,
        "faithful_share": s["faithful_share"], "ner_score": (s.get("ner") or {}).get("score"),
        "departure_share": round(sum(_span(d.rec_tokens) + _span(d.off_tokens) for d in alarms) / words, 4)
        if words else 0.0,
        "alarms": len(alarms), "omissions": kinds[OMISSION],
        "confirmed": sum(1 for d in alarms if d.verdict == CONFIRMED),
        "uncertain": sum(1 for d in alarms if d.verdict == UNCERTAIN),
        "insertions": kinds[INSERTION], "rewordings": kinds[REWORDING],
        # moved and repeated passages, alarms or not (a repeated one is always cosmetic)
        "moved": sum(1 for d in read.discrepancies if d.kind == MOVED),
        "repeated": sum(1 for d in read.discrepancies if d.kind == REPEATED),
        "uncovered_recording_s": s.get("coverage", {}).get("recording_seconds", 0.0),
        "uncovered_official_words": s.get("coverage", {}).get("official_words", 0),
        "speaker_alarms": speaker_alarms(alarms, job.speaker), "substantive": s["substantive"],
        "recognition_errors": sum(1 for d in read.discrepancies if d.verdict == RECOGNITION_ERROR),
        "cosmetic": s["cosmetic"], "report_html": html.name, "report_json": js.name,
        "recording": job.recording, "official": job.official, "error": None,
        "alarm_times": [round(d.rec_start, 3) for d in alarms],
        "marks": [{"id": d.id, "kind": d.kind, "verdict": d.verdict, "t": d.rec_start,
                   "x": round(TIMELINE_WIDTH * min(1.0, d.rec_start / duration), 1) if duration else 0,
                   "said": d.rec_text, "printed": d.off_text} for d in alarms],
    }


def _span(tokens: tuple[int, int]) -> int:
    return tokens[1] - tokens[0]


def speaker_alarms(alarms: list[Discrepancy], speaker: Optional[str]) -> Optional[int]:
    """Alarms in turns labelled with the speaker of interest (case-insensitive part of the label)."""
    if not speaker:
        return None
    wanted = speaker.casefold()
    return sum(1 for d in alarms if d.speaker and wanted in d.speaker.casefold())


def failure_row(failure: Failure, job: Optional[Job]) -> dict[str, Any]:
    row = {name: None for name in SUMMARY_FIELDS}
    row.update(id=failure.id, status="failed", recording=failure.recording, official=failure.official,
               error=failure.error)
    if job:
        row.update(date=job.date, speaker=job.speaker, title=job.title or title_of(
            {"title": None, "recording": {"path": job.recording}, "official": {"path": job.official}}))
    return row


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%d %b. %Y",
                 "%d.%m.%Y", "%A %d %B %Y", "%A, %d %B %Y", "%A, %B %d, %Y")


def sortable_date(text: Optional[str]) -> str:
    """A date as written in a manifest ("4 Dec 2025", "December 4, 2025") as YYYY-MM-DD, so dates sort
    as dates; text that is no date this knows is kept as it is (and sorts after the dates)."""
    from datetime import datetime

    if not text:
        return ""
    cleaned = " ".join(text.replace("Sept ", "Sep ").split())
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date().isoformat()
        except ValueError:
            continue
    return "~" + cleaned


def collect_rows(inputs: BatchInputs, result: BatchResult) -> list[dict[str, Any]]:
    """Every briefing in input order: checked ones from their reports, then what failed."""
    done = set(result.done_before) | set(result.done_now)
    failed = {f.id: f for f in result.failures if f.id}
    rows = []
    for job in inputs.jobs:
        if job.id in done:
            report = json.loads(report_paths(result.out_dir, job.id)[1].read_text(encoding="utf-8"))
            rows.append(briefing_row(job, report))
        elif job.id in failed:
            rows.append(failure_row(failed[job.id], job))
    job_ids = {job.id for job in inputs.jobs}
    rows.extend(failure_row(f, None) for f in result.failures if f.id not in job_ids)
    return rows


def departure_order(row: dict[str, Any]) -> tuple:
    """Most departing first: the largest share of words, said or printed, in substantive discrepancies.
    Briefings the recogniser cannot follow come last: nothing was checked there, so they depart by
    nothing known and must not rank as the most faithful."""
    return (not row.get("recording_followed", True), -row["departure_share"], -row["alarms"],
            row["faithful_share"], row["id"] or "")


def summary_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=SUMMARY_FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else row[k] for k in SUMMARY_FIELDS})
    return buffer.getvalue()


def jsonl(items: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items)


DEFAULT_TITLE = "Briefings checked"


def render_index(rows: list[dict[str, Any]], result: BatchResult, title: str = DEFAULT_TITLE) -> str:
    from markupsafe import Markup

    from ..report import content_security_policy, environment

    env = environment()
    checked = sorted((r for r in rows if r["status"] == "ok"), key=departure_order)
    script = env.get_template("index.js").render()
    style = env.get_template("report.css").render() + env.get_template("index.css").render()
    return env.get_template("index.html").render(
        title=title, rows=checked, failures=[r for r in rows if r["status"] != "ok"],
        unpaired=[s.to_dict() for s in result.unpaired], width=TIMELINE_WIDTH,
        audio_seconds=sum(r["duration_s"] for r in checked), has_speaker=any(r["speaker"] for r in checked),
        uncertain=sum(1 for r in checked if r["uncertain"]), sortable_date=sortable_date,
        not_followed=sum(1 for r in checked if not r.get("recording_followed", True)),
        report={"transcheck_version": __version__}, script=Markup(script), style=Markup(style),
        noscript_style="", csp=content_security_policy(script, (style, "")),
    )


def write_index(inputs: BatchInputs, result: BatchResult, title: Optional[str] = None) -> list[dict[str, Any]]:
    """Write index.html, summary.csv, summary.jsonl, failures.jsonl and unpaired.jsonl into the output folder;
    returns the rows (one per briefing)."""
    out = Path(result.out_dir)
    rows = collect_rows(inputs, result)
    summary = [{k: v for k, v in row.items() if k != "marks"} for row in rows]
    atomic_write(out / "summary.csv", summary_csv(summary))
    atomic_write(out / "summary.jsonl", jsonl(summary))
    atomic_write(out / "failures.jsonl", jsonl([f.to_dict() for f in result.failures]))
    atomic_write(out / "unpaired.jsonl", jsonl([s.to_dict() for s in result.unpaired]))
    atomic_write(out / "index.html", render_index(rows, result, title or DEFAULT_TITLE))
    return rows


def fail_on_counts(rows: list[dict[str, Any]]) -> tuple[tuple[str, int, int], ...]:
    """(id, substantive alarms, discrepancies not judged recognition errors) per checked briefing."""
    return tuple((r["id"], r["alarms"], r["substantive"] - r["recognition_errors"] + r["cosmetic"])
                 for r in rows if r["status"] == "ok")
