"""Two accuracy dumps side by side: per recording and per cause of false alarm, before and after.

    python -m benchmarks.compare BEFORE.json AFTER.json

Both dumps come from `python -m benchmarks.accuracy --json ...` (or `benchmarks.voices`); the
figures are those of "transcheck + verification". A false alarm's cause is what decided its
verdict (`evidence.verification.basis`) and why the text raised it (the discrepancy's reason).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Optional, Sequence

METHOD = "transcheck + verification"


def _load(path: str) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def cause(record: dict[str, Any]) -> str:
    basis = (record["evidence"].get("verification") or {}).get("basis", "none")
    reason = record["reason"].replace(" (looks like a recognition error)", ", looks misheard")
    return f"{record['verdict']} by {basis}; {reason}"


def _causes(dump: dict[str, Any]) -> Counter:
    return Counter(cause(r) for r in dump["discrepancies"] if r["false_alarm"].get(METHOD))


def _confirmed(dump: dict[str, Any], name: Optional[str] = None) -> int:
    """False alarms judged `confirmed`: false accusations, the worst kind."""
    return sum(1 for r in dump["discrepancies"] if r["false_alarm"].get(METHOD) and r["verdict"] == "confirmed"
               and (name is None or r["recording_name"] == name))


def _cell(t: Optional[dict[str, Any]], confirmed: int) -> str:
    if not t:
        return "\u2014"
    return (f"{t['found']}/{t['substantive_edits']} found, {t['false_alarms_per_minute']:.2f}/min "
            f"({t['false_alarms']}, {confirmed} confirmed)")


def markdown(before: dict[str, Any], after: dict[str, Any]) -> str:
    names = list(dict.fromkeys([*before["per_recording"], *after["per_recording"]]))
    rows = ["| recording | before: edits found, false alarms a minute (false alarms, of them confirmed) | after |",
            "|---|---|---|"]
    for name in names:
        rows.append(f"| {name} | {_cell(before['per_recording'].get(name, {}).get(METHOD), _confirmed(before, name))} | "
                    f"{_cell(after['per_recording'].get(name, {}).get(METHOD), _confirmed(after, name))} |")
    rows.append(f"| **all** | {_cell(before['summary'].get(METHOD), _confirmed(before))} | "
                f"{_cell(after['summary'].get(METHOD), _confirmed(after))} |")
    b, a = _causes(before), _causes(after)
    causes = ["| cause of false alarm (verdict by basis; reason) | before | after |", "|---|---|---|"]
    for key in sorted(set(b) | set(a), key=lambda k: (-b[k] - a[k], k)):
        causes.append(f"| {key} | {b[key]} | {a[key]} |")
    timing = [f"verification share of transcription time (median over recordings, wall / CPU): "
              f"before {_pct(before['timing'].get('median_share_wall'))} / {_pct(before['timing'].get('median_share_cpu'))}, "
              f"after {_pct(after['timing'].get('median_share_wall'))} / {_pct(after['timing'].get('median_share_cpu'))}"]
    return "\n".join(rows) + "\n\n" + "\n".join(causes) + "\n\n" + timing[0]


def _pct(x: Optional[float]) -> str:
    return "\u2014" if x is None else f"{x:.0%}"


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        print("usage: python -m benchmarks.compare BEFORE.json AFTER.json", file=sys.stderr)
        return 2
    print(markdown(_load(args[0]), _load(args[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
