"""The report's "Save clip" in headless Chromium: the same WAV `transcheck evidence` writes, made in the page.

Skipped when Playwright or Chromium is missing. No server and no network: every request the page
makes is to the report file itself or to data:/blob: URLs.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from browser import browser, missing, wait_ready  # noqa: F401 (browser: a fixture)
from synthetic import synthetic_report
from test_evidence import alarms, write_signal
from transcheck.audio import file_sha256, load_audio
from transcheck.clips import read_wav
from transcheck.evidence import EvidenceOptions, write_evidence
from transcheck.report import write_html, write_json

WHY = missing()
pytestmark = pytest.mark.skipif(WHY is not None, reason=WHY or "")
SAMPLE_MP3 = Path(__file__).resolve().parent.parent / "samples" / "unmiss-2017" / "briefing.mp3"


def make_report(folder: Path, recording: Path, rate: int, channels: int, duration: float) -> dict:
    report = synthetic_report(0.01, seed=11, recording=str(recording))
    report["recording"].update(sha256=file_sha256(recording), sample_rate=rate, channels=channels,
                               duration=duration)
    write_json(report, folder / "report.json")
    return report


def expected_wav(folder: Path, report: dict, ident: str) -> bytes:
    out = folder / "cli-evidence"
    write_evidence(report, out, EvidenceOptions(ids=(ident,)), report_path=folder / "report.json")
    return (out / f"{ident}.wav").read_bytes()


def save_clip(browser, html: Path, ident: str, choose: Path | None = None) -> tuple[bytes | None, str, list[str]]:
    """Click Save clip on `ident`: the downloaded WAV, the status line and the page's requests."""
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(html.as_uri())
        wait_ready(page)
        button = page.locator(f"#{ident} button.save")
        if choose is None:
            with page.expect_download() as info:
                button.click()
            return Path(info.value.path()).read_bytes(), page.locator(f"#{ident} .clip-status").text_content(), requests
        downloads: list = []
        page.on("download", lambda d: downloads.append(d))
        with page.expect_file_chooser() as chooser:
            button.click()
        chooser.value.set_files(str(choose))
        # the script's last word: saved, or why not (rather than waiting out a download that never comes)
        page.wait_for_function("""(id) => /^(Saved|Could not|This report)/.test(
            (document.querySelector('#' + id + ' .clip-status') || {}).textContent || '')""", arg=ident,
                               timeout=15000)
        page.wait_for_timeout(200)  # a download that follows "Saved" is under way by now
        data = Path(downloads[0].path()).read_bytes() if downloads else None
        return data, page.locator(f"#{ident} .clip-status").text_content(), requests
    finally:
        context.close()


def offline(requests: list[str]) -> bool:
    return all(url.startswith(("file:", "data:", "blob:")) for url in requests)


def test_save_clip_from_the_embedded_recording_is_the_evidence_wav(browser, tmp_path):
    recording = tmp_path / "briefing.wav"
    report = synthetic_report(0.01, seed=11, recording=str(recording))
    write_signal(recording, report["recording"]["duration"], rate=44100, channels=2)
    report = make_report(tmp_path, recording, 44100, 2, report["recording"]["duration"])
    write_html(report, tmp_path / "report.html", embed_audio=True)
    ident = alarms(report)[0]["id"]
    data, status, requests = save_clip(browser, tmp_path / "report.html", ident)
    assert data == expected_wav(tmp_path, report, ident)
    assert status == f"Saved {ident}.wav" and offline(requests)


def test_save_clip_from_a_chosen_mp3_is_the_evidence_wav(browser, tmp_path):
    """Not embedded: the reader picks the recording (checked by its sha256); decoded from the MP3 itself."""
    recording = Path(shutil.copy(SAMPLE_MP3, tmp_path / "briefing.mp3"))
    audio = load_audio(recording)
    report = make_report(tmp_path, recording, audio.source_rate, audio.channels, round(audio.duration, 3))
    write_html(report, tmp_path / "report.html")
    ident = alarms(report)[-1]["id"]
    data, status, requests = save_clip(browser, tmp_path / "report.html", ident, choose=recording)
    assert status == f"Saved {ident}.wav" and offline(requests)
    want = expected_wav(tmp_path, report, ident)
    assert data[:44] == want[:44]  # the same format, rate, channels and length
    # Chromium's MP3 decoder rounds float samples differently from FFmpeg's, by 1 in the last bit at most:
    # a few samples in one build, a quarter of them with Debian's Chromium 150 on an AMD machine
    ours, theirs = read_wav(data).samples.astype(int), read_wav(want).samples.astype(int)
    assert np.abs(ours - theirs).max() <= 1 and np.abs(ours - theirs).mean() < 0.5


def test_save_clip_refuses_another_file(browser, tmp_path):
    recording = tmp_path / "briefing.wav"
    report = synthetic_report(0.01, seed=11, recording=str(recording))
    write_signal(recording, report["recording"]["duration"])
    report = make_report(tmp_path, recording, 44100, 2, report["recording"]["duration"])
    write_html(report, tmp_path / "report.html")
    other = tmp_path / "other.wav"
    write_signal(other, 3.0, channels=1)
    data, status, _ = save_clip(browser, tmp_path / "report.html", alarms(report)[0]["id"], choose=other)
    assert data is None and "not the recording the report was made from" in status
