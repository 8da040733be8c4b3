"""Damaged files of every format: a transcript or one OfficialTextError, never another exception."""

import random

import pytest

from format_builders import make_docx, make_html, make_pdf, make_vtt
from transcheck.errors import OfficialTextError
from transcheck.sources import read_official

TURNS = [("SPOKESPERSON", "Good afternoon. We have received nine allegations this year, and the names of "
                          "those accused are not published on the website of the mission."),
         ("QUESTION", "Thank you. What happens to these cases?")]
BUILDERS = {"pdf": make_pdf, "docx": make_docx, "html": make_html, "vtt": make_vtt}


@pytest.mark.parametrize("fmt", list(BUILDERS))
def test_random_damage_never_escapes_as_another_error(tmp_path, fmt):
    data = BUILDERS[fmt](tmp_path / f"good.{fmt}", TURNS).read_bytes()
    rng = random.Random(fmt)
    outcomes = set()
    for i in range(25):
        damaged = bytearray(data)
        for _ in range(rng.choice((1, 5, 40))):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        if i % 5 == 4:
            damaged = damaged[: rng.randrange(len(damaged))]
        path = tmp_path / f"bad{i}.{fmt}"
        path.write_bytes(bytes(damaged))
        try:
            read_official(path)
            outcomes.add("read")
        except OfficialTextError as exc:
            assert "\n" not in str(exc) and str(path) in str(exc)
            outcomes.add("refused")
    assert "refused" in outcomes or fmt in ("html", "vtt")
