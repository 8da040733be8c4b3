"""The accuracy benchmark's outputs: a markdown summary for people, a JSON dump for calibration."""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterator, Optional, Sequence

from transcheck import __version__

from .cases import GAP, Edit
from .scoring import PLAIN, TOLERANCE, VERIFIED, WORD_DIFF, CaseRun, distance, tallies, timing

SCHEMA = "transcheck.benchmark.accuracy/1"
GOAL_RECALL, GOAL_PER_MINUTE, GOAL_SHARE = 0.95, 0.2, 0.25


# -------------------------------------------------------------------------------------------
# Looking up what happened near an edit


def _near(item: CaseRun, edit: Edit) -> list:
    return [d for d in item.discrepancies if distance(d.off_start, d.off_end, edit) <= TOLERANCE]


def _methods(item: CaseRun) -> list[str]:
    return [m for m in (WORD_DIFF, PLAIN, VERIFIED) if m in item.scores]


def miss_reason(item: CaseRun, method: str, edit: Edit) -> str:
    """Why a substantive edit was not found by a transcheck method."""
    near = _near(item, edit)
    if not near:
        return "nothing reported nearby"
    substantive = [d for d in near if d.severity == "substantive"]
    if not substantive:
        return "reported as cosmetic: " + "; ".join(sorted({d.reason for d in near}))
    if method == VERIFIED and all(d.verdict == "recognition-error" for d in substantive):
        return "judged a recognition error"
    return "other"


def flagged(item: CaseRun, method: str, edit: Edit) -> bool:
    """Whether a false alarm lies next to a (cosmetic) edit."""
    found = item.findings[method]
    return any(distance(found[i].start, found[i].end, edit) <= TOLERANCE for i in item.scores[method].false_alarms)


def false_alarm_cause(item: CaseRun, d) -> str:
    """What a false alarm sits next to: a cosmetic edit, or nothing the benchmark changed."""
    types = sorted({e.type for e in item.case.edits if not e.substantive
                    and distance(d.off_start, d.off_end, e) <= TOLERANCE})
    return f"cosmetic edit: {', '.join(types)}" if types else "no edit nearby"


def _verdict(d) -> str:
    return d.verdict or "none"


# -------------------------------------------------------------------------------------------
# JSON


def _discrepancy_records(item: CaseRun) -> list[dict[str, Any]]:
    out = []
    false = {m: set(item.scores[m].false_alarms) for m in (PLAIN, VERIFIED) if m in item.scores}
    index = {m: {d.id: i for i, d in enumerate(item.listed(m))} for m in false}
    for d in item.discrepancies:
        near = [{"edit": k, "type": e.type, "substantive": e.substantive,
                 "distance": distance(d.off_start, d.off_end, e)}
                for k, e in enumerate(item.case.edits) if distance(d.off_start, d.off_end, e) <= TOLERANCE]
        at = {m: index[m].get(d.id) for m in false}
        alarm = {m: item.findings[m][i].alarm for m, i in at.items() if i is not None}
        is_false = {m: at[m] is not None and at[m] in f for m, f in false.items()}
        record = {"case": item.case.id, "recording_name": item.recording.name, "faithful_case": item.case.faithful,
                  **d.to_dict(), "alarm": alarm, "false_alarm": is_false, "edits_near": near}
        if any(is_false.values()):
            record["false_alarm_cause"] = false_alarm_cause(item, d)
        out.append(record)
    return out


def _brief(d, edit: Edit) -> dict[str, Any]:
    return {"id": d.id, "kind": d.kind, "severity": d.severity, "verdict": d.verdict, "reason": d.reason,
            "recording_text": d.rec_text, "official_text": d.off_text, "official_span": [d.off_start, d.off_end],
            "distance": distance(d.off_start, d.off_end, edit),
            "margin": d.evidence.get("verification", {}).get("margin")}


def _edit_records(item: CaseRun) -> list[dict[str, Any]]:
    out = []
    for k, edit in enumerate(item.case.edits):
        record = {"case": item.case.id, "recording_name": item.recording.name, "index": k, **edit.to_dict(),
                  "edited_context": item.case.text[max(0, edit.start - 40):edit.end + 40],
                  "already_differing": item.masked[k], "outcome": {}}
        for method in _methods(item):
            result = item.scores[method]
            outcome = result.outcomes[k]
            if not edit.substantive:
                record["outcome"][method] = {"flagged": flagged(item, method, edit)}
                continue
            entry: dict[str, Any] = {"found": outcome.found, "kind_ok": outcome.kind_ok}
            if outcome.finding is not None:
                if method == WORD_DIFF:
                    f = item.findings[method][outcome.finding]
                    entry["finding"] = {"span": [f.start, f.end], "kind": f.kind,
                                        "official_text": item.case.text[f.start:f.end]}
                else:
                    entry["discrepancy" if outcome.found else "nearest"] = _brief(
                        item.listed(method)[outcome.finding], edit)
            if not outcome.found and method != WORD_DIFF:
                entry["miss"] = miss_reason(item, method, edit)
            record["outcome"][method] = entry
        out.append(record)
    return out


def verdict_tables(runs: Sequence[CaseRun]) -> dict[str, Any]:
    """Verdicts where the official text is right (faithful cases) and on the real edits found."""
    faithful: dict[str, Counter] = {}
    edits: dict[str, Counter] = {}
    by_type: dict[str, Counter] = {}
    clear: Counter = Counter()
    false_alarms: Counter = Counter()
    for item in runs:
        if item.verified is None:
            continue
        if item.case.faithful:
            faithful[item.recording.name] = Counter(
                _verdict(d) for d in item.verified if d.severity == "substantive")
        plain = item.scores[PLAIN]
        false_alarms.update(_verdict(item.verified[i]) for i in plain.false_alarms)
        for edit, outcome, masked in zip(item.case.edits, plain.outcomes, item.masked):
            if edit.substantive and outcome.found:
                v = _verdict(item.verified[outcome.finding])
                edits.setdefault(item.recording.name, Counter())[v] += 1
                by_type.setdefault(edit.type, Counter())[v] += 1
                clear[v] += not masked
    as_dict = lambda table: {k: dict(v) for k, v in sorted(table.items())}  # noqa: E731
    return {"faithful": as_dict(faithful), "edits_found": as_dict(edits), "edits_found_by_type": as_dict(by_type),
            "edits_found_clear": dict(clear), "plain_false_alarms": dict(false_alarms)}


def dump(runs: Sequence[CaseRun], command: str, args: Any, elapsed: float) -> dict[str, Any]:
    recordings = {item.recording.name: item.recording for item in runs}
    return {
        "schema": SCHEMA,
        "command": command,
        "transcheck_version": __version__,
        "model": next(iter(recordings.values())).model if recordings else None,
        "seed": args.seed,
        "tolerance": args.tolerance,
        "gap_words": GAP,
        "elapsed_seconds": round(elapsed, 1),
        "goals": {"recall": GOAL_RECALL, "false_alarms_per_minute": GOAL_PER_MINUTE, "verify_share": GOAL_SHARE},
        "summary": {m: t.to_dict() for m, t in tallies(runs).items()},
        "per_recording": {name: {m: t.to_dict() for m, t in tallies(runs, name).items()} for name in recordings},
        "verdicts": verdict_tables(runs),
        "timing": timing(runs),
        "recordings": [{"name": r.name, "audio": r.audio, "duration": round(r.duration, 3),
                        "transcribe_seconds": r.transcribe_seconds, "cached": r.cached, "heard": " ".join(r.heard)}
                       for r in recordings.values()],
        "cases": [{"id": item.case.id, "recording_name": item.recording.name, "faithful": item.case.faithful,
                   "duration": round(item.recording.duration, 3), "verify_seconds": item.verify_seconds,
                   "edits": len(item.case.edits), "text": item.case.text,
                   "alarms": {m: s.alarms for m, s in item.scores.items()},
                   "false_alarms": {m: len(s.false_alarms) for m, s in item.scores.items()}} for item in runs],
        "edits": [r for item in runs for r in _edit_records(item)],
        "discrepancies": [r for item in runs for r in _discrepancy_records(item)],
    }


# -------------------------------------------------------------------------------------------
# Markdown


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _pct(x: Optional[float]) -> str:
    return "n/a" if x is None or x != x else f"{100 * x:.0f}%"


def _num(x: Optional[float], digits: int = 2) -> str:
    return "n/a" if x is None or x != x else f"{x:.{digits}f}"


def _summary(report: dict[str, Any]) -> str:
    rows = []
    for method, t in report["summary"].items():
        fa, minutes = t["false_alarms"], t["audio_minutes"]
        rows.append([method, f"{t['found']}/{t['substantive_edits']}", _pct(t["recall"]),
                     f"{_pct(t['clear_recall'])} ({t['clear_found']}/{t['clear_edits']})",
                     fa, _num(t["false_alarms_per_minute"]),
                     _num(minutes / fa, 1) if fa else "none", _pct(t["kind_accuracy"])])
    return _table(["method", "edits found", "recall", "recall where the faithful text raised no alarm",
                   "false alarms", "per minute", "minutes per false alarm", "right kind"], rows)


def _per_recording(report: dict[str, Any]) -> str:
    methods = list(report["summary"])
    rows = []
    for name, by in report["per_recording"].items():
        first = by[methods[0]]
        rows.append([name, first["cases"], _num(first["audio_minutes"], 1), first["substantive_edits"]]
                    + [f"{_pct(by[m]['recall'])} / {_num(by[m]['false_alarms_per_minute'])}" for m in methods])
    return _table(["recording", "cases", "minutes", "edits"] + [f"{m}: recall / false per min" for m in methods],
                  rows)


def _edit_types(runs: Sequence[CaseRun], report: dict[str, Any]) -> str:
    methods = list(report["summary"])
    verdicts = report["verdicts"].get("edits_found_by_type", {})
    rows = []
    for t in sorted(report["summary"][methods[0]]["by_type"]):
        cells = [report["summary"][m]["by_type"][t] for m in methods]
        v = verdicts.get(t, {})
        plain = report["summary"][PLAIN]["by_type"][t]
        rows.append([t, cells[0]["edits"]] + [f"{c['found']}" for c in cells]
                    + [f"{plain['right_kind']}/{plain['found']}",
                       f"{v.get('confirmed', 0)} / {v.get('uncertain', 0)} / {v.get('recognition-error', 0)}"])
    headers = (["edit", "n"] + [f"found: {m}" for m in methods]
               + ["right kind (transcheck)", "verdicts of found: confirmed / uncertain / recognition-error"])
    if VERIFIED not in methods:
        headers, rows = headers[:-1], [row[:-1] for row in rows]
    return _table(headers, rows)


def _cosmetic(runs: Sequence[CaseRun]) -> str:
    counts: dict[str, Counter] = {}
    for item in runs:
        for k, edit in enumerate(item.case.edits):
            if edit.substantive:
                continue
            row = counts.setdefault(edit.type, Counter())
            row["n"] += 1
            for method in _methods(item):
                hit = flagged(item, method, edit)
                row[method] += hit
                row[(method, "clear")] += hit and not item.masked[k]
    methods = [m for m in (WORD_DIFF, PLAIN, VERIFIED) if any(m in item.scores for item in runs)]
    rows = [[t, c["n"]] + [f"{c[m]} ({c[(m, 'clear')]})" for m in methods] for t, c in sorted(counts.items())]
    return _table(["cosmetic edit", "n"] + [f"raised a false alarm: {m} (where the faithful text raised none)"
                                            for m in methods], rows)


def _total(table: dict[str, dict[str, int]]) -> Counter:
    out: Counter = Counter()
    for c in table.values():
        out.update(c)
    return out


def _verdicts(report: dict[str, Any]) -> str:
    v = report["verdicts"]
    rows = []
    for name, c in [*v["faithful"].items(), ("**all**", _total(v["faithful"]))]:
        n = sum(c.values())
        rows.append([name, n, c.get("recognition-error", 0), c.get("uncertain", 0), c.get("confirmed", 0),
                     _pct(c.get("recognition-error", 0) / n if n else None)])
    faithful = _table(["recording (faithful text)", "substantive discrepancies", "recognition-error", "uncertain",
                       "confirmed", "share recognition-error"], rows)
    rows = []
    clear = v["edits_found_clear"]
    for name, c in [*v["edits_found"].items(), ("**all**", _total(v["edits_found"])),
                    ("**where the faithful text raised no alarm**", clear)]:
        n = sum(c.values())
        rows.append([name, n, c.get("confirmed", 0), c.get("uncertain", 0), c.get("recognition-error", 0),
                     _pct(c.get("confirmed", 0) / n if n else None)])
    edits = _table(["recording (real edits found without verification)", "found", "confirmed", "uncertain",
                    "recognition-error", "share confirmed"], rows)
    return faithful + "\n\n" + edits


def _checked(runs: Sequence[CaseRun]) -> Iterator[tuple[CaseRun, str]]:
    """Each case with each transcheck method it was scored by."""
    for item in runs:
        for method in (PLAIN, VERIFIED):
            if method in item.scores:
                yield item, method


def _false_alarm_groups(runs: Sequence[CaseRun]) -> str:
    groups: Counter = Counter()
    for item, method in _checked(runs):
        for i in item.scores[method].false_alarms:
            d = item.listed(method)[i]
            groups[(method, false_alarm_cause(item, d), d.reason, _verdict(d))] += 1
    rows = [[*key, n] for key, n in sorted(groups.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0]))]
    return _table(["method", "next to", "reason", "verdict", "false alarms"], rows)


def _miss_groups(runs: Sequence[CaseRun]) -> str:
    groups: Counter = Counter()
    for item, method in _checked(runs):
        for edit, outcome in zip(item.case.edits, item.scores[method].outcomes):
            if edit.substantive and not outcome.found:
                groups[(method, edit.type, miss_reason(item, method, edit))] += 1
    rows = [[*key, n] for key, n in sorted(groups.items())]
    return _table(["method", "edit", "why missed", "edits"], rows)


def _listing(runs: Sequence[CaseRun]) -> str:
    """Every false alarm and miss with verification, one line each."""
    method = VERIFIED if any(VERIFIED in item.scores for item in runs) else PLAIN
    rows = []
    for item in runs:
        result = item.scores[method]
        for i in result.false_alarms:
            d = item.listed(method)[i]
            margin = d.evidence.get("verification", {}).get("margin")
            rows.append(["false alarm", item.case.id, f"{d.rec_text[:60]!r} / {d.off_text[:60]!r}",
                         d.reason, _verdict(d), _num(margin)])
        for edit, outcome in zip(item.case.edits, result.outcomes):
            if edit.substantive and not outcome.found:
                d = item.listed(method)[outcome.finding] if outcome.finding is not None else None
                margin = d.evidence.get("verification", {}).get("margin") if d else None
                rows.append(["missed " + edit.type, item.case.id,
                             f"{edit.original[:60]!r} -> {edit.replacement[:60]!r}",
                             miss_reason(item, method, edit), _verdict(d) if d else "", _num(margin)])
    return f"({method})\n\n" + _table(["what", "case", "heard / printed (edit: original -> edited)", "reason",
                                        "verdict", "margin"], [[str(c).replace("|", "/").replace("\n", " ")
                                                                 for c in r] for r in rows])


def _timing(report: dict[str, Any]) -> str:
    t = report["timing"]
    rows = []
    for name, r in t["recordings"].items():
        spent = r["transcribe"] or {}
        rows.append([name, r["audio_seconds"], _num(spent.get("wall"), 1), _num(r["verify_median_wall"], 2),
                     _pct(r["share_wall"]), _num(spent.get("cpu"), 1), _num(r["verify_median_cpu"], 2),
                     _pct(r["share_cpu"])])
    table = _table(["recording", "audio s", "transcription s", "verification s (median over cases)", "share",
                    "transcription CPU s", "verification CPU s (median)", "CPU share"], rows)
    return (f"{table}\n\nShare of transcription time that verification adds (goal: under {_pct(GOAL_SHARE)}): "
            f"median over recordings {_pct(t['median_share_wall'])} wall, {_pct(t['median_share_cpu'])} CPU; "
            f"all cases together {_pct(t['overall_share_wall'])} wall, {_pct(t['overall_share_cpu'])} CPU.")


def markdown(runs: Sequence[CaseRun], report: dict[str, Any]) -> str:
    verified = VERIFIED in report["summary"]
    parts = [
        "# Accuracy benchmark",
        f"`{report['command']}` — transcheck {report['transcheck_version']}, {report['model']}, "
        f"seed {report['seed']}, "
        f"an edit is found by a non-cosmetic difference within {report['tolerance']} characters; "
        f"{len(runs)} cases, {report['elapsed_seconds']:.0f} s.",
        f"Goal: at least {_pct(GOAL_RECALL)} of substantive edits found, fewer than one false alarm per five "
        "minutes of audio (0.2 a minute).",
        "## Summary", _summary(report),
        "## Per recording", _per_recording(report),
        "## Substantive edits by type", _edit_types(runs, report),
        "## Cosmetic edits", _cosmetic(runs),
    ]
    if verified:
        parts += ["## Verdicts", _verdicts(report), "## Time", _timing(report)]
    parts += ["## False alarms by cause", _false_alarm_groups(runs), "## Misses", _miss_groups(runs),
              "## Every false alarm and miss", _listing(runs)]
    return "\n\n".join(parts)


__all__ = ["dump", "markdown", "miss_reason", "false_alarm_cause"]
