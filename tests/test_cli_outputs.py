"""Where `check` writes: default reports named from the recording, JSON to stdout, refused paths, folders."""

import json
import re

import pytest

from helpers import assert_error, run


@pytest.mark.model
def test_default_reports_go_to_the_current_folder_named_from_the_recording(tmp_path, monkeypatch, recording,
                                                                           official, session_cache_dir):
    monkeypatch.chdir(tmp_path)
    result = run("check", recording, official, "--cache-dir", session_cache_dir)
    assert result.exit_code == 0, result.output
    html, report = tmp_path / "briefing-report.html", tmp_path / "briefing-report.json"
    assert html.read_text().startswith("<!DOCTYPE html>")
    assert json.loads(report.read_text())["schema"] == "transcheck.report/1"
    assert "HTML report: briefing-report.html" in result.stderr
    assert "JSON report: briefing-report.json" in result.stderr
    assert "more in the report" not in result.stderr
    page = html.read_text()
    assert "<h1>Unmiss 2017 briefing</h1>" in page  # not the bare file stem "briefing"
    # "As recorded" shows the words as Whisper wrote them, punctuation and capitals kept
    recorded = re.findall(r'<div class="rec"[^>]*>(.*?)</div>', page, re.DOTALL)
    said = " ".join(re.sub(r"<[^>]+>", " ", cell) for cell in recorded)
    assert "Thank you," in " ".join(said.split()) and "Nordic Radio." in " ".join(said.split())
    # a second run replaces its own earlier reports
    assert run("check", recording, official, "-q", "--cache-dir", session_cache_dir).exit_code == 0


def test_default_name_taken_by_someone_elses_file_is_refused(tmp_path, monkeypatch, recording, official):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "briefing-report.html").write_text("<p>my notes</p>")
    assert_error(run("check", recording, official, "--no-cache"), "briefing-report.html",
                 "not a transcheck report", "-o")
    assert (tmp_path / "briefing-report.html").read_text() == "<p>my notes</p>"


@pytest.mark.model
def test_json_dash_goes_to_stdout_and_the_summary_to_stderr(tmp_path, monkeypatch, recording, official,
                                                            session_cache_dir):
    monkeypatch.chdir(tmp_path)
    result = run("check", recording, official, "--json", "-", "--cache-dir", session_cache_dir)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["schema"] == "transcheck.report/1"
    assert "faithful:" in result.stderr and "faithful" not in result.stdout.split("\n", 1)[0]
    assert [p.name for p in tmp_path.iterdir()] == ["official.txt"]  # no file named '-', and no default reports either


def test_html_to_stdout_is_refused_with_the_json_alternative(recording, official):
    assert_error(run("check", recording, official, "-o", "-", "--no-cache"), "give a name such as report.html",
                 "--json -")


def test_same_path_for_html_and_json_is_refused(tmp_path, recording, official):
    same = tmp_path / "out" / "same.x"
    assert_error(run("check", recording, official, "-o", same, "--json", same, "--no-cache"),
                 "same.x", "both -o and --json")
    assert not (tmp_path / "out").exists()


@pytest.mark.model
def test_missing_output_folder_is_created(tmp_path, recording, official, session_cache_dir):
    html, report = tmp_path / "new" / "deeper" / "r.html", tmp_path / "other" / "r.json"
    result = run("check", recording, official, "-o", html, "--json", report, "-q", "--cache-dir", session_cache_dir)
    assert result.exit_code == 0, result.output
    assert html.is_file() and report.is_file()


@pytest.mark.model
def test_a_folder_for_o_gets_both_reports_named_from_the_recording(tmp_path, recording, official,
                                                                   session_cache_dir):
    result = run("check", recording, official, "-o", f"{tmp_path / 'reports'}/", "--cache-dir", session_cache_dir)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["briefing-report.html", "briefing-report.json"]
    assert f"HTML report: {tmp_path / 'reports' / 'briefing-report.html'}" in result.stderr


def test_a_folder_for_o_never_replaces_someone_elses_file(tmp_path, recording, official):
    (tmp_path / "briefing-report.json").write_text("{}")
    assert_error(run("check", recording, official, "-o", tmp_path, "--no-cache"), "not a transcheck report")


def test_output_folder_blocked_by_a_file(tmp_path, recording, official):
    (tmp_path / "taken").write_text("x")
    assert_error(run("check", recording, official, "-o", tmp_path / "taken" / "r.html"), "is a file, not a folder")


def test_two_recordings_say_the_second_must_be_the_transcript(recording, official):
    result = run("check", recording, recording, "--no-cache")
    assert_error(result, "is an MP3 audio file, not a transcript", "the second file must be the official transcript")
    assert "pass the recording first" not in result.stderr


def test_truncated_m4a_is_called_damaged_or_truncated(tmp_path, official, recording):
    from transcheck.audio import load_audio

    import av
    import numpy as np

    path = tmp_path / "briefing.m4a"
    samples = load_audio(recording).samples[: 16000 * 5]
    with av.open(str(path), "w") as out:
        stream = out.add_stream("aac", rate=16000)
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(samples[None].astype(np.float32), format="flt", layout="mono")
        frame.sample_rate = 16000
        for packet in [*stream.encode(frame), *stream.encode()]:
            out.mux(packet)
    data = path.read_bytes()
    assert data.rfind(b"moov") > len(data) // 2  # the index comes last: a cut-off download loses it
    path.write_bytes(data[: len(data) // 2])
    result = run("check", path, official, "--no-cache")
    assert_error(result, str(path), "damaged or truncated")
    assert "Errno" not in result.stderr


def test_summary_says_which_file_holds_the_rest():
    from synthetic import synthetic_report
    from transcheck.report import format_summary

    report = synthetic_report(0.05, seed=1)
    text = format_summary(report, top=1, more_in="out/briefing-report.html")
    assert "more in out/briefing-report.html" in text and "more in the report" not in text
