"""Builders for unit tests: a Transcript from plain text (a fake recogniser), one comparison, CLI runs."""

from __future__ import annotations

from typing import Optional, Sequence

from click.testing import CliRunner

from transcheck.cli import main
from transcheck.models import Transcript, Word
from transcheck.options import CheckOptions
from transcheck.pipeline import compare
from transcheck.sources import official_from_text


def fake_transcript(text: str, probabilities: Optional[Sequence[float]] = None, step: float = 0.4) -> Transcript:
    """Words of `text` as if heard one every `step` seconds, with the given probabilities."""
    words = []
    for i, token in enumerate(text.split()):
        p = probabilities[i] if probabilities else 0.9
        words.append(Word(token, round(i * step, 3), round(i * step + step * 0.8, 3), p))
    return Transcript(tuple(words), len(words) * step, "en", "fake", "fake", {})


def compare_texts(heard: str, printed: str, **options):
    """Normalise, align and classify `heard` against `printed`; returns (rec, off, ops, found)."""
    official = official_from_text(printed)
    return compare(official, fake_transcript(heard), CheckOptions(**options))


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
    proc = subprocess.Popen([sys.executable, "-m", "transcheck.cli", *map(str, args)], cwd=cwd,
                            stdin=subprocess.DEVNULL, stdout=side, stderr=side, start_new_session=True)
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
