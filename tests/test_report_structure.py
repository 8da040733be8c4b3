"""The report shows coverage and moved/repeated passages plainly: summary lines, timeline, filters, CSV."""

from __future__ import annotations

from test_coverage import BRIEFING, CHATTER, heard
from test_passages import A, B, C
from helpers import Html as Page

from transcheck.classify import summarize
from transcheck.options import CheckOptions
from transcheck.pipeline import CheckResult, compared
from transcheck.report import format_summary, render_html
from transcheck.sources import official_from_text


def report_of(transcript, printed: str) -> dict:
    official = official_from_text(printed)
    c = compared(official, transcript, CheckOptions())
    return CheckResult(
        audio_path="briefing.wav", audio_sha256="f" * 64, duration=transcript.duration, channels=1,
        official=official, transcript=transcript, rec_tokens=c.rec, off_tokens=c.off, ops=c.ops,
        discrepancies=c.found, summary=summarize(c.rec, c.off, c.ops, c.found, c.coverage),
        options=CheckOptions(verify=False), coverage=c.coverage).to_dict()


def test_chatter_before_the_briefing_is_a_summary_line_a_shaded_stretch_and_readable_words():
    report = report_of(heard((CHATTER, 0.0), (BRIEFING, 3.0)), BRIEFING)
    assert report["coverage"]["recording"][0]["reason"] == "before the transcript begins"
    assert report["discrepancies"] == [] and report["summary"]["alarms"] == 0
    page = Page(render_html(report))
    text = " ".join(page.text)
    assert "The recording runs 0:00\u20130:09 before the transcript begins: 25 words, not checked." in text
    assert "We are still waiting for the spokesperson" in text
    assert [a for a in page.all("rect") if a.get("class") == "uncovered"]
    assert sum(1 for w in report["words"] if w["status"] == "coverage") == 25
    assert "not covered: The recording runs 0:00\u20130:09 before the transcript begins" in format_summary(report)


def test_moved_and_repeated_passages_have_their_filter_lane_and_count():
    moved = report_of(heard((f"{A} {B} {C}", 0.0)), f"{B}\n\n{A}\n\n{C}")
    repeated = report_of(heard((f"{A} {B} {C}", 0.0)), f"{A}\n\n{B}\n\n{B}\n\n{C}")
    assert moved["summary"]["counts"]["moved"]["cosmetic"] == 1
    assert repeated["summary"]["counts"]["repeated"]["cosmetic"] == 1
    for report, kind, lane in ((moved, "moved", 3), (repeated, "repeated", 4)):
        page = Page(render_html(report))
        boxes = {a["value"] for a in page.all("input") if a.get("type") == "checkbox"}
        assert f"k-{kind}" in boxes
        marks = [a for a in page.all("rect") if f"k-{kind}" in a.get("class", "").split()]
        assert marks and all(a["y"] == str(lane * 13) for a in marks)
        assert f"{kind} 0+1" in format_summary(report)


def test_batch_row_and_csv_count_moved_repeated_and_what_is_not_covered():
    import csv
    import io

    from transcheck.batch.index import SUMMARY_FIELDS, briefing_row
    from transcheck.batch.inputs import Job

    job = Job("b1", "/a/x.mp3", "/a/x.txt")
    row = briefing_row(job, report_of(heard((f"{A} {B} {C}", 0.0)), f"{B}\n\n{A}\n\n{C}"))
    assert (row["moved"], row["repeated"], row["alarms"]) == (1, 0, 0)
    row = briefing_row(job, report_of(heard((CHATTER, 0.0), (BRIEFING, 3.0)), BRIEFING))
    assert row["uncovered_recording_s"] > 9 and row["alarms"] == 0
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=SUMMARY_FIELDS, extrasaction="ignore")
    writer.writeheader()
    writer.writerow(row)
    assert {"moved", "repeated", "uncovered_recording_s"} <= set(out.getvalue().splitlines()[0].split(","))
