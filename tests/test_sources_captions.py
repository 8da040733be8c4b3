"""Caption files: cue text in order, roll-up and paint-on repeats removed, cue times as spans."""

import pytest

from format_builders import caption_lines, make_srt, make_vtt
from transcheck.errors import OfficialTextError
from transcheck.normalize import normalize_official
from transcheck.sources import read_official
from transcheck.sources.captions import RawCue, parse_cues, remove_rollup, seconds

TURNS = [
    ("SPOKESPERSON", "Good afternoon. The Secretary-General welcomes the agreement reached in Juba today, "
                     "and José Ramos-Horta said “déjà vu” — it’s fine."),
    ("QUESTION", "Thank you. Will the mission publish the names of those accused?"),
]


def write(tmp_path, text, name="c.vtt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_roll_up_cues_give_each_line_once(tmp_path):
    official = read_official(make_vtt(tmp_path / "c.vtt", TURNS, roll_up=True))
    assert official.format == "vtt"
    assert official.text == f"SPOKESPERSON: {TURNS[0][1]}\n\nQUESTION: {TURNS[1][1]}"
    assert [lab.speaker for lab in official.labels] == ["SPOKESPERSON", "QUESTION"]
    assert official.text == read_official(make_vtt(tmp_path / "p.vtt", TURNS, roll_up=False)).text


def test_cues_are_spans_with_times(tmp_path):
    official = read_official(make_vtt(tmp_path / "c.vtt", TURNS))
    lines = [text for _, text in caption_lines(TURNS)]
    assert [official.text[c.start:c.end] for c in official.cues] == lines
    assert [(c.t0, c.t1) for c in official.cues[:3]] == [(0.0, 1.5), (1.5, 3.0), (3.0, 4.5)]


def test_srt_with_crlf_and_comma_times(tmp_path):
    official = read_official(make_srt(tmp_path / "c.srt", TURNS))
    assert official.format == "srt"
    assert official.text == f"{TURNS[0][1]} {TURNS[1][1]}"  # SRT carries no speakers
    assert official.cues[1].t0 == 1.5


def test_paint_on_captions_that_grow_word_by_word(tmp_path):
    cues = ["We are", "We are in New", "We are in New York City", "and going", "and going to Montréal."]
    body = "\n\n".join(f"00:00:0{i}.000 --> 00:00:0{i + 1}.000\n{text}" for i, text in enumerate(cues))
    official = read_official(write(tmp_path, "WEBVTT\n\n" + body))
    assert official.text == "We are in New York City and going to Montréal."
    assert [official.text[c.start:c.end] for c in official.cues] == ["We are", "in New", "York City", "and going",
                                                                    "to Montréal."]


def test_youtube_style_roll_up_with_inline_timestamps(tmp_path):
    vtt = """WEBVTT
Kind: captions
Language: en

00:00:00.000 --> 00:00:02.000 align:start position:0%
good<00:00:00.500><c> afternoon</c><00:00:01.000><c> everyone</c>

00:00:02.000 --> 00:00:02.010 align:start position:0%
good afternoon everyone

00:00:02.010 --> 00:00:04.000 align:start position:0%
good afternoon everyone
the<00:00:02.500><c> mission</c><00:00:03.000><c> will</c>

00:00:04.000 --> 00:00:04.010
the mission will

00:00:04.010 --> 00:00:06.000
the mission will
publish &amp; report &lt;today&gt;
"""
    official = read_official(write(tmp_path, vtt))
    assert official.text == "good afternoon everyone the mission will publish & report <today>"
    assert [(c.t0, c.t1) for c in official.cues] == [(0.0, 2.0), (2.01, 4.0), (4.01, 6.0)]


def test_speaker_changes_and_pauses_start_paragraphs(tmp_path):
    srt = ("1\n00:00:01,000 --> 00:00:02,000\n>> Good afternoon.\n\n"
           "2\n00:00:02,000 --> 00:00:03,000\n>> Thank you.\n\n"
           "3\n00:00:09,000 --> 00:00:10,000\n{\\an8}<i>After a pause.</i>\n")
    official = read_official(write(tmp_path, srt, "c.srt"))
    assert official.text == "Good afternoon.\n\nThank you.\n\nAfter a pause."
    assert len(official.paragraphs) == 3


def test_notes_styles_regions_and_identifiers_are_not_text(tmp_path):
    vtt = ("WEBVTT - Briefing\n\nNOTE\nThis is a comment\n\nSTYLE\n::cue { color: red }\n\n"
           "REGION\nid:fred width:40%\n\nintro-cue\n00:01.000 --> 00:02.500 region:fred\n<v.loud Mr. Dujarric>Hello.\n")
    official = read_official(write(tmp_path, vtt))
    assert official.text == "MR. DUJARRIC: Hello."
    assert official.cues[0].t0 == 1.0 and official.cues[0].t1 == 2.5


@pytest.mark.parametrize("stamp,value", [("01:02:03.500", 3723.5), ("02:03,25", 123.25), ("00:00:05", 5.0)])
def test_seconds(stamp, value):
    assert seconds(stamp) == pytest.approx(value)


def test_a_genuine_repeat_in_a_later_cue_is_kept():
    cues = [RawCue(0, 1, ("No.",)), RawCue(1, 2, ("We will not.",)), RawCue(2, 3, ("No.",))]
    assert [c.lines for c in remove_rollup(cues)] == [("No.",), ("We will not.",), ("No.",)]


def test_a_cue_without_text_has_no_lines():
    assert [c.lines for c in parse_cues("WEBVTT\n\n00:01.000 --> 00:02.000\n\n00:02.000 --> 00:03.000\nHi\n")] == \
        [(), ("Hi",)]


def test_offsets_point_into_the_extracted_text(tmp_path):
    official = read_official(make_vtt(tmp_path / "c.vtt", TURNS))
    for token in normalize_official(official):
        assert official.text[int(token.start):int(token.end)] == token.text


@pytest.mark.parametrize("content,fragment", [
    ("", "empty"),
    ("WEBVTT\n\nNOTE only a note\n", "no caption cues"),
    ("WEBVTT\n\n00:01.000 --> 00:02.000\n<c></c>\n", "no transcript words"),
])
def test_bad_caption_files(tmp_path, content, fragment):
    with pytest.raises(OfficialTextError, match=fragment):
        read_official(write(tmp_path, content))


def test_srt_forced_on_a_text_file_without_timings(tmp_path):
    with pytest.raises(OfficialTextError, match="no caption cues"):
        read_official(write(tmp_path, "Just a plain transcript.", "t.txt"), "srt")
