"""`transcheck evidence`: clips cut from the original recording, citations, a manifest whose hashes check."""

from __future__ import annotations

import hashlib
import json
import wave
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from synthetic import synthetic_report
from transcheck.audio import file_sha256
from transcheck.cli import main
from transcheck.clips import read_wav, span_samples
from transcheck.models import Discrepancy
from transcheck.report import write_json

RATE = 44100


def write_signal(path: Path, seconds: float, rate: int = RATE, channels: int = 2) -> np.ndarray:
    """A stereo WAV whose every frame is different (a chirp per channel), so a cut shows where it came from."""
    t = np.arange(int(seconds * rate)) / rate
    data = np.stack([np.sin(2 * np.pi * (200 + 40 * t) * t), np.sin(2 * np.pi * (330 + 25 * t) * t)][:channels], 1)
    pcm = np.round(data * 20000).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    return pcm


@pytest.fixture
def made(tmp_path):
    """A report on a real stereo 44.1 kHz WAV (its true hash), and that WAV's samples."""
    recording = tmp_path / "briefing.wav"
    report = synthetic_report(0.02, seed=5, recording=str(recording))
    pcm = write_signal(recording, report["recording"]["duration"])
    report["recording"].update(sha256=file_sha256(recording), sample_rate=RATE, channels=2)
    write_json(report, tmp_path / "report.json")
    return tmp_path, report, pcm


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def alarms(report):
    return [d for d in report["discrepancies"] if Discrepancy.from_dict(d).is_alarm]


def test_every_alarm_gets_a_clip_citation_and_checked_hashes(made):
    folder, report, pcm = made
    out = folder / "evidence"
    result = run("evidence", folder / "report.json", "-o", out)
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    wanted = alarms(report)
    assert wanted and [i["id"] for i in manifest["items"]] == [d["id"] for d in sorted(
        wanted, key=lambda d: d["recording"]["start"])]
    assert manifest["recording"]["sha256"] == file_sha256(folder / "briefing.wav")
    assert manifest["official"] == {"path": report["official"]["path"], "sha256": report["official"]["sha256"]}
    assert manifest["transcheck_version"] and manifest["settings"]["evidence"]["context"] == 2.0
    by_id = {d["id"]: d for d in report["discrepancies"]}
    duration = report["recording"]["duration"]
    for item in manifest["items"]:
        data = (out / item["clip"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == item["clip_sha256"]
        clip = read_wav(data)
        d = by_id[item["id"]]
        start, end = max(0.0, d["recording"]["start"] - 2), min(duration, d["recording"]["end"] + 2)
        assert (item["start"], item["end"]) == (round(start, 3), round(end, 3))
        assert clip.sample_rate == RATE and clip.channels == 2
        assert abs(clip.duration - (end - start)) < 1.5 / RATE
        a, b = span_samples(item["start"], item["end"], RATE)
        assert np.array_equal(clip.samples, pcm[a:b])  # the very samples of the original
        citation = json.loads((out / f"{item['id']}.json").read_text(encoding="utf-8"))
        assert citation["said"] == d["recording"]["text"] == item["said"]
        assert citation["printed"] == d["official"]["text"] == item["printed"]
        assert citation["title"] == "Synthetic briefing" and citation["date"] == "2024-03-01"
        assert citation["verdict"] == d["verdict"] and citation["verdict_sentence"]
        text = (out / f"{item['id']}.txt").read_text(encoding="utf-8")
        assert citation["verdict_sentence"] in text and item["clip"] in text


def test_chosen_ids_and_context(made):
    folder, report, _ = made
    ids = [d["id"] for d in report["discrepancies"][:2]]
    out = folder / "two"
    assert run("evidence", folder / "report.json", "-o", out, "--id", ids[1], "--id", ids[0],
               "--context", "0.5").exit_code == 0
    items = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["items"]
    assert [i["id"] for i in items] == [ids[1], ids[0]]
    d = report["discrepancies"][0]
    assert items[1]["start"] == round(max(0.0, d["recording"]["start"] - 0.5), 3)
    result = run("evidence", folder / "report.json", "-o", out, "--id", "d999")
    assert result.exit_code == 2 and result.output.startswith("Error: no discrepancy d999")


def test_a_changed_recording_is_refused(made):
    folder, _, _ = made
    with open(folder / "briefing.wav", "r+b") as fh:
        fh.seek(1000)
        fh.write(b"\x01\x02")
    result = run("evidence", folder / "report.json", "-o", folder / "evidence")
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "no longer matches the report" in result.output
    assert not (folder / "evidence").exists()


def test_a_moved_recording_is_found_with_recording_option(made):
    folder, _, _ = made
    moved = folder / "moved.wav"
    (folder / "briefing.wav").rename(moved)
    result = run("evidence", folder / "report.json", "-o", folder / "ev")
    assert result.exit_code == 2 and "pass --recording" in result.output
    assert run("evidence", folder / "report.json", "-o", folder / "ev", "--recording", moved).exit_code == 0


@pytest.mark.model
def test_evidence_from_the_sample_mp3(tmp_path, sample_dir, session_cache_dir):
    """The real check of the sample, then its evidence: the clip is cut from the MP3 at its own rate."""
    report_json = tmp_path / "report.json"
    result = run("check", sample_dir / "briefing.mp3", sample_dir / "official.txt", "--json", report_json,
                 "--cache-dir", session_cache_dir, "-q")
    assert result.exit_code == 0, result.output
    out = tmp_path / "evidence"
    assert run("evidence", report_json, "-o", out).exit_code == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    said = " ".join(i["said"] for i in manifest["items"])
    assert "judicial system" in said and "Anna" in said  # the name under [inaudible] is an alarm now
    for item in manifest["items"]:
        clip = read_wav((out / item["clip"]).read_bytes())
        assert clip.sample_rate == 16000 and abs(clip.duration - (item["end"] - item["start"])) < 0.01


@pytest.mark.model
def test_batch_writes_evidence_for_every_briefing(tmp_path, session_cache_dir):
    from briefings import BRIEFINGS, make_archive

    root = make_archive(tmp_path / "archive", briefings=BRIEFINGS[-2:])
    out = tmp_path / "reports"
    result = CliRunner().invoke(main, ["batch", str(root), "-o", str(out), "--evidence", "--threads", "1",
                                       "--cache-dir", str(session_cache_dir)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    ids = sorted(b.rel_stem.replace("/", "--") for b in BRIEFINGS[-2:])
    assert sorted(p.name for p in (out / "evidence").iterdir()) == ids
    for job_id in ids:
        report = json.loads((out / f"{job_id}.json").read_text(encoding="utf-8"))
        manifest = json.loads((out / "evidence" / job_id / "manifest.json").read_text(encoding="utf-8"))
        assert [i["id"] for i in manifest["items"]] == [d["id"] for d in sorted(
            alarms(report), key=lambda d: d["recording"]["start"])]
        assert manifest["recording"]["sha256"] == report["recording"]["sha256"]
        for item in manifest["items"]:
            data = (out / "evidence" / job_id / item["clip"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == item["clip_sha256"]
    wfp = json.loads((out / "evidence" / "field--2018-05-20-wfp" / "manifest.json").read_text(encoding="utf-8"))
    assert any("Donors have already promised" in i["printed"] for i in wfp["items"])
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "NER-style" in index
