"""Builders for unit tests: a Transcript from plain text (a fake recogniser), one comparison, a CheckResult,
CLI runs, audio files."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Callable, Optional, Sequence

import numpy as np
from click.testing import CliRunner

from transcheck.cli import main
from transcheck.classify import summarize
from transcheck.engines import ScoreResult
from transcheck.models import Discrepancy, OfficialText, Transcript, Word
from transcheck.options import CheckOptions
from transcheck.pipeline import compare
from transcheck.schema import CheckResult
from transcheck.sources import official_from_text
from transcheck.verify.plans import spoken


def fake_transcript(text: str, probabilities: Optional[Sequence[float]] = None, step: float = 0.4) -> Transcript:
    """Words of `text` as if heard one every `step` seconds, with the given probabilities."""
    words = []
    for i, token in enumerate(text.split()):
        p = probabilities[i] if probabilities else 0.9
        words.append(Word(token, round(i * step, 3), round(i * step + step * 0.8, 3), p))
    return Transcript(tuple(words), len(words) * step, "en", "fake", "fake", {})


WRONG, MISSING, PRIOR = -8.0, -9.0, -1.0  # nats, for SaidEngine


class SaidEngine:
    """A fake recogniser that scores wordings against what was said, word by word: nothing for a word
    said, WRONG for a word that was not, MISSING for each word said between its first and last that it
    leaves out (and puts no wrong word in place of); PRIOR a word on silence. Its second hearing of
    any piece of audio is `heard_again(duration)`."""

    def __init__(self, said: str, heard_again: Optional[Callable[[float], Transcript]] = None) -> None:
        self.said = said.split()
        self.heard_again = heard_again

    def _score(self, text: str) -> tuple[float, ...]:
        words = spoken(re.sub(r"[.,](?=\s|$)", "", text.lower())).split()
        matcher = difflib.SequenceMatcher(a=self.said, b=words, autojunk=False)
        blocks = [b for b in matcher.get_matching_blocks() if b.size]
        scores = [WRONG] * len(words)
        for b in blocks:
            scores[b.b:b.b + b.size] = [0.0] * b.size
        if blocks:  # said words neither matched nor stood in for by a wrong word
            said = blocks[-1].a + blocks[-1].size - blocks[0].a
            wrong = blocks[-1].b + blocks[-1].size - blocks[0].b - sum(b.size for b in blocks)
            scores.append(MISSING * max(0, said - sum(b.size for b in blocks) - wrong))
        return tuple(scores)

    def score(self, audio, requests):
        return [ScoreResult(tuple(((PRIOR,) * len(t.split()) if r.blank else self._score(t)) for t in r.texts))
                for r in requests]

    def transcribe(self, audio, progress=None):  # a second hearing of a piece of the audio
        return self.heard_again(audio.duration)


def compare_texts(heard: str, printed: str, **options):
    """Normalise, align and classify `heard` against `printed`; returns (rec, off, ops, found)."""
    official = official_from_text(printed)
    return compare(official, fake_transcript(heard), CheckOptions(**options))


def check_result(official: OfficialText, transcript: Transcript, options: CheckOptions = CheckOptions(verify=False),
                 recording: str = "/a/x.mp3", audio_sha256: str = "0" * 64,
                 verdicts: Optional[Callable[[Discrepancy], Discrepancy]] = None,
                 timings: Optional[dict[str, float]] = None) -> CheckResult:
    """The CheckResult of `transcript` against `official` through the real compare stage (no audio, no model);
    `verdicts` may give each discrepancy a verdict, as the audio check would."""
    rec, off, ops, found = compare(official, transcript, options)
    if verdicts:
        found = tuple(verdicts(d) for d in found)
    return CheckResult(recording, audio_sha256, transcript.duration, 1, official, transcript, rec, off, ops, found,
                       summarize(rec, off, ops, found), options, timings or {})


class Html:
    """A page parsed with BeautifulSoup: its elements with their attributes, the text a reader sees,
    the raw content of <script> and <style>, and the text of each transcript cell (markers left out)."""

    def __init__(self, text: str) -> None:
        from bs4 import BeautifulSoup, NavigableString

        # attributes as written (no class lists), so tests compare them as strings
        self.soup = BeautifulSoup(text, "html.parser", multi_valued_attributes=None)
        self.elements: list[tuple[str, dict[str, str]]] = [(e.name, dict(e.attrs)) for e in self.soup.find_all(True)]
        strings = [s for s in self.soup.find_all(string=True) if type(s) is NavigableString]
        self.text: list[str] = [str(s) for s in strings if s.parent.name not in ("script", "style")]
        self.raw: list[tuple[str, dict[str, str], str]] = [
            (e.name, dict(e.attrs), e.string) for e in self.soup.find_all(["script", "style"]) if e.string]
        self.cells: list[tuple[str, str]] = [  # (rec|off, text)
            (cell["class"].split()[0], "".join(str(s) for s in cell.find_all(string=True) if not _in_marker(s, cell)))
            for cell in self.soup.find_all("div", role="cell")]

    def all(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        """The attributes of every `tag` element that has the given attribute values."""
        return [a for t, a in self.elements if t == tag and all(a.get(k) == v for k, v in attrs.items())]

    def ids(self) -> list[str]:
        return [a["id"] for _, a in self.elements if "id" in a]

    def scripts(self) -> list[dict[str, str]]:
        """The <script> elements that run (data blocks left out)."""
        return [a for a in self.all("script") if a.get("type") != "application/json"]


def _in_marker(string, cell) -> bool:
    """Inside a discrepancy marker or a gap mark within a transcript cell."""
    for parent in string.parents:
        if parent is cell:
            return False
        if {"dm", "gap"} & set(parent.get("class", "").split()):
            return True
    return False


def run(*args):
    """Invoke the CLI with `args` (paths welcome) and return click's Result."""
    return CliRunner().invoke(main, [str(a) for a in args])


def assert_error(result, *fragments):
    """Exit status 2 and exactly one `Error: ...` line on stderr holding every fragment."""
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def write_audio(path: Path, samples: np.ndarray, rate: int, codec: str, layout: str = "mono",
                video: bool = False) -> Path:
    """Encode float samples (channels x n) into `path` with PyAV."""
    import av

    with av.open(str(path), "w") as out:
        if video:
            v = out.add_stream("mpeg4", rate=10)
            v.width, v.height, v.pix_fmt = 64, 48, "yuv420p"
        stream = out.add_stream(codec, rate=rate)
        stream.layout = layout
        fmt = stream.codec_context.codec.audio_formats[0].name
        kinds = {"flt": np.float32, "s16": np.int16, "s32": np.int32}
        scale = {"flt": 1.0, "s16": 32767, "s32": 2**31 - 1}
        kind = fmt[:3]
        frame_size = stream.codec_context.frame_size or 1024
        pts = 0
        for start in range(0, samples.shape[1], frame_size):
            chunk = samples[:, start:start + frame_size]
            data = chunk if fmt.endswith("p") else chunk.T.reshape(1, -1)
            data = (data * scale[kind]).astype(kinds[kind])
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(data), format=fmt, layout=layout)
            frame.sample_rate, frame.pts = rate, pts
            pts += chunk.shape[1]
            for packet in stream.encode(frame):
                out.mux(packet)
        if video:
            img = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8), format="rgb24")
            for packet in v.encode(img):
                out.mux(packet)
            for packet in v.encode():
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def tone(seconds=1.0, rate=44100, freq=440.0):
    """A sine tone: float samples at `rate`."""
    t = np.arange(int(seconds * rate)) / rate
    return (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def run_in_pty(args, cwd, interrupt_when=None, timeout: float = 300.0):
    """Run the CLI as a real process with stdout and stderr on a pseudo-terminal (100 columns); returns
    its exit status and what the terminal showed. With `interrupt_when` (a test on the output so far),
    Ctrl-C is sent to the process group, as a terminal does, once it holds."""
    import fcntl
    import os
    import pty
    import select
    import signal
    import struct
    import subprocess
    import sys
    import termios
    import time

    main_fd, side = pty.openpty()
    fcntl.ioctl(side, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a real terminal has a size
    # a terminal's shell starts a foreground job with Ctrl-C at its default; a test run started in the
    # background (`make test &`, a CI runner) has it ignored, and the CLI would inherit that
    proc = subprocess.Popen([sys.executable, "-m", "transcheck.cli", *map(str, args)], cwd=cwd,
                            stdin=subprocess.DEVNULL, stdout=side, stderr=side, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    os.close(side)
    chunks: list[bytes] = []
    deadline, sent = time.monotonic() + timeout, False
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main_fd], [], [], 0.2)
        if ready:
            try:
                data = os.read(main_fd, 4096)
            except OSError:  # the child closed its end
                break
            if not data:
                break
            chunks.append(data)
        if interrupt_when and not sent and interrupt_when(b"".join(chunks).decode("utf-8", "replace")):
            os.killpg(proc.pid, signal.SIGINT)
            sent = True
    os.close(main_fd)
    return proc.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")
