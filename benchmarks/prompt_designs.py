"""Prompt designs for the check "told the printed words" (issue 16), compared on the same askings.

    python -m benchmarks.prompt_designs --shared DIR [--cache-dir DIR] [--log PATH]

Runs the accuracy benchmark on DIR (recordings with transcript.txt: `../shared/speech`, or a folder
`benchmarks.voices` wrote) as usual, and wherever verification decodes a window again told the
printed words, decodes it again with each other design too. The verdicts are the shipped design's;
the others are only recorded. For each design it prints how many askings hear the printed words
("excused"), on discrepancies of the faithful text (false alarms it would excuse: good) and next
to a real edit (edits it would excuse: bad). Each asking is written to the log (JSON lines) with
what each design heard. Several folders are compared by running it on each and adding up.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path
from typing import Optional, Sequence

# design -> (prompt, forced opening) from the printed words: `before` (what is printed before the
# window), `context` (the window's printed words), `lead` (its printed words before the
# difference), `printed` (the printed wording of the difference)
DESIGNS = {
    "window's printed words (the first design)": lambda p: (p["context"], ""),
    "printed text before the window": lambda p: (p["before"], ""),
    "text before, opening forced": lambda p: (p["before"], p["lead"]),
    "printed wording, text before, opening forced": lambda p: (f"{p['printed']}. {p['before']}", p["lead"]),
    "text to the window's end, opening forced (shipped)": lambda p: (f"{p['before']} {p['context']}", p["lead"]),
}


def _patch(log):
    """Wrap verification's `ask` so that each asking is decoded with every design as well."""
    import transcheck.verify.verdicts as verdicts
    from transcheck.verify import prompted
    from transcheck.verify.plans import AFTER, BEFORE

    case: list[Optional[str]] = [None]
    shipped = prompted.ask

    def ask(engine, audio, request, plan, off):
        result = shipped(engine, audio, request, plan, off)
        if result is None:
            return result
        o0, o1 = plan.disc.off_tokens
        text = lambda a, b: " ".join(t.text for t in off[max(0, a):max(0, min(len(off), b))])  # noqa: E731
        parts = {"before": text(o0 - BEFORE - prompted.PROMPT_WORDS, o0 - BEFORE), "lead": text(o0 - BEFORE, o0),
                 "context": text(o0 - BEFORE, o1 + AFTER), "printed": plan.official_words}
        row = {"case": case[0], "id": plan.disc.id, "printed": plan.official_words, "heard": plan.disc.rec_text}
        for name, design in DESIGNS.items():
            prompt, lead = design(parts)
            said = engine.hear(audio, request.start, request.end, prompt.strip(), lead)
            if lead and prompted.words(said)[:len(prompted.words(lead))] != prompted.words(lead):
                said = f"{lead} {said}"
            row[name] = {"heard": said, "hears_printed": prompted.hears_printed(
                said, plan.official_words, plan.disc.rec_text, parts["context"])}
        log.write(json.dumps(row) + "\n")
        log.flush()
        return result

    verdicts.ask = ask
    return case


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.prompt_designs", description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, required=True, help="folder of recordings with transcript.txt")
    parser.add_argument("--cache-dir", type=Path, default=None, help="transcript cache (as benchmarks.accuracy)")
    parser.add_argument("--log", type=Path, default=Path("benchmarks/results/prompt_designs.jsonl"),
                        help="each asking and what each design heard (JSON lines)")
    args = parser.parse_args(argv)
    from . import accuracy

    args.log.parent.mkdir(parents=True, exist_ok=True)
    dump = args.log.with_suffix(".accuracy.json")
    with open(args.log, "w", encoding="utf-8") as log:
        case = _patch(log)
        checker_call = accuracy.Checker.__call__

        def call(self, c, path, verify):
            case[0] = c.id
            return checker_call(self, c, path, verify)

        accuracy.Checker.__call__ = call
        rest = ["--shared", str(args.shared), "--json", str(dump)]
        rest += ["--cache-dir", str(args.cache_dir)] if args.cache_dir else []
        accuracy.main(rest)
    labels = {(d["case"], d["id"]): "false alarm" if d["false_alarm"].get("transcheck") else "next to an edit"
              for d in json.loads(dump.read_text(encoding="utf-8"))["discrepancies"]}
    counts: collections.Counter = collections.Counter()
    for line in args.log.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        label = labels.get((row["case"], row["id"]), "next to an edit")
        counts[label] += 1
        for name in DESIGNS:
            counts[label, name] += row[name]["hears_printed"]
    print("\n| design | false alarms excused (good) | edits excused (bad) |\n|---|---|---|")
    for name in DESIGNS:
        print(f"| {name} | {counts['false alarm', name]}/{counts['false alarm']} "
              f"| {counts['next to an edit', name]}/{counts['next to an edit']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
