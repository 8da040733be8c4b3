"""Batch inputs: pairing an archive folder by stem, reading manifests, refusing paths outside the root."""

import json
import os
from pathlib import Path

import pytest

from transcheck.batch.inputs import BatchInputError, Job, date_in, discover, load_inputs, read_manifest, slug


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")


def test_folder_pairs_by_stem_in_every_subfolder(tmp_path):
    touch(tmp_path, "2017-12-07-unmiss.m4a", "2017-12-07-unmiss.pdf", "b.mp3", "b.txt",
          "2018/03/c d.webm", "2018/03/c d.vtt", "notes.jpg", ".hidden.mp3", ".hidden.txt")
    inputs = discover(tmp_path)
    assert [(j.id, Path(j.recording).name, Path(j.official).name) for j in inputs.jobs] == [
        ("2017-12-07-unmiss", "2017-12-07-unmiss.m4a", "2017-12-07-unmiss.pdf"),
        ("2018--03--c_d", "c d.webm", "c d.vtt"),
        ("b", "b.mp3", "b.txt"),
    ]
    assert inputs.jobs[0].date == "2017-12-07" and inputs.jobs[2].date is None
    assert all(os.path.isabs(j.recording) and os.path.isabs(j.official) for j in inputs.jobs)
    assert inputs.unpaired == () and inputs.refused == ()


def test_a_folder_per_briefing_pairs_its_recording_with_official(tmp_path):
    """The bundled sample's layout (unmiss-2017/briefing.mp3 with unmiss-2017/official.txt) is a briefing."""
    touch(tmp_path, "unmiss-2017/briefing.mp3", "unmiss-2017/official.txt", "unmiss-2017/verbatim.txt",
          "2018-02-01-ocha/audio.m4a", "2018-02-01-ocha/transcript.pdf",
          "two/a.mp3", "two/b.mp3", "two/official.txt")
    inputs = discover(tmp_path)
    assert [(j.id, Path(j.recording).name, Path(j.official).name, j.date) for j in inputs.jobs] == [
        ("2018-02-01-ocha", "audio.m4a", "transcript.pdf", "2018-02-01"),
        ("unmiss-2017", "briefing.mp3", "official.txt", None),
    ]
    assert sorted(Path(s.path).name for s in inputs.unpaired) == ["a.mp3", "b.mp3", "official.txt", "verbatim.txt"]


def test_unpaired_and_ambiguous_files_are_listed_with_a_reason(tmp_path):
    touch(tmp_path, "lonely.mp3", "orphan.md", "twice.mp3", "twice.wav", "twice.txt", "ok.flac", "ok.html")
    inputs = discover(tmp_path)
    assert [j.id for j in inputs.jobs] == ["ok"]
    reasons = {Path(s.path).name: s.reason for s in inputs.unpaired}
    assert set(reasons) == {"lonely.mp3", "orphan.md", "twice.mp3", "twice.wav", "twice.txt"}
    assert "no official transcript named lonely.*" in reasons["lonely.mp3"]
    assert "no recording named orphan.*" in reasons["orphan.md"]
    assert "several files share the stem 'twice'" in reasons["twice.txt"]


def test_output_folder_inside_the_archive_is_not_searched(tmp_path):
    touch(tmp_path, "a.mp3", "a.txt", "reports/a.html", "reports/x.mp3")
    inputs = load_inputs(tmp_path, exclude=[tmp_path / "reports"])
    assert [j.id for j in inputs.jobs] == ["a"] and inputs.unpaired == ()


def test_a_link_leading_out_of_the_archive_is_not_followed(tmp_path):
    outside = tmp_path / "outside"
    touch(outside, "secret.mp3")
    root = tmp_path / "archive"
    touch(root, "a.txt")
    (root / "a.mp3").symlink_to(outside / "secret.mp3")
    inputs = discover(root)
    assert inputs.jobs == ()
    assert any("links outside the archive" in s.reason for s in inputs.unpaired)


def test_colliding_ids_get_a_suffix(tmp_path):
    touch(tmp_path, "a/b.mp3", "a/b.txt", "a--b.mp3", "a--b.txt")
    assert sorted(j.id for j in discover(tmp_path).jobs) == ["a--b", "a--b-2"]


def test_csv_manifest_paths_are_relative_to_the_manifest(tmp_path):
    touch(tmp_path, "audio/one.mp3", "text/one.pdf", "audio/two.ogg", "text/two.txt")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("Recording,Official,id,date,title,speaker,notes\n"
                        "audio/one.mp3,text/one.pdf,first,2019-02-03,\"Noon briefing, Monday\",Dujarric,x\n"
                        "audio/two.ogg,text/two.txt,,,,,\n", encoding="utf-8")
    inputs = load_inputs(manifest)
    first, second = inputs.jobs
    assert first == Job("first", str(tmp_path / "audio/one.mp3"), str(tmp_path / "text/one.pdf"),
                        "2019-02-03", "Noon briefing, Monday", "Dujarric")
    assert second.id == "audio--two" and second.title is None
    assert inputs.root == str(tmp_path.resolve())


def test_manifest_rows_outside_the_root_missing_or_duplicated_are_refused(tmp_path):
    root = tmp_path / "archive"
    touch(root, "a.mp3", "a.txt", "b.mp3", "b.txt")
    touch(tmp_path, "outside.mp3")
    manifest = root / "manifest.jsonl"
    rows = [
        {"recording": "a.mp3", "official": "a.txt", "id": "a"},
        {"recording": "../outside.mp3", "official": "a.txt", "id": "escape"},
        {"recording": str(tmp_path / "outside.mp3"), "official": "a.txt"},
        {"recording": "missing.mp3", "official": "a.txt"},
        {"recording": "b.mp3", "official": "b.txt", "id": "a"},
        {"recording": "b.mp3", "official": "b.txt", "id": "bad id!"},
        {"recording": "b.mp3"},
    ]
    manifest.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    inputs = read_manifest(manifest)
    assert [j.id for j in inputs.jobs] == ["a"]
    reasons = [s.reason for s in inputs.refused]
    assert len(reasons) == 6
    assert reasons[0].startswith(f"{manifest}:2: recording '../outside.mp3' lies outside the archive root")
    assert inputs.refused[0].id == "escape"
    assert "lies outside the archive root" in reasons[1]
    assert "does not exist" in reasons[2]
    assert "id 'a' is already used on line 1" in reasons[3]
    assert "may hold only letters" in reasons[4]
    assert "needs both a recording and an official transcript" in reasons[5]


def test_root_option_widens_what_a_manifest_may_name(tmp_path):
    touch(tmp_path, "shared/a.mp3", "shared/a.txt")
    manifest = tmp_path / "lists" / "m.csv"
    manifest.parent.mkdir()
    manifest.write_text("recording,official\n../shared/a.mp3,../shared/a.txt\n", encoding="utf-8")
    assert read_manifest(manifest).jobs == ()
    assert [j.id for j in read_manifest(manifest, root=tmp_path).jobs] == ["shared--a"]


@pytest.mark.parametrize("content, message", [
    ("path,transcript\na.mp3,a.txt\n", "the CSV header must name the columns recording and official"),
    ("recording,official\n", "the manifest lists no briefings"),
    ('{"recording": "a.mp3", "official": "a.txt"}\nnot json\n', ":2: not a JSON object"),
    ('["a.mp3", "a.txt"]\n', ":1: not a JSON object"),
])
def test_unusable_manifests_stop_the_batch(tmp_path, content, message):
    manifest = tmp_path / ("m.jsonl" if content.startswith(("{", "[")) else "m.csv")
    manifest.write_text(content, encoding="utf-8")
    with pytest.raises(BatchInputError, match=message.replace("(", r"\(")):
        read_manifest(manifest)


def test_missing_source_or_a_folder_without_pairs_is_a_batch_input_error(tmp_path):
    with pytest.raises(BatchInputError, match="no such folder or manifest"):
        load_inputs(tmp_path / "nope")
    touch(tmp_path, "a.mp3", "notes.jpg")
    with pytest.raises(BatchInputError, match=r"no recording and transcript pairs found, 1 unpaired file\(s\) "
                                              r"\(e.g. .*a.mp3: no official transcript named a.\* beside"):
        load_inputs(tmp_path)


def test_slug_and_date():
    assert slug("2017/12-07 unmiss") == "2017--12-07_unmiss"
    assert slug("..//.x") == "x"
    assert slug("_a") == "a" and slug("é") == "briefing"
    assert date_in("archive/2017-12-07-unmiss") == "2017-12-07"
    assert date_in("id-20171207") is None


def test_job_refuses_unsafe_ids_and_relative_paths():
    with pytest.raises(ValueError, match="briefing id '../x'"):
        Job("../x", "/a.mp3", "/a.txt")
    with pytest.raises(ValueError, match="must be absolute"):
        Job("x", "a.mp3", "/a.txt")
