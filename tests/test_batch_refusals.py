"""`transcheck batch` refusing to start, before any model is loaded: bad input, a folder another batch
holds, a missing model, Ray not installed."""

from __future__ import annotations

import sys
from pathlib import Path

from click.testing import CliRunner, Result

from transcheck.cli import main


def batch(*args) -> Result:
    return CliRunner().invoke(main, ["batch", *map(str, args)], catch_exceptions=False)


def pair(folder: Path) -> None:
    """One recording and transcript pair (the recording is never decoded: the batch stops before)."""
    (folder / "a.mp3").write_bytes(b"x")
    (folder / "a.txt").write_text("Words.", encoding="utf-8")


def test_bad_batch_input_exits_2(tmp_path):
    (tmp_path / "m.csv").write_text("path,text\na,b\n", encoding="utf-8")
    result = batch(tmp_path / "m.csv", "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {tmp_path / 'm.csv'}: the CSV header must name")
    result = batch(tmp_path, "-o", tmp_path / "out")
    assert result.exit_code == 2 and "no recording and transcript pairs found" in result.stderr
    pair(tmp_path)
    result = batch(tmp_path, "-o", tmp_path / "out", "--model", tmp_path / "no-model")
    assert result.exit_code == 2 and "no such model directory" in result.stderr


def test_a_second_batch_into_the_same_folder_is_refused(tmp_path):
    import fcntl

    out = tmp_path / "out"
    out.mkdir()
    pair(tmp_path)
    with open(out / ".transcheck-batch.lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = batch(tmp_path, "-o", out)
    assert result.exit_code == 2 and "another transcheck batch is writing here" in result.stderr


def test_ray_executor_without_ray_says_how_to_install_it(tmp_path, monkeypatch):
    pair(tmp_path)
    monkeypatch.setitem(sys.modules, "ray", None)  # as if Ray were not installed
    result = batch(tmp_path, "-o", tmp_path / "out", "--executor", "ray")
    assert result.exit_code == 2
    assert result.stderr == ("Error: the Ray executor needs Ray, which is not installed; run "
                             "`pip install 'transcheck[ray]'`, or use --executor local\n")
