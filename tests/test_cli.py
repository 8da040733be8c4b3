"""The CLI: exact one-line errors with exit status 2, exit codes, outputs never half-written."""

import json

import pytest

from helpers import assert_error, run


def test_help_has_examples():
    result = run("check", "--help")
    assert result.exit_code == 0 and "transcheck check briefing.mp3 official.txt" in result.output
    assert "Example" in run("render", "--help").output


def test_missing_recording(tmp_path, official):
    assert_error(run("check", tmp_path / "nope.mp3", official, "--no-cache"), "nope.mp3", "no such recording")


def test_missing_official(tmp_path, recording):
    assert_error(run("check", recording, tmp_path / "nope.txt", "--no-cache"), "nope.txt", "no such official")


def test_recording_that_is_not_audio(tmp_path, official):
    fake = tmp_path / "briefing.mp3"
    fake.write_text("this is not audio\n" * 50)
    assert_error(run("check", fake, official, "--no-cache"), str(fake), "decoded")


def test_empty_recording(tmp_path, official):
    fake = tmp_path / "briefing.wav"
    fake.write_bytes(b"")
    assert_error(run("check", fake, official, "--no-cache"), "empty")


@pytest.mark.parametrize("content,fragment", [(b"", "empty"), (b"\x00\x01\xff" * 100, "binary")])
def test_bad_official(tmp_path, recording, content, fragment):
    bad = tmp_path / "official.txt"
    bad.write_bytes(content)
    assert_error(run("check", recording, bad, "--no-cache"), str(bad), fragment)


def test_output_is_a_directory(tmp_path, recording, official):
    assert_error(run("check", recording, official, "--json", tmp_path), "is a directory")


def test_output_same_as_input(recording, official):
    assert_error(run("check", recording, official, "--json", official), "is also an input")


def test_unknown_model_name(recording, official):
    assert_error(run("check", recording, official, "--model", "nosuch", "--no-cache"), "unknown model")


def test_missing_model_directory(tmp_path, recording, official):
    assert_error(run("check", recording, official, "--model", tmp_path / "m" / "x", "--no-cache"),
                 "no such model directory")


def test_model_directory_without_model(tmp_path, recording, official):
    assert_error(run("check", recording, official, "--model", tmp_path, "--no-cache"), "missing model.bin")


def test_render_refuses_other_json(tmp_path):
    other = tmp_path / "x.json"
    other.write_text(json.dumps({"hello": 1}))
    assert_error(run("render", other, "-o", tmp_path / "r.html"), "not a transcheck JSON report")


@pytest.mark.model
def test_silence_is_no_speech(tmp_path, official, session_cache_dir):
    import av
    import numpy as np

    path = tmp_path / "silence.wav"
    with av.open(str(path), "w") as out:
        stream = out.add_stream("pcm_s16le", rate=16000)
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(np.zeros((1, 16000 * 4), np.int16), format="s16", layout="mono")
        frame.sample_rate = 16000
        for packet in [*stream.encode(frame), *stream.encode()]:
            out.mux(packet)
    assert_error(run("check", path, official, "--cache-dir", session_cache_dir), "speech")


@pytest.mark.model
def test_check_writes_reports_and_exit_codes(tmp_path, recording, official, session_cache_dir):
    html, report = tmp_path / "r.html", tmp_path / "r.json"
    result = run("check", recording, official, "-o", html, "--json", report, "--cache-dir", session_cache_dir)
    assert result.exit_code == 0, result.output
    assert "substantive" in result.stderr and f"HTML report: {html}" in result.stderr
    data = json.loads(report.read_text())
    assert data["schema"] == "transcheck.report/1" and html.read_text().startswith("<!DOCTYPE html>")
    failing = run("check", recording, official, "--fail-on", "substantive", "-q", "--cache-dir", session_cache_dir)
    assert failing.exit_code == 1 and failing.stderr == ""
    # render re-creates the HTML from the JSON alone
    again = tmp_path / "again.html"
    assert run("render", report, "-o", again).exit_code == 0
    assert again.read_text() == html.read_text()


@pytest.mark.model
def test_existing_output_survives_a_failed_run(tmp_path, official, session_cache_dir):
    html = tmp_path / "r.html"
    html.write_text("precious")
    bad = tmp_path / "bad.mp3"
    bad.write_bytes(b"garbage" * 100)
    assert run("check", bad, official, "-o", html, "--cache-dir", session_cache_dir).exit_code == 2
    assert html.read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.mp3", "official.txt", "r.html"]


@pytest.mark.model
def test_wrong_pairing_is_refused_unless_forced(tmp_path, recording, session_cache_dir):
    other = tmp_path / "other.txt"
    other.write_text("SPOKESPERSON: " + " ".join(
        ["The council will meet on Tuesday to discuss the budget of the peacekeeping operations in Mali."] * 4))
    assert_error(run("check", recording, other, "--no-verify", "--cache-dir", session_cache_dir),
                 "do not look like the same briefing", "--force")
    forced = run("check", recording, other, "--no-verify", "--force", "-q", "--cache-dir", session_cache_dir)
    assert forced.exit_code == 0
