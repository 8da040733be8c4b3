"""Report benchmark: how fast a two-hour briefing's HTML report opens, and how big it is (issue 7).

    python -m benchmarks.report_open [--hours 2] [--runs 5] [--edit-rate 0.35] [--out DIR] [--json PATH]

A synthetic briefing of about 10,000 spoken words an hour (tests/synthetic.py: the real compare
stage on generated texts) is rendered, then opened from file:// in headless Chromium (Debian's
`chromium`, driven by Playwright) in a fresh browser context each run. Printed as markdown:

- ready: navigation start to the end of report.js (`performance.mark("transcheck-ready")`), the
  moment every control answers; load: the load event; wall: Playwright's view, goto to ready flag;
- click: a click on a word near the end of the transcript until the player's position has moved
  there; filter: ticking "cosmetic" until the counts have followed;
- the file's size, and per hour of audio.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import launch, missing, wait_ready  # noqa: E402
from synthetic import synthetic_report, write_wav  # noqa: E402

from transcheck.report import render_html  # noqa: E402

GOAL_MS = 2000.0

PROBE = """async () => {
  const t0 = performance.now();
  const spans = document.querySelectorAll('.rec > span');
  const word = spans[spans.length - 5];
  word.scrollIntoView({block: 'center'});
  word.click();
  const clicked = performance.now() - t0;
  const box = document.querySelector('#filters input[value="s-cosmetic"]');
  const t1 = performance.now();
  box.click();
  const filter = performance.now() - t1;
  box.click();
  const ready = performance.getEntriesByName('transcheck-ready')[0].startTime;
  const script = ready - performance.getEntriesByName('transcheck-start')[0].startTime;
  const nav = performance.getEntriesByType('navigation')[0];
  return {ready, script, load: nav.loadEventEnd, paint: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime,
          click: clicked, filter,
          nodes: document.getElementsByTagName('*').length};
}"""


def build(hours: float, out: Path, edit_rate: float) -> tuple[Path, dict[str, Any], float]:
    """Write the synthetic report (HTML, JSON) and a short WAV for its player; return the HTML path."""
    out.mkdir(parents=True, exist_ok=True)
    report = synthetic_report(hours, edit_rate=edit_rate, recording=str(out / "briefing.wav"))
    write_wav(out / "briefing.wav", 5.0)
    html_path = out / "report.html"
    t0 = time.perf_counter()
    html_path.write_text(render_html(report, html_path), encoding="utf-8")
    render_s = time.perf_counter() - t0
    (out / "report.json").write_text(json.dumps(report), encoding="utf-8")
    return html_path, report, render_s


def measure(html_path: Path, runs: int) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as p:
        browser = launch(p)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            t0 = time.perf_counter()
            page.goto(html_path.as_uri(), wait_until="commit")
            wait_ready(page)
            wall = (time.perf_counter() - t0) * 1000
            page.wait_for_load_state("load")
            row = page.evaluate(PROBE)
            row["wall"] = wall
            results.append(row)
            context.close()
        browser.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hours", type=float, default=2.0, help="Length of the synthetic briefing.")
    parser.add_argument("--runs", type=int, default=5, help="Page loads to take the median of.")
    parser.add_argument("--edit-rate", type=float, default=0.35,
                        help="Share of sentences said differently from the official text (more: more discrepancies).")
    parser.add_argument("--out", type=Path, default=None, help="Keep the generated report in this folder.")
    parser.add_argument("--json", type=Path, default=None, help="Also write the figures here.")
    args = parser.parse_args(argv)
    why = missing()
    if why:
        print(f"cannot run: {why}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        out = (args.out or Path(tmp)).resolve()
        html_path, report, render_s = build(args.hours, out, args.edit_rate)
        runs = measure(html_path, args.runs)
    size = html_path.stat().st_size if args.out else None
    size = size or len(render_html(report, html_path).encode("utf-8"))
    hours = report["recording"]["duration"] / 3600
    med = {k: statistics.median(r[k] for r in runs) for k in ("ready", "script", "paint", "load", "wall", "click", "filter")}
    figures = {
        "audio_hours": round(hours, 3), "words": report["summary"]["recorded_words"],
        "discrepancies": len(report["discrepancies"]), "dom_elements": runs[0]["nodes"],
        "html_bytes": size, "bytes_per_audio_hour": round(size / hours), "render_s": round(render_s, 2),
        "runs": args.runs, **{f"median_{k}_ms": round(v, 1) for k, v in med.items()},
        "goal_ms": GOAL_MS, "within_goal": med["ready"] < GOAL_MS and med["load"] < GOAL_MS,
    }
    print(f"| report | audio | words | discrepancies | DOM elements | HTML size | per hour of audio | render |\n"
          f"|---|---|---|---|---|---|---|---|\n"
          f"| synthetic | {hours:.2f} h | {figures['words']} | {figures['discrepancies']} | {figures['dom_elements']} "
          f"| {size / 1e6:.2f} MB | {size / hours / 1e6:.2f} MB | {render_s:.1f} s |\n")
    print(f"| median of {args.runs} loads in headless Chromium | ms |\n|---|---|\n"
          f"| navigation to interactive (script done) | {med['ready']:.0f} |\n"
          f"| of which report.js | {med['script']:.0f} |\n"
          f"| navigation to first contentful paint | {med['paint']:.0f} |\n"
          f"| navigation to load event | {med['load']:.0f} |\n"
          f"| goto to ready flag, as Playwright sees it | {med['wall']:.0f} |\n"
          f"| click on a word near the end, until the player moved | {med['click']:.1f} |\n"
          f"| tick a filter, until the counts followed | {med['filter']:.1f} |\n")
    print(f"interactive in under {GOAL_MS / 1000:.0f} s: {'yes' if figures['within_goal'] else 'NO'}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"runs": runs, **figures}, indent=1) + "\n", encoding="utf-8")
    return 0 if figures["within_goal"] else 1


if __name__ == "__main__":
    sys.exit(main())
