"""Evidence a journalist can publish: per discrepancy the sound itself, a citation, and hashes.

`write_evidence` cuts each chosen passage (with context either side) from the original recording,
writes ID.wav, ID.json and ID.txt, and a manifest.json with the sha256 of both source files and of
every clip, so anyone can check the clips came from that recording. It refuses a recording whose
hash no longer matches the report.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

from . import __version__
from .audio import file_sha256
from .clips import DEFAULT_CONTEXT, clip_span, cut_clips
from .errors import InputError, OutputError
from .fsutil import atomic_write
from .models import Discrepancy
from .report_view import VERDICT_TEXT, clock, date_of, evidence_text, title_of
from .review import review_of


@dataclass(frozen=True)
class EvidenceOptions:
    """Which discrepancies (default: every alarm and every reviewed one) and how many seconds of context."""

    ids: tuple[str, ...] = ()
    context: float = DEFAULT_CONTEXT
    recording: Optional[str] = None  # where the recording is now, if it moved

    def __post_init__(self) -> None:
        if not 0 <= self.context <= 60:
            raise ValueError(f"context must lie between 0 and 60 seconds, not {self.context}")


@dataclass(frozen=True)
class EvidenceItem:
    """One written clip and its citation."""

    id: str
    start: float
    end: float
    clip: str
    clip_sha256: str


def choose(report: dict[str, Any], ids: Sequence[str]) -> list[dict[str, Any]]:
    """The discrepancies named by `ids`, in that order, or in time order every alarm and every
    discrepancy a reviewer marked or annotated (a cosmetic one a listener calls a real edit belongs
    in the evidence too)."""
    by_id = {d["id"]: d for d in report["discrepancies"]}
    if ids:
        unknown = [i for i in ids if i not in by_id]
        if unknown:
            known = ", ".join(sorted(by_id, key=lambda i: (len(i), i))[:20]) or "none"
            raise InputError(f"no discrepancy {', '.join(unknown)} in this report (its ids: {known}); "
                             "pass --id with one of them")
        return [by_id[i] for i in dict.fromkeys(ids)]
    chosen = [d for d in report["discrepancies"] if Discrepancy.from_dict(d).is_alarm or review_of(d)]
    return sorted(chosen, key=lambda d: d["recording"]["start"])


def locate_recording(report: dict[str, Any], report_path: Optional[Path], override: Optional[str]) -> Path:
    """The recording the report was made from, checked by its sha256."""
    recorded = report["recording"]["path"]
    candidates = [Path(override)] if override else [Path(recorded)]
    if not override and report_path is not None and not Path(recorded).is_absolute():
        candidates.append(Path(report_path).parent / recorded)
    path = next((c for c in candidates if c.is_file()), None)
    if path is None:
        raise InputError(f"{candidates[0]}: the recording is not there (the report names {recorded}); "
                         "pass --recording with where it is now")
    actual, expected = file_sha256(path), report["recording"].get("sha256")
    if actual != expected:
        raise InputError(f"{path}: its sha256 ({actual[:12]}...) no longer matches the report's "
                         f"({str(expected)[:12]}...); the file changed since the check: pass the original "
                         "recording, or check it again")
    return path


def verdict_sentence(d: dict[str, Any]) -> str:
    """One plain sentence on what the audio check found, that a journalist can act on."""
    if d.get("verdict_sentence"):
        return d["verdict_sentence"]
    at = clock(d["recording"]["start"])
    said, printed = d["recording"]["text"], d["official"]["text"]
    verdict = d.get("verdict")
    if verdict == "confirmed":
        if d["kind"] == "insertion":
            return f"Nobody says \u201c{printed}\u201d here in the recording; the official text adds it."
        if d["kind"] == "omission":
            return f"The recording clearly says \u201c{said}\u201d here; the official text leaves it out."
        return f"The recording clearly says \u201c{said}\u201d here; the printed words do not fit it."
    if verdict == "recognition-error":
        return f"Probably misheard: the printed words fit the recording as well as what was heard. Listen at {at}."
    if verdict == "uncertain":
        return f"The audio check could not decide between the two wordings. Listen at {at}."
    return f"Not checked against the audio. Listen at {at}."


def review_dict(d: dict[str, Any]) -> Optional[dict[str, Any]]:
    """The reviewer's mark and note on `d` (mark, label, note, updated), or None."""
    review = review_of(d)
    return None if review is None else review.to_dict()


def citation(report: dict[str, Any], d: dict[str, Any], clip_name: str) -> dict[str, Any]:
    """What a reader needs to cite one discrepancy."""
    return {
        "id": d["id"], "title": title_of(report), "date": date_of(report),
        "start": d["recording"]["start"], "end": d["recording"]["end"],
        "start_clock": clock(d["recording"]["start"]), "end_clock": clock(d["recording"]["end"]),
        "speaker": d.get("speaker"), "said": d["recording"]["text"], "printed": d["official"]["text"],
        "kind": d["kind"], "severity": d["severity"], "reason": d.get("reason", ""),
        "verdict": d.get("verdict"),
        "verdict_text": VERDICT_TEXT.get(d.get("verdict") or "", "not checked against the audio"),
        "verdict_sentence": verdict_sentence(d), "evidence": evidence_text(d), "review": review_dict(d),
        "clip": clip_name,
        "recording": {"path": report["recording"]["path"], "sha256": report["recording"]["sha256"]},
        "official": {"path": report["official"].get("url") or report["official"]["path"],
                     "sha256": report["official"]["sha256"]},
    }


def citation_text(c: dict[str, Any]) -> str:
    """The citation as plain text, to paste."""
    lines = [f"{c['title']}" + (f" ({c['date']})" if c["date"] else ""),
             f"{c['id']} at {c['start_clock']}\u2013{c['end_clock']} ({c['start']:.2f}\u2013{c['end']:.2f} s)"
             + (f", {c['speaker']}" if c["speaker"] else ""),
             f"Said:    \u201c{c['said']}\u201d" if c["said"] else "Said:    (nothing)",
             f"Printed: \u201c{c['printed']}\u201d" if c["printed"] else "Printed: (nothing)",
             f"Kind: {c['kind']}, {c['severity']} ({c['reason']})",
             f"Verdict: {c['verdict_text']}. {c['verdict_sentence']}"]
    if c["evidence"]:
        lines.append(f"Evidence: {c['evidence']}")
    if c["review"]:
        note = c["review"]["note"].strip()
        lines.append("Review: " + " ".join(filter(None, [c["review"]["label"],
                                                           f"\u201c{note}\u201d" if note else ""])))
    lines += [f"Clip: {c['clip']}",
              f"Recording: {c['recording']['path']} (sha256 {c['recording']['sha256']})",
              f"Official transcript: {c['official']['path']} (sha256 {c['official']['sha256']})"]
    return "\n".join(lines) + "\n"


def write_evidence(report: dict[str, Any], out_dir: Path, options: EvidenceOptions = EvidenceOptions(),
                   report_path: Optional[Path] = None) -> list[EvidenceItem]:
    """Write ID.wav, ID.json, ID.txt for each chosen discrepancy and manifest.json into `out_dir`."""
    chosen = choose(report, options.ids)
    recording = locate_recording(report, report_path, options.recording)
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir}: is a file; give a folder for the evidence")
    out_dir.mkdir(parents=True, exist_ok=True)
    duration = float(report["recording"].get("duration") or 0.0)
    spans = [clip_span(d, options.context, duration) for d in chosen]
    clips = cut_clips(recording, spans)
    items, rows = [], []
    for d, (start, end), clip in zip(chosen, spans, clips):
        name = f"{d['id']}.wav"
        data = clip.wav_bytes()
        atomic_write(out_dir / name, data)
        c = citation(report, d, name)
        atomic_write(out_dir / f"{d['id']}.json", json.dumps(c, ensure_ascii=False, indent=1) + "\n")
        atomic_write(out_dir / f"{d['id']}.txt", citation_text(c))
        item = EvidenceItem(d["id"], start, end, name, hashlib.sha256(data).hexdigest())
        items.append(item)
        rows.append({"id": item.id, "start": start, "end": end, "clip": name, "clip_sha256": item.clip_sha256,
                     "sample_rate": clip.sample_rate, "channels": clip.channels,
                     "said": d["recording"]["text"], "printed": d["official"]["text"], "kind": d["kind"],
                     "verdict": d.get("verdict"), "review": review_dict(d)})
    manifest = {
        "recording": {"path": str(recording), "sha256": report["recording"]["sha256"]},
        "official": {"path": report["official"].get("url") or report["official"]["path"],
                     "sha256": report["official"]["sha256"]},
        "title": title_of(report), "date": date_of(report),
        "transcheck_version": __version__,
        "report_transcheck_version": report.get("transcheck_version"),
        "settings": {**report.get("settings", {}), "evidence": {"context": options.context,
                                                                "ids": list(options.ids) or "alarms"}},
        "items": rows,
    }
    atomic_write(out_dir / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    return items


def write_batch_evidence(out_dir: Path, job_ids: Sequence[str], context: float = DEFAULT_CONTEXT) -> dict[str, str]:
    """Evidence for every alarm of each checked briefing, in OUT/evidence/ID/; returns the failures by id."""
    from .batch.outputs import report_paths
    from .errors import TranscheckError
    from .schema import load_report

    failed: dict[str, str] = {}
    for job_id in job_ids:
        report_path = report_paths(out_dir, job_id)[1]
        try:
            write_evidence(load_report(report_path), Path(out_dir) / "evidence" / job_id,
                           EvidenceOptions(context=context), report_path=report_path)
        except (TranscheckError, OSError) as exc:
            failed[job_id] = str(exc)
    return failed
