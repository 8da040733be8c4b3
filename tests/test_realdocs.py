"""Real published transcripts from ../shared/realdocs, scored against its truth.json (issue 15).

Goals per file: label recall at least 95%, at most one spurious label, no furniture leaking into
the comparison, no spoken phrase lost. Skipped where ../shared is absent.
"""

import json

import pytest

from benchmarks.realdocs import DEFAULT_SHARED, score_file

TRUTH = DEFAULT_SHARED / "truth.json"
NAMES = sorted(json.loads(TRUTH.read_text(encoding="utf-8"))) if TRUTH.exists() else []


@pytest.fixture(scope="module")
def truth():
    if not TRUTH.exists():
        pytest.skip("../shared/realdocs is not present")
    return json.loads(TRUTH.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", NAMES or ["(none)"])
def test_published_transcript_meets_the_goals(truth, name):
    score = score_file(DEFAULT_SHARED / name, truth[name])
    assert score.recall >= 0.95, f"missed labels: {score.missed[:10]}"
    assert len(score.spurious) <= 1, f"spurious labels: {score.spurious}"
    assert score.leaked == (), "furniture reaching the comparison"
    assert score.lost == (), "spoken phrases lost"


def test_front_matter_gives_title_and_date(truth):
    from transcheck.sources import read_official

    official = read_official(DEFAULT_SHARED / "whitehouse_2023-01-13_briefing.md")
    assert official.title.startswith("Press Briefing by Press Secretary Karine Jean-Pierre")
    assert official.date == "2023-01-13"
    assert official.text.startswith("---\ndate:")  # kept, listed as furniture
    assert official.furniture[0].kind == "front matter"
