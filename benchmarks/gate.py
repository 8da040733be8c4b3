"""The accuracy gate: the figures CI must reproduce, committed in benchmarks/accuracy_figures.json.

    python -m benchmarks.accuracy --gate benchmarks/accuracy_figures.json        # CI: exit 1 on a regression
    python -m benchmarks.accuracy --write-gate benchmarks/accuracy_figures.json  # after a deliberate change

The gated figures are verification's false alarms a minute over every case, and its recall on the
recordings the recogniser follows (those transcheck itself does not report as not followed in
their faithful case). A recording committed as followed that is no longer followed is a regression
too (its edits would drop out of the recall); one newly followed is not. Decoding is deterministic
on one machine, so a clean clone with the committed lock gives the same figures there; another
CPU (another instruction set, or Intel's MKL against oneDNN elsewhere) can hear a few words
differently, and the tolerance absorbs one verdict either way, not a trend.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Sequence

from .scoring import Tally

SCHEMA = "transcheck.accuracy-gate/1"
VERIFIED = "transcheck + verification"
# One false alarm more over the benchmark's 25 minutes, or one edit fewer of the ~40 followed ones.
TOLERANCE = {"false_alarms_per_minute": 0.05, "followed_recall": 0.03}


def followed_recordings(runs: Sequence[Any]) -> list[str]:
    """Recordings transcheck itself does not report as not followed in their faithful case (the
    summary's `recording_followed`: fewer than half of at least five checked passages were ones it
    could not follow, see transcheck/verify/followed.py)."""
    from transcheck.classify import recording_followed

    return sorted(item.recording.name for item in runs
                  if item.case.faithful and recording_followed(item.verified or ()))


def gate_figures(runs: Sequence[Any], report: dict[str, Any]) -> dict[str, Any]:
    """The gated figures of one benchmark run, with what they were measured on."""
    followed = followed_recordings(runs)
    tally = Tally()
    for item in runs:
        if item.recording.name in followed and VERIFIED in item.scores:
            tally.add(item.case.edits, item.scores[VERIFIED], item.recording.duration, item.masked)
    overall = report["summary"][VERIFIED]
    from transcheck.engines import load_engine
    from transcheck.options import CheckOptions

    return {
        "schema": SCHEMA,
        "command": report["command"],
        "model": report["model"],
        "runtime": load_engine(CheckOptions()).runtime,
        "cases": overall["cases"],
        "audio_minutes": overall["audio_minutes"],
        "false_alarms": overall["false_alarms"],
        "false_alarms_per_minute": overall["false_alarms_per_minute"],
        "recall": overall["recall"],
        "followed": followed,
        "followed_edits": tally.edits,
        "followed_found": tally.found,
        "followed_recall": round(tally.recall, 4) if tally.edits else None,
        "followed_false_alarms_per_minute": round(tally.per_minute, 4) if tally.seconds else None,
    }


def regressions(measured: dict[str, Any], committed: dict[str, Any]) -> list[str]:
    """What got worse than the committed figures, beyond the tolerance; empty when the gate passes."""
    found = []
    fa, fa_was = measured["false_alarms_per_minute"], committed["false_alarms_per_minute"]
    if fa > fa_was + TOLERANCE["false_alarms_per_minute"]:
        found.append(f"false alarms a minute with verification: {fa:.3f}, committed {fa_was:.3f}")
    recall, recall_was = measured["followed_recall"] or 0.0, committed["followed_recall"] or 0.0
    if recall < recall_was - TOLERANCE["followed_recall"]:
        found.append(f"recall on the recordings the recogniser follows: {recall:.1%}, committed {recall_was:.1%}")
    lost = sorted(set(committed["followed"]) - set(measured["followed"]))
    if lost:
        found.append(f"no longer followed: {', '.join(lost)} (committed as followed)")
    return found


def machine(runtime: dict[str, Any]) -> str:
    """What, beyond the locked packages, decides the words heard: instruction set, CPU maker and the
    matrix library CTranslate2 picks for it ("x86_64 avx2, AuthenticAMD, oneDNN")."""
    return ", ".join(str(runtime.get(k, "?")) for k in ("cpu", "cpu_vendor", "gemm"))


def read(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("schema") != SCHEMA:
        raise SystemExit(f"Error: {path} is not an accuracy gate file ({SCHEMA}); write one with --write-gate")
    return data


def committed_for(data: dict[str, Any], runtime: dict[str, Any]) -> dict[str, Any]:
    """The committed figures measured on a machine like this one (same instruction set, CPU maker and
    matrix library), or the file's first figures where none were: the same lock hears a few words
    differently on an Intel AVX-512 machine and on an AMD AVX2 one, so each is held to its own."""
    return data.get("machines", {}).get(machine(runtime), data)


def write(path: Path, figures: dict[str, Any]) -> None:
    """This run's figures for this machine; the figures committed for other machines are kept."""
    old = read(path) if path.exists() else None
    machines = dict(old.get("machines", {})) if old else {}
    machines[machine(figures["runtime"])] = figures
    top = old if old and machine(old.get("runtime", {})) != machine(figures["runtime"]) else figures
    data = {**{k: v for k, v in top.items() if k != "machines"}, "machines": machines}
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(path)


def markdown(measured: dict[str, Any], committed: dict[str, Any] | None) -> str:
    rows = [("false alarms a minute (verification on)", "false_alarms_per_minute", "{:.3f}"),
            ("recall, every recording", "recall", "{:.1%}"),
            ("recall, recordings the recogniser follows", "followed_recall", "{:.1%}"),
            ("false alarms a minute, recordings followed", "followed_false_alarms_per_minute", "{:.3f}")]
    lines = ["| gated figure | this run | committed |", "|---|---|---|"]
    for label, key, fmt in rows:
        now = measured.get(key)
        was = (committed or {}).get(key)
        lines.append(f"| {label} | {fmt.format(now) if now is not None else 'n/a'} | "
                     f"{fmt.format(was) if was is not None else 'n/a'} |")
    return "\n".join(lines)
