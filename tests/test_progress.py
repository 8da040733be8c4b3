"""The progress display on a real terminal (a pty): every stage on its own named line; none in a pipe."""

import subprocess
import sys

import pytest

from helpers import run_in_pty


@pytest.mark.model
def test_every_stage_has_a_named_bar_on_a_terminal(tmp_path, recording, official):
    cache = tmp_path / "cache"
    status, shown = run_in_pty(["check", recording, official, "--cache-dir", cache, "-o", tmp_path / "r.html"],
                               tmp_path)
    assert status == 0, shown
    assert "transcribing: 100%" in shown and "s audio" in shown
    assert "checking against the audio: 100%" in shown and "passages" in shown
    # unchanged re-check: transcript and verdicts come from the cache, so neither stage runs again
    status, again = run_in_pty(["check", recording, official, "--cache-dir", cache, "-o", tmp_path / "r.html"],
                               tmp_path)
    assert status == 0, again
    assert "checking against the audio" not in again and "transcribing:" not in again


@pytest.mark.model
def test_no_bar_when_stderr_is_not_a_terminal(tmp_path, recording, official, session_cache_dir):
    proc = subprocess.run([sys.executable, "-m", "transcheck.cli", "check", str(recording), str(official),
                           "--cache-dir", str(session_cache_dir), "--no-verify", "-o", str(tmp_path / "r.html")],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "%|" not in proc.stderr and "faithful:" in proc.stderr
