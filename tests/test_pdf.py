"""`-o report.pdf`: the report printed by headless Chromium, read back with pdfminer."""

from __future__ import annotations

import unicodedata

import pytest
from click.testing import CliRunner

from browser import missing
from synthetic import synthetic_report
from transcheck import chromium
from transcheck.cli import main
from transcheck.report import write_json
from transcheck.report_view import clock

WHY = missing()


def pdf_text(path) -> str:
    from pdfminer.high_level import extract_text

    return " ".join(unicodedata.normalize("NFKC", extract_text(str(path))).split())


@pytest.mark.skipif(WHY is not None, reason=WHY or "")
def test_render_writes_a_print_layout_pdf(tmp_path):
    report = synthetic_report(0.01, seed=4, recording=str(tmp_path / "briefing.wav"))
    write_json(report, tmp_path / "report.json")
    result = CliRunner().invoke(main, ["render", str(tmp_path / "report.json"), "-o", str(tmp_path / "r.pdf")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary files left
    text = pdf_text(tmp_path / "r.pdf")
    shown = [d for d in report["discrepancies"] if d["severity"] == "substantive"
             and d.get("verdict") != "recognition-error"]
    assert shown
    for d in shown:
        for side in ("recording", "official"):
            words = " ".join(d[side]["text"].split()[:4])
            assert words in text, (d["id"], words)
        assert f"{d['id']} {clock(d['recording']['start'])}" in text
    for heading in ("As recorded", "Official transcript", "Provenance", "confirmed by the audio", "NER-style"):
        assert heading in text
    assert report["recording"]["sha256"] in text.replace(" ", "")
    for control in ("Save clip", "Play passage", "Copy citation", "Previous", "Tick a box", "until you tick"):
        assert control not in text


def test_pdf_without_chromium_is_one_line_saying_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(chromium, "chromium_path", lambda: None)
    report = synthetic_report(0.01, seed=4)
    write_json(report, tmp_path / "report.json")
    result = CliRunner().invoke(main, ["render", str(tmp_path / "report.json"), "-o", str(tmp_path / "r.pdf")])
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert result.output.startswith("Error: ") and "apt-get install chromium" in result.output
    assert not (tmp_path / "r.pdf").exists()


def test_check_refuses_a_pdf_before_transcribing_when_chromium_is_missing(tmp_path, monkeypatch, sample_dir):
    monkeypatch.setattr(chromium, "chromium_path", lambda: None)
    result = CliRunner().invoke(main, ["check", str(sample_dir / "briefing.mp3"), str(sample_dir / "official.txt"),
                                       "-o", str(tmp_path / "r.pdf"), "--no-cache"])
    assert result.exit_code == 2 and "writing a PDF needs headless Chromium" in result.output
    assert result.output.count("\n") == 1


@pytest.mark.model
@pytest.mark.skipif(WHY is not None, reason=WHY or "")
def test_check_writes_the_sample_report_as_pdf(tmp_path, sample_dir, session_cache_dir):
    result = CliRunner().invoke(main, ["check", str(sample_dir / "briefing.mp3"), str(sample_dir / "official.txt"),
                                       "-o", str(tmp_path / "r.pdf"), "--cache-dir", str(session_cache_dir), "-q"])
    assert result.exit_code == 0, result.output
    text = pdf_text(tmp_path / "r.pdf")
    for said in ("and only disciplinary measures because", "Those allegations are made clear on the website",
                 "marked inaudible, but the recording is clear here"):
        assert said in text
