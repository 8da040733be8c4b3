"""The HTML report in a real browser: headless Chromium (Debian's `chromium`) driven by Playwright.

Skipped when Playwright or Chromium is missing; `.ci/run` installs both. The report is a short
synthetic briefing run through the real compare stage, next to a silent WAV the player can seek in.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from browser import browser, missing, wait_ready  # noqa: F401 (browser: a fixture)
from synthetic import synthetic_report, write_wav
from transcheck.report import write_html, write_json
from transcheck.report_view import build_discrepancies, clock

WHY = missing()
pytestmark = pytest.mark.skipif(WHY is not None, reason=WHY or "")


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    report = synthetic_report(0.04, seed=3, recording=str(folder / "briefing.wav"),
                              official_path="https://example.org/briefing-transcript")
    write_wav(folder / "briefing.wav", report["recording"]["duration"])
    write_json(report, folder / "report.json")
    write_html(report, folder / "report.html")
    return folder


@pytest.fixture(scope="module")
def report(report_dir) -> dict:
    from transcheck.schema import load_report

    return load_report(report_dir / "report.json")


class Page:
    """A page on the report, recording every request and every console error."""

    def __init__(self, browser, url: str, **context_args) -> None:
        self.context = browser.new_context(**context_args)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(url)
        wait_ready(self.page)

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def shown_ids(self) -> list[str]:
        return self.js("() => Array.from(document.querySelectorAll('#discrepancies > li'))"
                       ".filter((li) => li.checkVisibility()).map((li) => li.id)")

    def counts(self) -> dict[str, int]:
        return self.js("() => Object.fromEntries(Array.from(document.querySelectorAll('.counts td[data-s]'))"
                       ".map((td) => [td.dataset.k + ' ' + td.dataset.s, +td.querySelector('.n').textContent]))")

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def page(browser, report_dir):
    p = Page(browser, (report_dir / "report.html").as_uri(), viewport={"width": 1280, "height": 900})
    yield p
    p.close()


def _visible_by_default(d: dict) -> bool:
    return d["severity"] == "substantive" and d.get("verdict") != "recognition-error"


def test_report_makes_no_requests_and_logs_no_errors(page, report_dir):
    page.page.locator("#discrepancies button.play").first.click()
    page.page.locator("#filters input[value='s-cosmetic']").check()
    page.page.keyboard.press("j")
    page.page.locator("#timeline .mark").first.hover(force=True)
    assert page.page.locator("#tip").is_visible()
    page.page.wait_for_timeout(300)
    assert page.errors == []
    assert page.requests, "no requests recorded at all"
    assert all(url.startswith(("file:", "data:")) for url in page.requests), page.requests
    assert (report_dir / "report.html").as_uri() in page.requests


def test_clicking_a_word_plays_from_just_before_it(page, report):
    heard = [w["recording"] for w in report["words"] if w["recording"]]
    k = len(heard) // 2
    word = page.page.locator(".rec > span").nth(k)
    assert word.text_content() == heard[k]["text"]
    word.click()
    page.page.wait_for_timeout(400)
    position = page.js("() => document.getElementById('player').currentTime")
    assert heard[k]["start"] - 0.6 <= position <= heard[k]["start"] + 1.5
    page.page.wait_for_timeout(600)  # playing: the word being spoken is highlighted
    speaking = page.js("() => Array.from(document.querySelectorAll('.rec > span')).indexOf("
                       "document.querySelector('.rec > span.speaking'))")
    assert k - 3 <= speaking <= k + 8


def test_clicking_an_official_word_plays_where_it_was_said(page, report):
    matched = [w for w in report["words"] if w["status"] == "match"]
    target = matched[len(matched) // 3]
    printed = [w["official"] for w in report["words"] if w["official"]]
    k = printed.index(target["official"])
    word = page.page.locator(".off > span").nth(k)
    assert word.text_content() == target["official"]["text"]
    word.click()
    page.page.wait_for_timeout(300)
    position = page.js("() => document.getElementById('player').currentTime")
    assert target["recording"]["start"] - 0.6 <= position <= target["recording"]["start"] + 1.5


def test_play_passage_starts_a_second_before_the_discrepancy(page, report):
    first = next(d for d in sorted(report["discrepancies"], key=lambda d: -d["recording"]["start"])
                 if _visible_by_default(d))
    page.page.locator(f"#{first['id']} button.play").click()
    page.page.wait_for_timeout(300)
    position = page.js("() => document.getElementById('player').currentTime")
    assert first["recording"]["start"] - 1.1 <= position <= first["recording"]["start"] + 0.5
    assert page.js("() => location.hash") == f"#{first['id']}"


def test_next_and_previous_keys_move_focus_through_the_list(page):
    shown = page.shown_ids()
    assert len(shown) >= 3
    for expected in shown[:3]:
        page.page.keyboard.press("j")
        assert page.js("() => document.activeElement.id") == expected
    page.page.keyboard.press("k")
    assert page.js("() => document.activeElement.id") == shown[1]
    assert page.js("() => location.hash") == f"#{shown[1]}"
    assert page.js("() => document.getElementById('pos').textContent") == f"2 / {len(shown)}"


def test_next_key_in_the_transcript_goes_to_the_next_marker(page, report):
    heard = [w["recording"] for w in report["words"] if w["recording"]]
    page.page.locator(".rec > span").nth(5).click()
    page.page.keyboard.press("Escape")
    page.page.keyboard.press("n")
    focused = page.js("() => document.activeElement.id")
    assert focused.startswith("w-d")
    expected = min((d for d in report["discrepancies"] if _visible_by_default(d)
                    and d["recording"]["start"] > heard[5]["start"]), key=lambda d: d["recording"]["start"])
    assert focused == f"w-{expected['id']}"


def test_filters_hide_and_show_discrepancies_and_counts_follow(page, report):
    ds = report["discrepancies"]
    default = [d["id"] for d in ds if _visible_by_default(d)]
    assert sorted(page.shown_ids()) == sorted(default)
    subst = sum(1 for d in ds if _visible_by_default(d))
    assert page.counts()[" substantive"] == subst
    assert page.counts()[" cosmetic"] == 0
    page.page.locator("#filters input[value='s-cosmetic']").check()
    cosmetic = [d["id"] for d in ds if d["severity"] == "cosmetic"]
    assert cosmetic and set(cosmetic) <= set(page.shown_ids())
    assert page.counts()[" cosmetic"] == len(cosmetic)
    page.page.locator("#filters input[value='k-omission']").uncheck()
    assert not any(report_id in page.shown_ids() for report_id in (d["id"] for d in ds if d["kind"] == "omission"))
    assert page.counts()["omission substantive"] == 0
    assert page.counts()["omission cosmetic"] == 0
    assert "omissions" in page.js("() => document.getElementById('shown').textContent")
    errors = [d["id"] for d in ds if d.get("verdict") == "recognition-error" and d["kind"] != "omission"]
    assert not set(errors) & set(page.shown_ids())
    page.page.locator("#filters input[value='v-recognition-error']").check()
    assert set(errors) <= set(page.shown_ids())


def test_recognition_errors_are_hidden_but_one_click_away(page, report):
    errors = [d["id"] for d in report["discrepancies"] if d.get("verdict") == "recognition-error"]
    assert errors, "the sample report should hold a recognition error"
    assert not set(errors) & set(page.shown_ids())
    label = page.page.locator("#filters label", has_text="recognition errors")
    assert f"({len(errors)})" in label.inner_text()
    label.click()
    assert set(errors) <= set(page.shown_ids())


def test_copy_puts_a_citation_on_the_clipboard(browser, report_dir, report):
    p = Page(browser, (report_dir / "report.html").as_uri(), permissions=["clipboard-read", "clipboard-write"])
    try:
        d = next(d for d in report["discrepancies"] if _visible_by_default(d) and d["recording"]["text"]
                 and d["official"]["text"])
        p.page.locator(f"#{d['id']} button.copy").click()
        p.page.wait_for_timeout(300)
        text = p.js("() => navigator.clipboard.readText()")
        assert text.splitlines() == [
            f"Synthetic briefing, 2024-03-01 \u2014 recording at {clock(d['recording']['start'])}"
            + (f" ({d['speaker']})" if d["speaker"] else ""),
            f"Said: \u201c{d['recording']['text']}\u201d",
            f"Official transcript (https://example.org/briefing-transcript): \u201c{d['official']['text']}\u201d",
            f"transcheck {d['id']}: {d['kind']}, substantive"
            + {"confirmed": ", confirmed by the audio", "uncertain": ", audio check uncertain"}[d["verdict"]],
        ]
        assert p.errors == []
    finally:
        p.close()


def test_a_link_to_a_hidden_discrepancy_shows_it(browser, report_dir, report):
    cosmetic = next(d for d in report["discrepancies"] if d["severity"] == "cosmetic")
    p = Page(browser, (report_dir / "report.html").as_uri() + f"#{cosmetic['id']}")
    try:
        assert cosmetic["id"] in p.shown_ids()
        assert p.js("() => document.activeElement.id") == cosmetic["id"]
        assert p.js("() => document.querySelector(\"#filters input[value='s-cosmetic']\").checked")
    finally:
        p.close()


def test_timeline_marks_go_to_their_discrepancy(page, report):
    d = next(d for d in report["discrepancies"] if _visible_by_default(d))
    page.page.locator(f"#timeline .mark[data-d='{d['id']}']").click(force=True)
    assert page.js("() => document.activeElement.id") == d["id"]
    box = page.page.locator("#timeline").bounding_box()
    page.page.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + box["height"] - 2)
    page.page.wait_for_timeout(300)
    position = page.js("() => document.getElementById('player').currentTime")
    assert abs(position - 0.75 * report["recording"]["duration"]) < 3


def test_order_toggle_sorts_by_time(page, report):
    page.page.locator("#filters input[value='time']").check()
    by_time = sorted((d for d in report["discrepancies"] if _visible_by_default(d)),
                     key=lambda d: (d["recording"]["start"], int(d["id"][1:])))
    assert page.shown_ids() == [d["id"] for d in by_time]
    page.page.locator("#filters input[value='importance']").check()
    assert page.shown_ids() == [d["id"] for d in build_discrepancies(report) if _visible_by_default(d)]


def test_phone_width_has_no_sideways_scrolling(browser, report_dir):
    p = Page(browser, (report_dir / "report.html").as_uri(), viewport={"width": 390, "height": 844},
             is_mobile=True, has_touch=True)
    try:
        assert p.js("() => document.documentElement.scrollWidth") <= 390
        rec, off = (p.page.locator(f".row#p1 .{c}").bounding_box() for c in ("rec", "off"))
        assert off["y"] >= rec["y"] + rec["height"] - 1  # the columns stack
    finally:
        p.close()


def test_print_shows_both_columns_and_markers_without_controls(page):
    page.page.emulate_media(media="print")
    assert not page.page.locator("#player").is_visible()
    assert not page.page.locator("#filters").is_visible()
    assert not page.page.locator("#discrepancies button.copy").first.is_visible()
    rec, off = (page.page.locator(f".row#p1 .{c}").bounding_box() for c in ("rec", "off"))
    assert abs(rec["y"] - off["y"]) < 2 and off["x"] > rec["x"] + rec["width"] - 1  # side by side
    assert page.page.locator(".grid a.dm").first.is_visible()
    # what is hidden is said, but not "tick a box above": the printout has no boxes
    assert "hidden:" in page.page.locator("#shown").inner_text()
    assert "Tick a box" not in page.page.locator("#shown").inner_text()
    page.page.emulate_media(media="screen")
    assert "Tick a box above to show them." in page.page.locator("#shown").inner_text()


@pytest.mark.parametrize("width", [1280, 390])
def test_no_accessibility_violations(browser, report_dir, width):
    """axe-core (the `axe-playwright-python` package bundles it) finds nothing, every discrepancy shown."""
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    p = Page(browser, (report_dir / "report.html").as_uri(), viewport={"width": width, "height": 900})
    try:
        for box in ("s-cosmetic", "v-recognition-error"):
            p.page.locator(f"#filters input[value='{box}']").check()
        p.page.keyboard.press("j")
        violations = axe.Axe().run(p.page).response["violations"]
        assert [(v["id"], [n["html"][:120] for n in v["nodes"][:3]]) for v in violations] == []
    finally:
        p.close()


def test_a_missing_recording_is_explained(browser, report_dir, report):
    moved = dict(report, recording={**report["recording"], "path": str(report_dir / "elsewhere.wav")})
    write_html(moved, report_dir / "moved.html")
    p = Page(browser, (report_dir / "moved.html").as_uri())
    try:
        p.page.locator("#audio-error").wait_for(state="visible", timeout=5000)
        assert "elsewhere.wav" in p.page.locator("#audio-error").inner_text()
    finally:
        p.close()
