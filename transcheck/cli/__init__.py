"""Command line: parse, call the library, print. Errors become one `Error:` line and exit status 2.

Each command lives in its own module; this one makes the group and registers them.
"""

from __future__ import annotations

import click

from .. import __version__
from .batch import batch
from .check import check
from .serve import serve
from .tools import evidence, inspect_command, render


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="transcheck")
def main() -> None:
    """Check what was said at a briefing against its published official transcript.

    \b
    Example:
        transcheck check briefing.mp3 official.txt      (writes briefing-report.html and .json here)
        transcheck check briefing.mp3 official.txt -o report.html --json report.json
        transcheck batch archive/ -o reports/
    """


for command in (check, batch, render, inspect_command, evidence, serve):
    main.add_command(command)


if __name__ == "__main__":  # pragma: no cover
    main()
