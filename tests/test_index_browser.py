"""The batch index in headless Chromium: every column on screen at 1024 and 1400 px, dates sort as
dates, and the uncertain filter (alarms that need a human listen)."""

from __future__ import annotations

import json

import pytest

from browser import launch, missing
from test_batch_index import HEARD, PRINTED, fake_report
from transcheck.batch.index import collect_rows, render_index, sortable_date
from transcheck.batch.inputs import BatchInputs, Job
from transcheck.batch.types import BatchResult, Failure

WHY = missing()
DATES = ("4 Dec 2025", "12 Nov 2025", "1 Dec 2025", "December 20, 2024", "2025-01-30")


def test_manifest_dates_sort_as_dates():
    assert [sortable_date(d) for d in DATES] == ["2025-12-04", "2025-11-12", "2025-12-01", "2024-12-20",
                                                "2025-01-30"]
    assert sortable_date("spring 2019") > sortable_date("2025-12-31")  # not a date: after the dates


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    out = tmp_path_factory.mktemp("index")
    jobs = tuple(Job(f"unmiss-press-briefing-{k}", f"/archive/unmiss-press-briefing-{k}.m4a",
                     f"/archive/unmiss-press-briefing-{k}.pdf", date, None, "spokesperson")
                 for k, date in enumerate(DATES))
    for k, job in enumerate(jobs):
        report = fake_report(HEARD, PRINTED)
        for n, d in enumerate(x for x in report["discrepancies"] if x["severity"] == "substantive"):
            d["verdict"] = "uncertain" if k % 2 and n == 0 else "confirmed"
        (out / f"{job.id}.json").write_text(json.dumps(report), encoding="utf-8")
    failure = Failure("broken", "/archive/broken.m4a", "/archive/broken.pdf",
                      "/archive/broken.m4a: cannot be decoded: the file is damaged or truncated, or is not a "
                      "recording; pass the complete recording (wav, mp3, flac, ogg/opus, m4a or mp4)", "AudioError")
    result = BatchResult(str(out), jobs, (), tuple(j.id for j in jobs), (failure,), ())
    path = out / "index.html"
    path.write_text(render_index(collect_rows(BatchInputs(str(out), jobs), result), result), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def browser():
    if WHY:
        pytest.skip(WHY)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.mark.parametrize("width", [1024, 1400])
def test_nothing_is_off_screen(browser, index, width):
    page = browser.new_page(viewport={"width": width, "height": 800})
    try:
        page.goto(index.as_uri())
        outside = page.evaluate("""() => Array.from(document.querySelectorAll('body *'))
            .filter((el) => { const r = el.getBoundingClientRect(); return r.width && r.right > innerWidth + 0.5; })
            .map((el) => el.tagName + ' ' + (el.textContent || '').trim().slice(0, 30))""")
        assert outside == []
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        for name in ("Faithful", "Where", "Report", "Uncertain"):  # the columns once pushed off-screen
            box = page.get_by_role("columnheader", name=name).bounding_box()
            assert box and box["x"] + box["width"] <= width
    finally:
        page.close()


def test_date_column_sorts_as_dates_and_the_uncertain_filter(browser, index):
    page = browser.new_page(viewport={"width": 1024, "height": 800})
    try:
        page.goto(index.as_uri())
        page.get_by_role("button", name="Date").click()
        dates = page.evaluate("() => Array.from(document.querySelectorAll('#briefings tbody tr'))"
                              ".map((tr) => tr.cells[1].textContent)")
        assert dates == ["December 20, 2024", "2025-01-30", "12 Nov 2025", "1 Dec 2025", "4 Dec 2025"]
        page.get_by_label("Only briefings with uncertain discrepancies (2)").check()
        shown = page.evaluate("() => Array.from(document.querySelectorAll('#briefings tbody tr'))"
                              ".filter((tr) => !tr.hidden).map((tr) => tr.cells[1].textContent)")
        assert sorted(shown) == ["12 Nov 2025", "December 20, 2024"]  # the 2nd and 4th have an uncertain alarm
    finally:
        page.close()
