"""Screenshot of a report for the README, taken in headless Chromium (as the browser tests drive it).

    python docs/screenshot.py out/sample-report.html docs/report.png [--width 1100] [--height 1000]
                              [--media screen|print] [--full]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from browser import launch, missing, wait_ready  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--width", type=int, default=1100)
    parser.add_argument("--height", type=int, default=1000)
    parser.add_argument("--media", choices=("screen", "print"), default="screen")
    parser.add_argument("--full", action="store_true", help="The whole page, not just the first screen.")
    args = parser.parse_args(argv)
    why = missing()
    if why:
        print(f"cannot take a screenshot: {why}", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        page.emulate_media(media=args.media)
        page.goto(args.report.resolve().as_uri())
        wait_ready(page)
        page.screenshot(path=str(args.png), full_page=args.full)
        browser.close()
    print(f"{args.png}: {args.png.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
