"""Batch index and summaries from reports of fake recognitions: counts, ranking, speaker, escaping."""

from __future__ import annotations

import csv
import io
import json

from helpers import check_result, fake_transcript
from transcheck.batch.index import briefing_row, collect_rows, render_index, summary_csv
from transcheck.batch.inputs import BatchInputs, Job, Skipped
from transcheck.batch.types import BatchResult, Failure
from transcheck.options import CheckOptions
from transcheck.sources import official_from_text


def fake_report(heard: str, printed: str, options=CheckOptions(verify=False)) -> dict:
    return check_result(official_from_text(printed), fake_transcript(heard), options).to_dict()


HEARD = "we will send four hundred troops to the north next week and we need more money"
PRINTED = "SPOKESPERSON: We will send troops to the south next week. We have all the money we need."


def test_row_counts_substantive_discrepancies_by_kind_and_marks_where_they_fall():
    report = fake_report(HEARD, PRINTED)
    job = Job("b1", "/a/x.mp3", "/a/x.txt", "2017-12-07", None, "spokesperson")
    row = briefing_row(job, report)
    alarms = [d for d in report["discrepancies"] if d["severity"] == "substantive"]
    assert row["alarms"] == len(alarms) == row["omissions"] + row["insertions"] + row["rewordings"] >= 2
    assert row["speaker_alarms"] == row["alarms"]  # every word is in the SPOKESPERSON turn
    assert row["title"] == "X briefing" and row["date"] == "2017-12-07"  # words from the file names
    words = sum(d["recording"]["tokens"][1] - d["recording"]["tokens"][0]
                + d["official"]["tokens"][1] - d["official"]["tokens"][0] for d in alarms)
    total = report["summary"]["recorded_words"] + report["summary"]["official_words"]
    assert row["departure_share"] == round(words / total, 4) > 0
    assert [m["t"] for m in row["marks"]] == row["alarm_times"] == sorted(row["alarm_times"])
    assert all(0 <= m["x"] <= 160 for m in row["marks"])
    assert briefing_row(Job("b1", "/a/x.mp3", "/a/x.txt", speaker="Q"), report)["speaker_alarms"] == 0
    assert briefing_row(Job("b1", "/a/x.mp3", "/a/x.txt"), report)["speaker_alarms"] is None


def test_index_ranks_by_faithful_share_and_escapes_titles(tmp_path):
    faithful = fake_report(HEARD, HEARD)
    departing = fake_report(HEARD, PRINTED)
    jobs = (Job("same", "/a/same.mp3", "/a/same.txt", title="<b>Same</b>"),
            Job("edited", "/a/edited.mp3", "/a/edited.txt"),
            Job("broken", "/a/broken.mp3", "/a/broken.txt"))
    for job, report in zip(jobs, (faithful, departing)):
        (tmp_path / f"{job.id}.json").write_text(json.dumps(report), encoding="utf-8")
    failure = Failure("broken", "/a/broken.mp3", "/a/broken.txt", "cannot decode <this>", "AudioError")
    result = BatchResult(str(tmp_path), jobs, ("same",), ("edited",), (failure,),
                         (Skipped("/a/lone.txt", "no recording named lone.* beside this transcript"),))
    rows = collect_rows(BatchInputs(str(tmp_path), jobs), result)
    assert [r["status"] for r in rows] == ["ok", "ok", "failed"]
    html = render_index(rows, result)
    assert html.index('id="b-edited"') < html.index('id="b-same"')  # most departing first
    assert "&lt;b&gt;Same&lt;/b&gt;" in html and "<b>Same" not in html
    assert "cannot decode &lt;this&gt;" in html and "/a/lone.txt" in html
    table = list(csv.DictReader(io.StringIO(summary_csv(rows))))
    assert [r["id"] for r in table] == ["same", "edited", "broken"]
    assert table[0]["faithful_share"] == "1.0" and table[0]["departure_share"] == "0.0"
    assert table[2]["error"] == "cannot decode <this>"


def not_followed(report: dict) -> dict:
    """The report as verification leaves it where the recogniser cannot follow the recording: every
    substantive discrepancy a recognition error, the summary saying so."""
    for d in report["discrepancies"]:
        if d["severity"] == "substantive":
            d["verdict"] = "recognition-error"
            d["evidence"]["verification"] = {"basis": "the recogniser cannot follow this audio",
                                             "recording_followed": False}
    report["summary"].update(recording_followed=False, ner={**report["summary"]["ner"], "score": None})
    return report


def test_a_briefing_the_recogniser_cannot_follow_is_listed_last_as_not_checked(tmp_path):
    # with every discrepancy set aside it departs by nothing: it must not rank as the most faithful
    lost = not_followed(fake_report(HEARD, PRINTED))
    faithful = fake_report(HEARD, HEARD)
    jobs = (Job("lost", "/a/lost.mp3", "/a/lost.txt"), Job("same", "/a/same.mp3", "/a/same.txt"))
    for job, report in zip(jobs, (lost, faithful)):
        (tmp_path / f"{job.id}.json").write_text(json.dumps(report), encoding="utf-8")
    result = BatchResult(str(tmp_path), jobs, ("lost", "same"), (), (), ())
    rows = collect_rows(BatchInputs(str(tmp_path), jobs), result)
    assert [r["recording_followed"] for r in rows] == [False, True]
    assert rows[0]["departure_share"] == 0.0 and rows[0]["ner_score"] is None
    html = render_index(rows, result)
    assert html.index('id="b-same"') < html.index('id="b-lost"')
    assert "1 briefing could not be checked" in html
    lost_row = html[html.index('id="b-lost"'):]
    assert lost_row[:lost_row.index("</tr>")].count("not checked") == 2
    table = list(csv.DictReader(io.StringIO(summary_csv(rows))))
    assert [r["recording_followed"] for r in table] == ["False", "True"]


def test_the_terminal_names_the_briefings_that_could_not_be_checked(tmp_path):
    from transcheck.cli.batch import format_batch

    jobs = (Job("lost", "/a/lost.mp3", "/a/lost.txt"), Job("same", "/a/same.mp3", "/a/same.txt"))
    result = BatchResult(str(tmp_path), jobs, (), ("lost", "same"), (), (), 10.0, 100.0, not_followed=("lost",))
    text = format_batch(result, tmp_path)
    assert "1 not checked, the recogniser cannot follow the recording" in text and text.count("lost") == 1
    assert "not checked" not in format_batch(BatchResult(str(tmp_path), jobs, (), ("same",), (), ()), tmp_path)
