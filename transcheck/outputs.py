"""Where `check` writes its reports: the paths given, or defaults named from the recording."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .errors import OutputError
from .fsutil import check_output_path

STDOUT = "-"


@dataclass(frozen=True)
class OutputPlan:
    """The HTML and JSON report paths (None: not written); `json_stdout`: the JSON goes to stdout."""

    html: Optional[Path]
    json: Optional[Path]
    json_stdout: bool = False


def default_paths(recording: Path, folder: Path = Path(".")) -> tuple[Path, Path]:
    """`briefing.m4a` -> `briefing-report.html` and `briefing-report.json` in `folder` (as whisper names
    its outputs); the suffix keeps them clear of an official transcript called `briefing.html`."""
    stem = recording.stem or "transcheck"
    return folder / f"{stem}-report.html", folder / f"{stem}-report.json"


def plan_outputs(recording: Path, official: Path, html: Optional[str | Path], json: Optional[str | Path],
                 folder: Path = Path(".")) -> OutputPlan:
    """Check the output paths before any work is done, and fill in the defaults when none is given.

    `-o` naming a folder (one that exists, or any path ending in '/') puts the reports in it under
    the default names, the JSON too unless --json says otherwise.
    """
    if html is not None and str(html) == STDOUT:
        raise OutputError("-o -: the HTML report goes to a file (give a name such as report.html); "
                          "--json - writes the JSON report to standard output")
    json_stdout = json is not None and str(json) == STDOUT
    json = None if json is None or json_stdout else Path(json)
    to_folder = html is not None and (str(html).endswith(("/", os.sep)) or Path(html).is_dir())
    if to_folder:
        folder = Path(str(html))
    html = None if html is None or to_folder else Path(html)
    if to_folder or (html is None and json is None and not json_stdout):
        defaults = default_paths(recording, folder)
        html, json = defaults[0], json if json is not None or json_stdout else defaults[1]
        for path in (html, json):
            if path in defaults:
                _refuse_foreign(path)
    if html is not None and json is not None and _same(html, json):
        raise OutputError(f"{html}: given for both -o and --json; name two different files "
                          "(e.g. report.html and report.json)")
    for path in (html, json):
        if path is not None:
            check_output_path(path, (recording, official))
    return OutputPlan(html, json, json_stdout)


def _same(a: Path, b: Path) -> bool:
    return a.absolute().resolve() == b.absolute().resolve()


def _refuse_foreign(path: Path) -> None:
    """A default name is only reused for an earlier transcheck report, never for someone's own file."""
    if not path.is_file():
        return
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        head = b""
    if b"transcheck" not in head:
        raise OutputError(f"{path}: exists and is not a transcheck report; pass -o and --json to choose "
                          "where the reports go")
