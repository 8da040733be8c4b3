"""`transcheck batch` on a real terminal (a pty): its bar agrees with its audio counter, and Ctrl-C is clean."""

import re
import shutil

import pytest

from conftest import SAMPLE
from helpers import run_in_pty

pytestmark = pytest.mark.model

BAR = re.compile(r"batch:\s+(\d+)%\|[^|]*\| (\d+)/(\d+) briefings[^,]*, ([\d:]+)/([\d:]+) audio")


def seconds(clock: str) -> int:
    h, m, s = (int(x) for x in clock.split(":"))
    return h * 3600 + m * 60 + s


def make_archive(root, copies: int):
    root.mkdir()
    for day in range(7, 7 + copies):
        shutil.copy(SAMPLE / "briefing.mp3", root / f"2017-12-{day:02d}-unmiss.mp3")
        shutil.copy(SAMPLE / "official.txt", root / f"2017-12-{day:02d}-unmiss.txt")
    return root


@pytest.fixture
def archive(tmp_path):
    return make_archive(tmp_path / "archive", 2)


def test_the_bar_and_its_audio_counter_agree(archive, tmp_path):
    status, shown = run_in_pty(["batch", archive, "-o", tmp_path / "out", "--cache-dir", tmp_path / "cache",
                                "--no-verify", "--threads", "1"], tmp_path)
    assert status == 0, shown
    states = [tuple(m.groups()) for m in BAR.finditer(shown)]
    assert states and states[-1][0] == "100" and states[-1][1:3] == ("2", "2")
    for percent, _, _, heard, total in states:
        assert abs(int(percent) - 100 * seconds(heard) / seconds(total)) <= 2, (percent, heard, total)
    assert any(0 < int(p) < 100 for p, *_ in states)  # it moved while the briefings were heard


def test_ctrl_c_during_transcription_ends_with_one_clean_line(tmp_path):
    def transcribing(text: str) -> bool:
        return any(seconds(m.group(4)) > 0 and m.group(1) != "100" for m in BAR.finditer(text))

    # eight briefings, so that the batch is still transcribing when the Ctrl-C comes: with two, on a
    # fast machine it once finished (10 s) before this test, lagging on a loaded CI machine, had read
    # the first bar and sent it (it stops at the Ctrl-C, so more briefings cost no time)
    archive = make_archive(tmp_path / "archive", 8)
    status, shown = run_in_pty(["batch", archive, "-o", tmp_path / "out", "--cache-dir", tmp_path / "cache",
                                "--no-verify", "--threads", "1", "--workers", "2"], tmp_path, transcribing)
    assert status == 130, shown
    assert "Interrupted; nothing half-written was left behind." in shown
    assert "leaked semaphore" not in shown and "Traceback" not in shown and "KeyboardInterrupt" not in shown
    assert not list((tmp_path / "out").glob("*.json"))  # nothing was finished, nothing half-written
