"""Find and launch the system's headless Chromium through Playwright (the `browser` extra).

Playwright drives the installed browser (no `playwright install`, no download); the flags keep
Chromium from reaching out on its own, so every request a page makes is the page's own.
"""

from __future__ import annotations

import os
import shutil
from typing import Optional

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--autoplay-policy=no-user-gesture-required", "--mute-audio"]
INSTALL = ("pip install 'transcheck[browser]' (Playwright) and apt-get install chromium, "
           "or set TRANSCHECK_CHROMIUM to a Chromium executable")


def chromium_path() -> Optional[str]:
    """The Chromium to drive: $TRANSCHECK_CHROMIUM, else Debian's /usr/bin/chromium, else one on PATH."""
    for candidate in (os.environ.get("TRANSCHECK_CHROMIUM"), "/usr/bin/chromium"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


def missing() -> Optional[str]:
    """What is missing to drive Chromium here, or None when nothing is."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install playwright)"
    if chromium_path() is None:
        return "chromium is not installed (apt-get install chromium)"
    return None


def launch(playwright):
    """A headless Chromium browser."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=ARGS)


def wait_ready(page, timeout: float = 60.0) -> None:
    """Wait until report.js has run (polled: the page's CSP forbids the eval behind wait_for_function)."""
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate("() => window.__transcheckReady === true"):
        if time.monotonic() > deadline:
            raise TimeoutError("the report's script did not finish")
        page.wait_for_timeout(5)
