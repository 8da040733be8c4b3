"""`transcheck inspect OFFICIAL`: what will be compared, labels, marks and furniture shown as such."""

import json

from click.testing import CliRunner

from transcheck.cli import main

TEXT = ("---\ntitle: Daily briefing\ndate: '2025-12-02'\n---\n\nMS. LOPEZ: Good afternoon. (Laughter)\n\n"
        "Q    What about Juba?\n\n12:52 P.M. EST\n")


def _file(tmp_path):
    path = tmp_path / "official.md"
    path.write_text(TEXT, encoding="utf-8")
    return path


def test_plain_markers_when_not_a_terminal(tmp_path):
    result = CliRunner().invoke(main, ["inspect", str(_file(tmp_path))])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("{{front matter: ---\ntitle: Daily briefing")
    assert "\u00abMS. LOPEZ:\u00bb Good afternoon. [[(Laughter)]]" in out
    assert "\u00abQ\u00bb    What about Juba?" in out
    assert "{{time stamp: 12:52 P.M. EST}}" in out
    assert "\x1b[" not in out
    assert "2 labels (2 speakers), 1 marks, furniture: 1 front matter, 1 time stamp; 5 words compared" in result.stderr


def test_colour_on_request(tmp_path):
    out = CliRunner().invoke(main, ["inspect", "--color", str(_file(tmp_path))]).stdout
    assert "\x1b[" in out and "\u00ab" not in out


def test_json_gives_the_full_structure(tmp_path):
    result = CliRunner().invoke(main, ["inspect", "--json", str(_file(tmp_path))])
    data = json.loads(result.stdout)
    assert data["summary"]["title"] == "Daily briefing" and data["summary"]["date"] == "2025-12-02"
    assert [p["kind"] for p in data["pieces"]] == ["furniture", "speech", "label", "speech", "mark", "speech",
                                                   "label", "speech", "furniture", "speech"]
    assert "".join(p["text"] for p in data["pieces"]) == TEXT
    assert data["official"]["furniture"][1] == {"start": TEXT.index("12:52"), "end": TEXT.index("12:52") + 14,
                                                "kind": "time stamp", "text": "12:52 P.M. EST"}


def test_missing_file_is_one_error_line(tmp_path):
    result = CliRunner().invoke(main, ["inspect", str(tmp_path / "nope.md")])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"Error: {tmp_path / 'nope.md'}: no such official transcript; check the path"
