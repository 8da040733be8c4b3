"""Reviewers' marks read back from the JSON report (`review` per discrepancy, as `transcheck serve`
exports it): shown on each card of a report `render` makes, escaped, and carried into `evidence`."""

from __future__ import annotations

import json

from helpers import Html, run
from synthetic import synthetic_report
from test_evidence import alarms, write_signal
from transcheck.audio import file_sha256
from transcheck.report import csp_hash, write_json
from transcheck.review import MARKS, Review, review_of

HOSTILE_NOTE = '<script>alert("note")</script> & <img src=x onerror=alert(2)>'


def reviewed_report(tmp_path, recording=None):
    """A synthetic report with a hostile note on an alarm, a mark on a cosmetic discrepancy, one unknown mark."""
    report = synthetic_report(0.02, seed=5, recording=str(recording or tmp_path / "briefing.wav"))
    alarm = alarms(report)[0]
    cosmetic = next(d for d in report["discrepancies"] if d["severity"] == "cosmetic")
    other = next(d for d in report["discrepancies"] if d is not alarm and d is not cosmetic)
    alarm["review"] = Review("recognition-error", HOSTILE_NOTE, 1764683000.5).to_dict()
    cosmetic["review"] = {"mark": "real-edit", "label": "listened: real edit", "note": "", "updated": 1.0}
    other["review"] = {"mark": "from-a-later-version", "note": "kept as written"}
    for d in report["discrepancies"]:
        d.setdefault("review", None)
    return report, alarm, cosmetic, other


def card(page: Html, discrepancy_id: str):
    return page.soup.find("li", id=discrepancy_id)


def test_review_reads_what_serve_writes_and_ignores_empty_ones():
    assert Review.from_dict(Review("real-edit", "n", 2.0).to_dict()) == Review("real-edit", "n", 2.0)
    assert Review("listen-again").label == MARKS["listen-again"] and Review(None, "x").label is None
    assert Review("unknown").label == "unknown"
    assert review_of({"review": None}) is None and review_of({}) is None and review_of({"review": "yes"}) is None
    assert review_of({"review": {"mark": None, "note": "  "}}) is None
    assert review_of({"review": {"mark": 3, "updated": "soon"}}) == Review("3", "", None)


def test_a_rendered_report_shows_each_mark_and_note_as_text(tmp_path):
    report, alarm, cosmetic, other = reviewed_report(tmp_path)
    write_json(report, tmp_path / "report.json")
    result = run("render", tmp_path / "report.json", "-o", tmp_path / "report.html")
    assert result.exit_code == 0, result.output
    raw = (tmp_path / "report.html").read_text(encoding="utf-8")
    page = Html(raw)
    shown = card(page, alarm["id"]).select_one("p.review")
    assert shown["class"] == "review r-recognition-error"
    assert shown.select_one(".rmark").get_text() == "listened: recognition error"
    assert shown.select_one(".note").get_text() == HOSTILE_NOTE  # the reader sees the note as written...
    assert "<script>alert" not in raw and "<img src=x" not in raw  # ...and nothing of it runs
    assert not page.all("img") and len(page.scripts()) == 1
    assert card(page, cosmetic["id"]).select_one("p.review").get_text(" ", strip=True) == \
        "Review: listened: real edit"
    assert card(page, other["id"]).select_one("p.review")["class"] == "review"  # an unknown mark: no style
    unreviewed = [d for d in report["discrepancies"] if not d["review"]]
    assert unreviewed and all(card(page, d["id"]).select_one("p.review") is None for d in unreviewed)
    summary = page.soup.find(id="reviewed").get_text(" ", strip=True)
    assert summary == ("Reviewed by a listener: 1 listened: real edit; 1 listened: recognition error; "
                       "1 from-a-later-version.")
    # the report's own policy still allows exactly its inline script, nothing else
    policy = next(a for a in page.all("meta") if a.get("http-equiv") == "Content-Security-Policy")["content"]
    script = next(raw for tag, attrs, raw in page.raw if tag == "script" and not attrs)
    assert f"script-src '{csp_hash(script)}'" in policy and "default-src 'none'" in policy


def test_evidence_carries_the_marks_and_takes_the_reviewed_discrepancies_too(tmp_path):
    recording = tmp_path / "briefing.wav"
    report, alarm, cosmetic, other = reviewed_report(tmp_path, recording)
    write_signal(recording, report["recording"]["duration"])
    report["recording"].update(sha256=file_sha256(recording), sample_rate=44100, channels=2)
    write_json(report, tmp_path / "report.json")
    result = run("evidence", tmp_path / "report.json", "-o", tmp_path / "evidence")
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "evidence" / "manifest.json").read_text(encoding="utf-8"))
    wanted = {d["id"] for d in alarms(report)} | {cosmetic["id"], other["id"]}
    items = {i["id"]: i for i in manifest["items"]}
    assert set(items) == wanted
    assert [i["id"] for i in manifest["items"]] == [d["id"] for d in sorted(
        (d for d in report["discrepancies"] if d["id"] in wanted), key=lambda d: d["recording"]["start"])]
    assert items[alarm["id"]]["review"] == {"mark": "recognition-error", "label": "listened: recognition error",
                                            "note": HOSTILE_NOTE, "updated": 1764683000.5}
    assert items[cosmetic["id"]]["review"]["mark"] == "real-edit"
    assert all(items[i]["review"] is None for i in items if i not in (alarm["id"], cosmetic["id"], other["id"]))
    citation = json.loads((tmp_path / "evidence" / f"{alarm['id']}.json").read_text(encoding="utf-8"))
    assert citation["review"]["note"] == HOSTILE_NOTE
    text = (tmp_path / "evidence" / f"{cosmetic['id']}.txt").read_text(encoding="utf-8")
    assert "\nReview: listened: real edit\n" in text
    text = (tmp_path / "evidence" / f"{alarm['id']}.txt").read_text(encoding="utf-8")
    assert f"\nReview: listened: recognition error \u201c{HOSTILE_NOTE}\u201d\n" in text
