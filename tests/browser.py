"""Headless Chromium for the report's browser tests and benchmark: Debian's `chromium`, driven by Playwright.

The library's own helpers (transcheck.chromium), which `-o report.pdf` uses too.
"""

from transcheck.chromium import ARGS, chromium_path, launch, missing, wait_ready  # noqa: F401

import pytest


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()
