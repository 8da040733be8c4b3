"""The real bundled model on the bundled sample: the case this project was started for."""

import json

import pytest

from helpers import Html
from transcheck.cache import TranscriptCache
from transcheck.options import CheckOptions
from transcheck.pipeline import check
from transcheck.report import render_html

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def result(sample_dir, session_cache_dir, engine):
    return check(str(sample_dir / "briefing.mp3"), str(sample_dir / "official.txt"), CheckOptions(),
                 cache=TranscriptCache(session_cache_dir), engine=engine)


def find(result, needle, side="rec_text"):
    return [d for d in result.discrepancies if needle in getattr(d, side)]


def test_the_recogniser_hears_the_sample(result):
    heard = " ".join(w.text for w in result.transcript.words).lower()
    for phrase in ("allegation", "disposition of the case", "disciplinary measures", "judicial system",
                   "names of the accused"):
        assert phrase in heard
    assert all(0 <= w.probability <= 1 and w.end >= w.start for w in result.transcript.words)


def test_names_passage_is_a_substantive_rewording(result):
    (d,) = find(result, "Those allegations are made clear", "off_text")
    assert d.kind == "rewording" and d.severity == "substantive" and d.verdict == "confirmed"
    assert d.speaker == "SPOKESPERSON"


def test_dropped_clause_is_a_substantive_omission(result):
    (d,) = find(result, "only disciplinary measures")
    assert d.kind == "omission" and d.severity == "substantive" and d.verdict == "confirmed"
    assert d.off_start == d.off_end


def test_false_start_clean_up_is_cosmetic(result):
    (d,) = find(result, "staff member")
    assert d.kind == "omission" and d.severity == "cosmetic"


def test_the_name_printed_as_inaudible_is_reported(result):
    """The sample prints [inaudible] over the journalist's clearly spoken name: that is the publisher's gap."""
    gap = [d for d in result.discrepancies if d.evidence.get("official_gap") == "[inaudible]"]
    assert len(gap) == 1
    (d,) = gap
    assert d.kind == "omission" and d.severity == "substantive" and d.verdict == "confirmed"
    assert d.reason == "marked inaudible, but the recording is clear here" and d.rec_text.startswith("Anna")


def test_equivalences_are_cosmetic(result):
    for d in result.discrepancies:
        if d.off_text in ("it is", "who is"):
            assert d.severity == "cosmetic"
    assert not find(result, "nine")  # "nine" = "9"


def test_json_report_schema_and_offsets(result):
    report = json.loads(json.dumps(result.to_dict()))
    assert report["schema"] == "transcheck.report/1"
    assert set(report) >= {"recording", "official", "engine", "summary", "discrepancies", "words"}
    text = report["official"]["text"]
    assert text == (result.official.path and open(result.official.path, encoding="utf-8").read())
    for d in report["discrepancies"]:
        assert text[d["official"]["start"]:d["official"]["end"]] == d["official"]["text"]
        assert d["kind"] in ("omission", "insertion", "rewording")
        assert d["severity"] in ("cosmetic", "substantive")
        assert d["recording"]["start"] <= d["recording"]["end"]
    for w in report["words"]:
        if w["official"]:
            assert text[w["official"]["start"]:w["official"]["end"]] == w["official"]["text"]
    summary = report["summary"]
    assert summary["counts"]["omission"]["substantive"] >= 1 and 0.3 < summary["faithful_share"] < 0.9
    assert report["engine"]["name"] == "faster-whisper" and "tiny.en" in report["engine"]["model"]


def test_html_report_structure(result, tmp_path):
    page = render_html(result.to_dict(), tmp_path / "r.html")
    parsed = Html(page)
    substantive = [d.id for d in result.discrepancies if d.severity == "substantive"]
    assert set(substantive) <= set(parsed.ids())
    assert parsed.all("audio") and len(parsed.scripts()) == 1
    assert "Content-Security-Policy" in page
    assert "Those allegations are made clear" in page


def test_html_does_not_depend_on_the_run(result, tmp_path):
    """Reports of a rerun are byte-identical: run timings and cache hits stay in the JSON only."""
    report = result.to_dict()
    again = json.loads(json.dumps(report))
    again["timings"] = {k: 0.0 for k in report["timings"]} | {"transcript_cached": True}
    assert render_html(report, tmp_path / "r.html") == render_html(again, tmp_path / "r.html")
