"""The report as a PDF, printed by headless Chromium from the HTML report (the `browser` extra).

The page is laid out by the report's print style: both columns side by side, the markers, the
discrepancy list with times and verdicts, the provenance; no player, filters or buttons.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Optional

from .chromium import INSTALL, launch, missing, wait_ready
from .errors import OutputError


def require_chromium(path: Path) -> None:
    """Refuse a PDF output at once (before any transcribing) when Chromium cannot be driven here."""
    why = missing()
    if why:
        raise OutputError(f"{path}: writing a PDF needs headless Chromium, and {why}; {INSTALL}")


def is_pdf(path: Optional[Path]) -> bool:
    return path is not None and Path(path).suffix.lower() == ".pdf"


def write_pdf(report: dict[str, Any], path: Path, template_dir_override: Optional[Path] = None) -> None:
    """Render the report and print it to `path` (written beside it first, then renamed)."""
    require_chromium(path)
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    from .report import render_html

    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    html = render_html(report, path, template_dir_override=template_dir_override)
    fd, page_file = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".html", dir=parent)
    fd_pdf, tmp_pdf = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    os.close(fd_pdf)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(html)
        with sync_playwright() as p:
            browser = launch(p)
            try:
                page = browser.new_page()
                page.goto(Path(page_file).resolve().as_uri())
                wait_ready(page)
                page.pdf(path=tmp_pdf, format="A4", print_background=True,
                         margin={"top": "14mm", "bottom": "14mm", "left": "12mm", "right": "12mm"})
            finally:
                browser.close()
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp_pdf, (path.stat().st_mode & 0o777) if path.exists() else 0o644 & ~mask)
        os.replace(tmp_pdf, path)
    except PlaywrightError as exc:
        raise OutputError(f"{path}: Chromium could not print the report ({str(exc).splitlines()[0]}); {INSTALL}") from None
    finally:
        for leftover in (page_file, tmp_pdf):
            if os.path.exists(leftover):
                os.unlink(leftover)
