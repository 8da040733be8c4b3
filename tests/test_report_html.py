"""The HTML report parsed, without a browser: escaping, the CSP, anchors, nothing lost, render == check."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import Html
from synthetic import result_from_texts, synthetic_report, write_wav
from transcheck.cli import main
from transcheck.report import render_html, write_html, write_json

HOSTILE_SAID = "<script>alert(1)</script>"
HOSTILE_PRINTED = "<img src=x onerror=alert(3)>"
HOSTILE_TITLE = "</title><script>alert(6)</script>"


def _hostile_report() -> dict:
    heard = f"good morning {HOSTILE_SAID} everyone we will discuss javascript:alert(2) the budget today".split()
    printed = (f"SPOKESPERSON: Good morning everyone. {HOSTILE_PRINTED} We will discuss the budget today.\n\n"
               "QUESTION: \"><svg onload=alert(4)> Thank you.\n")
    report = result_from_texts(heard, printed, title=HOSTILE_TITLE, date='"><script>alert(7)</script>',
                               official_path="javascript:alert(8)",
                               recording='x" onerror="alert(9).wav').to_dict()
    for d in report["discrepancies"]:
        d["speaker"] = "<img src=y onerror=alert(5)>"
        d["reason"] = "<b onmouseover=alert(10)>reason</b>"
    report["engine"]["model"] = "<iframe src=javascript:alert(11)>"
    return report


@pytest.fixture(scope="module")
def hostile() -> tuple[dict, Html]:
    report = _hostile_report()
    return report, Html(render_html(report, Path("out/report.html")))


def test_hostile_text_appears_only_as_text(hostile):
    report, page = hostile
    assert report["discrepancies"], "the hostile texts should differ somewhere"
    assert not page.all("img") and not page.all("iframe")
    assert [t for t, _ in page.elements if t == "svg"] == ["svg"]  # the timeline, no injected one
    scripts = page.all("script")
    assert sorted(scripts, key=len) == [{}, {"type": "application/json", "id": "report-data"}]
    for tag, attrs in page.elements:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        for name in ("href", "src"):
            assert not attrs.get(name, "").strip().lower().startswith("javascript:"), (tag, attrs)
    text = "".join(page.text)
    for hostile_text in ("script>alert(1", HOSTILE_PRINTED, HOSTILE_TITLE, "<img src=y onerror=alert(5)>",
                         "<b onmouseover=alert(10)>reason</b>", "javascript:alert(8)", "<iframe src=javascript:alert(11)>"):
        assert hostile_text in text
    data = next(raw for tag, attrs, raw in page.raw if attrs.get("id") == "report-data")
    assert "</" not in data and "<" not in data
    assert json.loads(data)["title"] == HOSTILE_TITLE


def test_the_audio_path_stays_a_path(hostile):
    _, page = hostile
    src = page.all("audio")[0]["src"]
    assert src.endswith("x%22%20onerror%3D%22alert%289%29.wav")


def _csp(page: Html) -> dict[str, list[str]]:
    meta = next(a for a in page.all("meta") if a.get("http-equiv") == "Content-Security-Policy")
    return {d.split()[0]: d.split()[1:] for d in meta["content"].split(";") if d.strip()}


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_csp_allows_exactly_the_inline_script_and_styles(hostile):
    _, page = hostile
    csp = _csp(page)
    assert csp["default-src"] == ["'none'"]
    assert "connect-src" not in csp and "'unsafe-inline'" not in csp["script-src"] + csp["style-src"]
    inline = [raw for tag, attrs, raw in page.raw if tag == "script" and "type" not in attrs]
    assert len(inline) == 1 and csp["script-src"] == [_hash(inline[0])]
    styles = [raw for tag, _, raw in page.raw if tag == "style"]
    assert len(styles) == 2 and sorted(csp["style-src"]) == sorted(_hash(s) for s in styles)


@pytest.fixture(scope="module")
def sample() -> tuple[dict, Html]:
    report = synthetic_report(0.1, seed=5)
    return report, Html(render_html(report, Path("report.html")))


def test_every_discrepancy_has_a_stable_anchor_in_the_list_and_the_transcript(sample):
    report, page = sample
    ids = page.ids()
    assert len(ids) == len(set(ids)), "duplicate ids"
    items = [a["id"] for a in page.all("li") if "disc" in a.get("class", "")]
    assert sorted(items) == sorted(d["id"] for d in report["discrepancies"])
    assert all(f"w-{d['id']}" in ids for d in report["discrepancies"])
    markers = {a["id"]: a["href"] for a in page.all("a") if a.get("id", "").startswith("w-")}
    assert all(href == "#" + ident[2:] for ident, href in markers.items())


def test_the_transcript_keeps_every_word_of_both_sides(sample):
    report, page = sample
    official = report["official"]
    printed = [report["official"]["text"][a:b] for a, b in official["paragraphs"]]
    assert [text for kind, text in page.cells if kind == "off"] == printed
    heard = " ".join(w["recording"]["text"] for w in report["words"] if w["recording"])
    rec_cells = [text for kind, text in page.cells if kind == "rec"]
    spoken = " ".join(" ".join(cell.split()) for cell in rec_cells)
    for label in {lab["speaker"] for lab in official["labels"]}:
        spoken = spoken.replace(label + " ", "")
    spoken = " ".join(w for w in spoken.split() if not (w[0].isdigit() and ":" in w))  # row timestamps
    assert spoken == heard


def test_word_times_follow_the_words(sample):
    report, page = sample
    cells = [a for a in page.all("div") if a.get("role") == "cell" and "rec" in a.get("class", "")]
    times = []
    for cell in cells:  # each cell's first time is absolute, the rest relative to the one before
        t = 0
        for delta in cell["data-times"].split():
            t += int(delta)
            times.append(t / 100)
    assert times == [round(w["recording"]["start"], 2) for w in report["words"] if w["recording"]]


def test_discrepancies_are_listed_by_importance_with_verdicts(sample):
    report, page = sample
    items = [a for a in page.all("li") if "disc" in a.get("class", "")]
    ranked = sorted(report["discrepancies"], key=lambda d: (d["severity"] != "substantive",
                                                            d["verdict"] == "recognition-error", -d["importance"]))
    assert [a["id"] for a in items][:5] == [d["id"] for d in ranked][:5]
    text = "".join(page.text)
    assert "confirmed by the audio" in text and "recognition error" in text
    hidden = {a["id"] for a in items if "hidden" in a}
    assert hidden == {d["id"] for d in report["discrepancies"]
                      if d["severity"] == "cosmetic" or d["verdict"] == "recognition-error"}
    markers = {a["href"][1:] for a in page.all("a") if "hidden" in a and a.get("class", "")[:3] in ("dm ", "gap")}
    assert markers == hidden
    assert {a["data-d"] for a in page.all("rect") if "hidden" in a} == hidden
    cells = [a for a in page.all("td") if "data-s" in a]
    cosmetic = {k: any(d["kind"] == k and d["severity"] == "cosmetic" for d in report["discrepancies"])
                for k in ("omission", "insertion", "rewording", "moved", "repeated")}
    cosmetic[""] = any(cosmetic.values())
    assert len(cells) == 12  # hidden cosmetic ones read "0 of n"
    assert {a["data-k"]: a.get("class") != "same" for a in cells if a["data-s"] == "cosmetic"} == cosmetic
    shown = [t for t in page.text if t.startswith("Showing")]
    assert shown == [f"Showing {sum(d['severity'] == 'substantive' and d['verdict'] != 'recognition-error' for d in report['discrepancies'])} of {len(report['discrepancies'])} discrepancies."]
    boxes = {a["value"]: "checked" in a for a in page.all("input") if a.get("type") == "checkbox"}
    assert boxes == {"k-omission": True, "k-insertion": True, "k-rewording": True, "k-moved": True,
                     "k-repeated": True, "s-substantive": True,
                     "s-cosmetic": False, "v-confirmed": True, "v-uncertain": True, "v-recognition-error": False}


def test_without_verification_there_is_no_verdict_filter():
    report = synthetic_report(0.03, seed=2)
    for d in report["discrepancies"]:
        d["verdict"] = None
        d["evidence"].pop("verification", None)
    report["summary"]["verdicts"] = {"confirmed": 0, "recognition-error": 0, "uncertain": 0}
    page = Html(render_html(report))
    assert not [a for a in page.all("input") if a.get("value", "").startswith("v-")]
    assert "Audio check" not in "".join(page.text)


def test_a_perfect_match_still_renders():
    report = result_from_texts("we met today".split(), "We met today.\n").to_dict()
    assert report["discrepancies"] == []
    page = Html(render_html(report))
    assert "None found" in "".join(page.text)


def test_title_and_date_come_from_the_file_names_when_not_given():
    report = result_from_texts("we met today".split(), "We met today.\n", title=None, date=None,
                               recording="briefings/2019-05-03_press_briefing.mp3").to_dict()
    page = Html(render_html(report))
    assert page.all("h1") and "Press briefing" in "".join(page.text)
    assert "2019-05-03" in [t for t in page.text if t.strip()][:20]


def test_embedded_audio_is_a_data_uri(tmp_path):
    write_wav(tmp_path / "b.wav", 0.5)
    report = result_from_texts("we met today".split(), "We met today.\n", recording=str(tmp_path / "b.wav")).to_dict()
    src = Html(render_html(report, tmp_path / "r.html", embed_audio=True)).all("audio")[0]["src"]
    assert src.startswith("data:audio/") and ";base64," in src
    linked = Html(render_html(report, tmp_path / "r.html")).all("audio")[0]["src"]
    assert linked == "b.wav"


def test_render_from_json_equals_the_written_report(tmp_path):
    report = synthetic_report(0.03, seed=2, recording=str(tmp_path / "briefing #2.wav"))
    write_json(report, tmp_path / "report.json")
    write_html(report, tmp_path / "direct.html")
    result = CliRunner().invoke(main, ["render", str(tmp_path / "report.json"), "-o", str(tmp_path / "rendered.html")])
    assert result.exit_code == 0, result.output
    direct = (tmp_path / "direct.html").read_text(encoding="utf-8")
    assert (tmp_path / "rendered.html").read_text(encoding="utf-8") == direct
    assert 'src="briefing%20%232.wav"' in direct


def test_template_dir_overrides_styles_and_partials(tmp_path):
    report = synthetic_report(0.03, seed=2)
    write_json(report, tmp_path / "report.json")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "report.css").write_text("body { color: #123456; } /* house style */\n", encoding="utf-8")
    (mine / "_legend.html").write_text('<section class="legend"><p>Our own legend</p></section>\n', encoding="utf-8")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["render", str(tmp_path / "report.json"), "-o", str(out),
                                       "--template-dir", str(mine)])
    assert result.exit_code == 0, result.output
    page = Html(out.read_text(encoding="utf-8"))
    styles = [raw for tag, _, raw in page.raw if tag == "style"]
    assert "/* house style */" in styles[0]
    assert "Our own legend" in "".join(page.text)
    assert "Side by side" in "".join(page.text)  # the other partials still come from the package
    assert _hash(styles[0]) in _csp(page)["style-src"]


def test_render_refuses_a_file_that_is_not_a_report(tmp_path):
    (tmp_path / "x.json").write_text('{"a": 1}', encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(tmp_path / "x.json"), "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 2
    assert "not a transcheck JSON report" in result.output


@pytest.mark.model
def test_check_and_render_write_the_same_html(tmp_path, sample_dir, session_cache_dir):
    """The real pipeline on the bundled sample: `render` of its JSON is byte for byte its HTML."""
    if not (sample_dir / "briefing.mp3").is_file():
        pytest.skip("the bundled sample is not present")
    work = tmp_path / "sample"
    shutil.copytree(sample_dir, work)
    args = ["check", str(work / "briefing.mp3"), str(work / "official.txt"), "-o", str(tmp_path / "check.html"),
            "--json", str(tmp_path / "check.json"), "--no-verify", "--cache-dir", str(session_cache_dir), "-q",
            "--title", "UNMISS press conference (sample)", "--date", "2017-12-07"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["render", str(tmp_path / "check.json"), "-o", str(tmp_path / "render.html")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "render.html").read_bytes() == (tmp_path / "check.html").read_bytes()
    page = Html((tmp_path / "check.html").read_text(encoding="utf-8"))
    assert "UNMISS press conference (sample)" in "".join(page.text)


def test_recognition_errors_where_the_recogniser_cannot_follow_are_named_as_such():
    from transcheck.models import NOT_FOLLOWED

    report = synthetic_report(0.03, seed=2)
    target = next(d for d in report["discrepancies"] if d["severity"] == "substantive")
    target["verdict"] = "recognition-error"
    target["evidence"]["verification"] = {"basis": NOT_FOLLOWED, "margin": -40.0, "margin_per_word": -8.0}
    report["summary"]["not_followed"] = 1
    text = " ".join("".join(Html(render_html(report)).text).split())
    assert "1 of the recognition errors lie where the recogniser cannot follow the audio at all" in text
    assert f"audio check: {NOT_FOLLOWED} (noise, radio or crosstalk)" in text
    report["summary"].pop("not_followed")  # a report written before the count existed still renders
    assert "cannot follow the audio at all" not in "".join(Html(render_html(report)).text)


def test_a_second_hearing_is_shown_with_what_still_differs():
    report = synthetic_report(0.03, seed=2)
    target = next(d for d in report["discrepancies"] if d["severity"] == "substantive")
    target["verdict"] = "uncertain"
    target["evidence"]["verification"] = {
        "basis": "second hearing", "margin": 135.0, "margin_per_word": 9.6,
        "second_hearing": {"heard": "It was about 2250 BC <b>", "differences": [
            {"heard": "2250", "printed": "thirty-two fifty", "kind": "rewording", "verdict": "uncertain",
             "margin": -4.6, "basis": "score margin"}]}}
    page = Html(render_html(report))
    text = " ".join("".join(page.text).split())
    assert ("heard again on its own: \u201cIt was about 2250 BC <b>\u201d; \u201c2250\u201d where the text prints "
            "\u201cthirty-two fifty\u201d: uncertain") in text
    assert not [a for t, a in page.elements if t == "b" and not a]  # what was heard stays text


def test_a_recording_the_recogniser_cannot_follow_is_said_so_in_the_report_and_the_summary():
    from transcheck.report import format_summary

    report = synthetic_report(0.03, seed=2)
    report["summary"].update(recording_followed=False, set_aside=3)
    report["summary"]["ner"].update(score=None, not_computed="the recogniser cannot follow this recording")
    text = " ".join("".join(Html(render_html(report)).text).split())
    assert "The recogniser cannot follow most of this recording" in text and "3 verdicts were set aside" in text
    # no share faithful and no accuracy figure for a recording nothing was checked in
    assert "Not measured: the recogniser cannot follow this recording" in text
    assert "are faithfully in the official text" not in text
    assert "NER-style accuracy: not computed (the recogniser cannot follow this recording)" in text
    assert "cannot follow most of this recording" in format_summary(report)
    assert "faithful: not measured" in format_summary(report)
    report["summary"]["recording_followed"] = True
    assert "cannot follow most of this recording" not in "".join(Html(render_html(report)).text)
    assert "cannot follow most" not in format_summary(report)
