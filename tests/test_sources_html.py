"""Saved web pages: the transcript body only, labels recognised, markup never taken for words."""

import sys

import pytest

from format_builders import expected_text, make_html
from transcheck.errors import OfficialTextError
from transcheck.normalize import normalize_official
from transcheck.sources import read_official

pytest.importorskip("bs4")

TURNS = [
    ("MR. DUJARRIC", "Good afternoon. The Secretary-General welcomes the agreement reached in Juba today."),
    ("QUESTION", "Thank you, St\u00e9phane. Will the mission publish the names of those accused?"),
    ("MR. DUJARRIC", "We have received nine allegations this year, and the names are not published."),
]
BODY = "Good afternoon. The Secretary-General welcomes"


def page(tmp_path, body, head="", name="page.html", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode(encoding))
    return path


def test_navigation_banners_scripts_and_related_links_are_dropped(tmp_path):
    official = read_official(make_html(tmp_path / "p.html", TURNS, title="Noon briefing"))
    assert official.format == "html"
    assert official.text == expected_text(TURNS, title="Noon briefing")  # the own-paragraph name joins its turn
    assert [lab.speaker for lab in official.labels] == ["MR. DUJARRIC", "QUESTION", "MR. DUJARRIC"]
    assert official.marks[0].text == "# Noon briefing"


def test_page_without_main_or_article_uses_the_densest_block(tmp_path):
    paragraphs = "".join(f"<p><b>{label}:</b> {words}</p>" for label, words in TURNS)
    body = (f"<div id='top'><a href='/'>Home</a> | <a href='/press'>Press</a> | <a>Contact</a></div>"
            f"<table><tr><td class='left'><a>Briefings</a><br><a>Statements</a><br><a>Speeches</a></td>"
            f"<td><div class='text'>{paragraphs}</div></td></tr></table>"
            f"<div class='bottom'>Copyright 2017</div>")
    text = read_official(page(tmp_path, body)).text
    assert text.startswith("MR. DUJARRIC: " + BODY) and "Home" not in text and "Copyright" not in text


def test_turns_spread_over_sibling_containers(tmp_path):
    turns = "".join(f"<div class='turn'><span class='who'>{label}:</span><p>{words}</p></div>"
                    for label, words in TURNS)
    body = f"<div class='menu-links'><a>Home</a> <a>News</a></div><div class='transcript'>{turns}</div>"
    text = read_official(page(tmp_path, body)).text
    assert text.count("MR. DUJARRIC:") == 2 and "nine allegations" in text and "Home" not in text


def test_a_content_wrapper_with_a_furniture_class_is_kept(tmp_path):
    paragraphs = "".join(f"<p>{label}: {words}</p>" for label, words in TURNS)
    body = f"<div class='page has-sidebar'><div class='sidebar'><a>Archive</a></div>{paragraphs}</div>"
    text = read_official(page(tmp_path, body)).text
    assert "nine allegations" in text and "Archive" not in text


@pytest.mark.parametrize("junk", [
    "<div hidden>Hidden words here</div>",
    "<div style='display: none'>Hidden words here</div>",
    "<div aria-hidden='true'>Hidden words here</div>",
    "<div role='navigation'>Hidden words here</div>",
    "<div id='CybotCookiebotDialog'>Hidden words here</div>",
    "<noscript>Hidden words here</noscript>",
    "<template><p>Hidden words here</p></template>",
    "<form><label>Hidden words here</label><input value='x'></form>",
    "<!-- Hidden words here -->",
    "<style>.x:before { content: 'Hidden words here' }</style>",
])
def test_invisible_and_interactive_parts_are_dropped(tmp_path, junk):
    paragraphs = "".join(f"<p>{label}: {words}</p>" for label, words in TURNS)
    text = read_official(page(tmp_path, f"<article>{junk}{paragraphs}</article>")).text
    assert "Hidden" not in text and text.startswith("MR. DUJARRIC:")


def test_entities_line_breaks_and_whitespace(tmp_path):
    body = ("<article><p>MR.&nbsp;DUJARRIC:   Caf&eacute; &ldquo;d&eacute;j&agrave; vu&rdquo; &mdash; it&#8217;s\n"
            "fine &amp; &lt;b&gt;bold&lt;/b&gt; is text.<br>Second line of the same turn, "
            "with enough words to count as a transcript.</p>"
            "<pre>QUESTION: Preformatted\n  text keeps its lines.</pre></article>")
    official = read_official(page(tmp_path, body))
    assert official.text == ("MR. DUJARRIC: Caf\u00e9 \u201cd\u00e9j\u00e0 vu\u201d \u2014 it\u2019s fine & "
                             "<b>bold</b> is text.\nSecond line of the same turn, with enough words to count "
                             "as a transcript.\n\n"
                             "QUESTION: Preformatted\ntext keeps its lines.")
    assert [lab.speaker for lab in official.labels] == ["MR. DUJARRIC", "QUESTION"]


def test_declared_legacy_encoding(tmp_path):
    body = "<article>" + "".join(f"<p>{label}: {words}</p>" for label, words in TURNS) + "</article>"
    path = page(tmp_path, body, head="<meta charset='windows-1252'>", encoding="cp1252")
    assert "St\u00e9phane" in read_official(path).text


def test_transcript_laid_out_as_a_table(tmp_path):
    rows = "".join(f"<tr><td><b>{label}</b></td><td>{words}</td></tr>" for label, words in TURNS)
    official = read_official(page(tmp_path, f"<main><table>{rows}</table></main>"))
    assert [lab.speaker for lab in official.labels] == ["MR. DUJARRIC", "QUESTION", "MR. DUJARRIC"]
    assert official.text.startswith("MR. DUJARRIC: " + BODY)


def test_offsets_point_into_the_extracted_text(tmp_path):
    official = read_official(make_html(tmp_path / "p.html", TURNS))
    for token in normalize_official(official):
        assert official.text[int(token.start):int(token.end)] == token.text


def test_mhtml_single_file_page(tmp_path):
    import quopri

    html = make_html(tmp_path / "p.html", TURNS).read_bytes()
    archive = (b"From: <Saved by Blink>\r\nSnapshot-Content-Location: https://press.example.org/b\r\n"
               b"Subject: Briefing\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n"
               b"\ttype=\"text/html\";\r\n\tboundary=\"----MultipartBoundary--abc\"\r\n\r\n"
               b"------MultipartBoundary--abc\r\nContent-Type: text/html\r\nContent-ID: <frame-1@mhtml.blink>\r\n"
               b"Content-Transfer-Encoding: quoted-printable\r\nContent-Location: https://press.example.org/b\r\n\r\n"
               + quopri.encodestring(html) + b"\r\n------MultipartBoundary--abc--\r\n")
    path = tmp_path / "briefing.mhtml"
    path.write_bytes(archive)
    official = read_official(path)
    assert official.format == "mhtml" and "St\u00e9phane" in official.text and "cookie" not in official.text


@pytest.mark.parametrize("body", [
    "<nav><a>Home</a></nav><main><p>Page not found.</p></main>",
    "<div class='cookie-banner'>We use cookies on this site to improve it for you and for everyone "
    "else who visits it every single day of the year.</div>",
    "",
])
def test_page_with_no_transcript(tmp_path, body):
    with pytest.raises(OfficialTextError, match="no transcript found in this web page"):
        read_official(page(tmp_path, body))


def test_deeply_nested_page_is_read_or_refused_in_one_line(tmp_path):
    body = "<div>" * 2000 + "SPOKESPERSON: " + " ".join(["words"] * 30) + "</div>" * 2000
    try:
        text = read_official(page(tmp_path, body)).text
    except OfficialTextError as exc:
        assert "\n" not in str(exc)
    else:
        assert text.startswith("SPOKESPERSON: words")


def test_missing_library_says_how_to_install(tmp_path, monkeypatch):
    path = make_html(tmp_path / "p.html", TURNS)
    monkeypatch.setitem(sys.modules, "bs4", None)
    with pytest.raises(OfficialTextError, match=r"pip install 'transcheck\[html\]'"):
        read_official(path)


def test_site_header_footer_and_screen_reader_text_without_class_names(tmp_path):
    paragraphs = "".join(f"<p>{label}: {words}</p>" for label, words in TURNS)
    body = (f"<header><a>Site name</a> <a>Press</a></header><div><span class='sr-only'>Skip to content</span>"
            f"{paragraphs}</div><footer><p>Copyright and terms of use of this site, with many more words "
            "than the transcript has.</p></footer>")
    text = read_official(page(tmp_path, body)).text
    assert text.startswith("MR. DUJARRIC:") and "Site name" not in text and "Skip" not in text
    assert "Copyright" not in text
