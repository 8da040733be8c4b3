"""Real published transcripts read as the comparison will see them, scored against truth.json (issue 15).

    python -m benchmarks.realdocs [--shared ../shared/realdocs] [--show FILE]

For every file that truth.json describes: label recall (its speaker labels found, in order), labels
found that are not labels (spurious), furniture strings that reach the comparison (leaked) and spoken
phrases that do not reach it intact (lost). Prints a markdown table; `--show` prints one file's
misses in full.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = ROOT.parent / "shared" / "realdocs"
COMMAND = "python -m benchmarks.realdocs"


@dataclass(frozen=True)
class DocScore:
    name: str
    labels: int
    matched: int
    missed: tuple[str, ...]
    spurious: tuple[str, ...]
    leaked: tuple[str, ...]
    lost: tuple[str, ...]
    furniture: int
    spoken: int

    @property
    def recall(self) -> float:
        return self.matched / self.labels if self.labels else 1.0


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def label_texts(official: Any) -> list[str]:
    """Each label as printed, without its colon or emphasis markers."""
    return [official.text[lab.start:lab.end].strip(" \t\n*_:-\u2014") for lab in official.labels]


def compared_tokens(official: Any) -> list[Any]:
    """The official text's tokens that reach the comparison."""
    from transcheck.normalize import normalize_official

    return [t for t in normalize_official(official) if t.norm]


def compared_words(official: Any, tokens: Optional[list[Any]] = None) -> list[str]:
    return " ".join(t.norm for t in (compared_tokens(official) if tokens is None else tokens)).split()


def phrase_words(phrase: str) -> list[str]:
    from transcheck.sources import official_from_text

    return compared_words(official_from_text(phrase))


def _contains(words: list[str], phrase: list[str]) -> bool:
    return bool(phrase) and f" {' '.join(phrase)} " in f" {' '.join(words)} "


def leaks(official: Any, furniture: str, tokens: Optional[list[Any]] = None) -> bool:
    """Does this furniture string reach the comparison? (`tokens`: the compared tokens, if known.)

    Where it is printed in the official text, any compared word inside it leaks; where the reader
    rewrote it, its normalised words must not appear in the compared stream.
    """
    tokens = compared_tokens(official) if tokens is None else tokens
    pattern = re.compile(r"\s+".join(re.escape(w) for w in furniture.split()))
    places = [(m.start(), m.end()) for m in pattern.finditer(official.text)]
    if places:
        return any(a <= t.start < b for a, b in places for t in tokens)
    return _contains(compared_words(official, tokens), phrase_words(furniture))


def score_file(path: Path, truth: dict[str, Any]) -> DocScore:
    from transcheck.sources import read_official

    official = read_official(path)
    found = label_texts(official)
    expected = list(truth.get("labels", []))
    matcher = difflib.SequenceMatcher(None, [_key(x) for x in expected], [_key(x) for x in found], autojunk=False)
    hit_truth, hit_found = set(), set()
    for block in matcher.get_matching_blocks():
        hit_truth.update(range(block.a, block.a + block.size))
        hit_found.update(range(block.b, block.b + block.size))
    tokens = compared_tokens(official)
    words = compared_words(official, tokens)
    furniture = [f["text"] for f in truth.get("furniture", [])]
    spoken = list(truth.get("spoken_samples", []))
    return DocScore(
        name=path.name, labels=len(expected), matched=len(hit_truth),
        missed=tuple(x for i, x in enumerate(expected) if i not in hit_truth),
        spurious=tuple(x for i, x in enumerate(found) if i not in hit_found),
        leaked=tuple(f for f in furniture if leaks(official, f, tokens)),
        lost=tuple(s for s in spoken if not _contains(words, phrase_words(s))),
        furniture=len(furniture), spoken=len(spoken))


def score_all(shared: Path) -> list[DocScore]:
    truth = json.loads((shared / "truth.json").read_text(encoding="utf-8"))
    return [score_file(shared / name, entry) for name, entry in truth.items()]


def table(scores: list[DocScore]) -> str:
    rows = ["| file | labels found | label recall | spurious labels | furniture leaked | spoken phrases lost |",
            "|---|---|---|---|---|---|"]
    for s in scores:
        rows.append(f"| {s.name} | {s.matched}/{s.labels} | {100 * s.recall:.1f}% | {len(s.spurious)} | "
                    f"{len(s.leaked)}/{s.furniture} | {len(s.lost)}/{s.spoken} |")
    return "\n".join(rows)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--show", default=None, help="print this file's misses in full")
    args = parser.parse_args(argv)
    if not (args.shared / "truth.json").exists():
        print(f"{args.shared}/truth.json not found; pass --shared", file=sys.stderr)
        return 2
    scores = score_all(args.shared)
    print(f"`{COMMAND}`\n")
    print(table(scores))
    for s in scores:
        if args.show and args.show in s.name:
            for what in ("missed", "spurious", "leaked", "lost"):
                print(f"\n{what}:")
                for item in getattr(s, what):
                    print(f"  {item!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
