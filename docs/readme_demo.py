"""The README's sample summary, taken from a real run of `make demo` (run by `make readme-demo`).

    python docs/readme_demo.py out/demo-summary.txt     # the demo's stderr, saved by make readme-demo

Replaces the block between the `demo-summary` markers in README.md with the summary lines the
demo printed (the lines naming where the reports went are left out).
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- demo-summary: made by `make readme-demo`; do not edit -->", "<!-- /demo-summary -->"


def summary_lines(stderr: str) -> str:
    """What `check` printed, without progress bars or the lines naming the reports."""
    lines = [line.rsplit("\r", 1)[-1] for line in stderr.splitlines()]
    return "\n".join(line for line in lines if line.strip() and "%|" not in line
                     and not line.startswith(("HTML report:", "JSON report:", "mkdir ", "Open ")))


def readme_block(readme: str) -> str:
    """The summary currently in the README."""
    m = re.search(re.escape(START) + r"\n```\n(.*?)\n```\n" + re.escape(END), readme, re.DOTALL)
    if not m:
        raise SystemExit("README.md has no demo-summary block")
    return m.group(1)


def with_block(readme: str, summary: str) -> str:
    old = readme_block(readme)
    return readme.replace(f"{START}\n```\n{old}\n```\n{END}", f"{START}\n```\n{summary}\n```\n{END}")


def demo_arguments(makefile: Path = ROOT / "Makefile") -> list[str]:
    """The arguments `make demo` passes to `transcheck check` (the Makefile is the one place they live)."""
    text = makefile.read_text().replace("\\\n", " ")
    m = re.search(r"^demo:[^\n]*\n(?:\t[^\n]*\n)*?\t\$\(BIN\)/transcheck check ([^\n]*)", text, re.MULTILINE)
    if not m:
        raise SystemExit("no `transcheck check` line in the Makefile's demo target")
    return shlex.split(m.group(1))


if __name__ == "__main__":
    readme = ROOT / "README.md"
    readme.write_text(with_block(readme.read_text(), summary_lines(Path(sys.argv[1]).read_text())))
    print(f"{readme}: demo summary updated")
