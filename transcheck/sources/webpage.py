"""Web pages saved from a site (HTML, or MHTML single-file archives): the transcript body only.

Parsed with BeautifulSoup on Python's own html.parser. Scripts, styles, navigation, menus, cookie
banners, share and related-link boxes are dropped; the main content is the page's <main>/<article>
when it has one, else the element that holds most paragraph text; its blocks become paragraphs.
"""

from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path
from typing import Any, Callable, Union

from ..errors import OfficialTextError
from .base import Extracted, check_size, import_optional, parsing
from .blocks import Block, blocks_to_extracted, bold_lead, row_blocks

MAX_HTML_BYTES = 40 * 1024 * 1024
MIN_WORDS = 20  # fewer words than this outside page furniture: the page shows no transcript
MAX_DEPTH = 300  # deeper markup is read as plain text (hostile or broken pages)

_JUNK_TAGS = ("script", "style", "noscript", "template", "svg", "math", "canvas", "iframe", "object",
              "embed", "button", "input", "select", "textarea", "option", "label", "dialog", "nav",
              "aside", "menu", "audio", "video", "picture", "img", "map", "link", "meta", "head", "title",
              "footer")
_JUNK_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar",
               "dialog", "alertdialog", "toolbar", "alert", "tablist"}
_JUNK_NAMES = {
    "nav", "navbar", "navigation", "menu", "menubar", "breadcrumb", "breadcrumbs", "sidebar", "related",
    "share", "sharing", "social", "footer", "header", "masthead", "skip", "subscribe", "newsletter",
    "promo", "advert", "advertisement", "ads", "comment", "comments", "popup", "modal", "toolbar",
    "pagination", "pager", "cookie", "cookies", "cookiebot", "consent", "gdpr", "onetrust", "banner",
    "widget", "tags", "toc", "feedback", "rating", "login",
}
_SCREEN_READER_RE = re.compile(r"\b(?:sr-only|visually-hidden|screen-reader-text|element-invisible)\b")
_MAIN_SELECTORS = ("main", "[role=main]", "article", "[itemprop=articleBody]")
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "blockquote",
               "pre", "table", "thead", "tbody", "tfoot", "caption", "figure", "figcaption", "address",
               "hr", "header", "footer", "form", "fieldset", "details", "summary", "center"}
_TEXT_BLOCKS = ["p", "li", "td", "dd", "blockquote", "pre", "div"]
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BOLD_TAGS = {"b", "strong"}
_NAME_SPLIT_RE = re.compile(r"[\s_\-]+|(?<=[a-z])(?=[A-Z])")
# inline elements are part of the sentence they sit in: a link's class ("related_link") never drops it
_INLINE_TAGS = {"a", "span", "em", "i", "b", "strong", "u", "abbr", "cite", "q", "small", "sub", "sup", "mark",
                "time", "var", "bdi", "bdo", "font", "s", "del", "ins", "dfn", "kbd", "samp", "code"}
# attributes in which structured pages (parliaments' XML-derived HTML) name a speech's speaker
_SPEAKER_ATTR_RE = re.compile(r"(?:^|[-_])(?:speaker|speaking|attribution|said-by|who)(?:$|[-_])")
_METADATA_KEY_RE = re.compile(r"[\w\- ]{1,40}")
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_FIX = "save the page that shows the transcript (File > Save Page As), or copy its text into a .txt file"


def read_html(path: Path, data: Union[bytes, str]) -> Extracted:
    import_optional("bs4", "beautifulsoup4", "html", path)
    if len(data) > MAX_HTML_BYTES:
        raise OfficialTextError(f"{path}: a web page of {len(data) // (1024 * 1024)} MB is not one "
                                f"briefing's transcript; {_FIX}")
    with parsing(path, "web page", _FIX, library_logger="bs4"):
        extracted = blocks_to_extracted(_page_blocks(data))
    words = len(extracted.text.split())
    if words < MIN_WORDS:
        raise OfficialTextError(f"{path}: no transcript found in this web page (only {words} words outside "
                                f"navigation, menus and banners); {_FIX}")
    check_size(extracted.text, path, "web page")
    return extracted


def read_mhtml(path: Path, data: bytes) -> Extracted:
    """A "single file" saved page (.mhtml/.mht): the HTML part of the MIME archive."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            with parsing(path, "saved web page (MHTML)", _FIX):
                html = part.get_payload(decode=True)
                charset = part.get_content_charset()
                if charset:  # else the page's own <meta charset> tells
                    html = html.decode(charset, errors="replace")
            return read_html(path, html)
    raise OfficialTextError(f"{path}: this saved web page archive holds no HTML page; {_FIX}")


def _page_blocks(data: Union[bytes, str]) -> list[Block]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data, "html.parser")
    root = soup.body or soup
    _drop_junk(root)
    walker = _Walker()
    walker.walk(_main_content(root))
    return walker.finish()


def _drop_junk(root: Any) -> None:
    """Remove scripts, styles, hidden parts, navigation and banners (but never the content's wrapper)."""
    _prune(root, lambda tag: tag.name in _JUNK_TAGS or _hidden(tag) or _site_header(tag))
    lengths = _text_lengths(root)
    _prune(root, lambda tag: tag.name not in _INLINE_TAGS and _boilerplate_name(tag)
           and not _wraps_content(tag, lengths, lengths[id(root)]))


def _prune(root: Any, unwanted: Callable[[Any], bool]) -> None:
    """Decompose every element `unwanted` picks, never looking inside one already removed."""
    from bs4 import Tag

    stack = [root]
    while stack:
        for child in list(stack.pop().children):
            if isinstance(child, Tag):
                if unwanted(child):
                    child.decompose()
                else:
                    stack.append(child)


def _hidden(tag: Any) -> bool:
    return ("hidden" in tag.attrs or tag.get("aria-hidden") == "true" or tag.get("role") in _JUNK_ROLES
            or bool(_HIDDEN_STYLE_RE.search(tag.get("style") or ""))
            or bool(_SCREEN_READER_RE.search(" ".join(tag.get("class", [])))))


def _site_header(tag: Any) -> bool:
    """The page's own <header> (logo, menus); an article's header keeps its headline."""
    return tag.name == "header" and tag.find_parent(["article", "main"]) is None


def _boilerplate_name(tag: Any) -> bool:
    names = " ".join([*tag.get("class", []), tag.get("id") or ""])
    return bool(names) and any(word.lower() in _JUNK_NAMES for word in _NAME_SPLIT_RE.split(names))


def _wraps_content(tag: Any, lengths: dict[int, int], total: int) -> bool:
    """A page-wide wrapper (class="has-sidebar") holds the content; dropping it would drop everything."""
    if tag.select_one(", ".join(_MAIN_SELECTORS)):
        return True
    blocks = sum(1 for _ in zip(range(3), tag.find_all(["p", "li", "tr", "h1", "h2", "h3", "pre", "blockquote"])))
    return lengths.get(id(tag), 0) > 0.5 * total and blocks >= 3


def _text_lengths(root: Any) -> dict[int, int]:
    """Characters of text below each element, in one pass from the leaves up (deep pages stay linear)."""
    from bs4 import NavigableString, Tag

    lengths: dict[int, int] = {}
    for element in reversed([root, *root.find_all(True)]):
        lengths[id(element)] = sum(lengths.get(id(c), 0) if isinstance(c, Tag) else
                                   len(c.strip()) if type(c) is NavigableString else 0 for c in element.children)
    return lengths


def _main_content(root: Any) -> Any:
    """The page's <main>/<article> with the most text, else the element holding most paragraph text."""
    lengths = _text_lengths(root)
    candidates = [tag for selector in _MAIN_SELECTORS for tag in root.select(selector)]
    if candidates:
        return max(candidates, key=lambda tag: lengths[id(tag)])
    scores: dict[int, float] = {}
    elements: dict[int, Any] = {}
    for p in root.find_all(_TEXT_BLOCKS):
        if p.find(_TEXT_BLOCKS) is not None:
            continue  # a container: its own paragraphs score for it
        for weight, ancestor in zip((1.0, 0.5), (p.parent, p.parent.parent if p.parent else None)):
            if ancestor is not None:
                scores[id(ancestor)] = scores.get(id(ancestor), 0.0) + weight * lengths[id(p)]
                elements[id(ancestor)] = ancestor
    if not scores:
        return root
    best = elements[max(scores, key=scores.__getitem__)]
    while best is not root and best.parent is not None and lengths[id(best)] < 0.6 * lengths[id(best.parent)]:
        best = best.parent  # the turns of one transcript spread over sibling containers
    return best


class _Walker:
    """Walk the content in document order, cutting it into Blocks at block-level elements."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.parts: list[tuple[str, bool]] = []
        self.speaker = ""  # the speaker an element's attribute named, for its first block

    def walk(self, node: Any, depth: int = 0, bold: bool = False, pre: bool = False) -> None:
        from bs4 import NavigableString, Tag

        for child in node.children:
            if isinstance(child, Tag):
                self._tag(child, depth, bold, pre)
            elif type(child) is NavigableString or child.__class__.__name__ in ("CData", "RubyTextString"):
                text = str(child)
                self.parts.append((text if pre else text.replace("\n", " ").replace("\r", " "), bold))

    def _tag(self, tag: Any, depth: int, bold: bool, pre: bool) -> None:
        name = tag.name.lower()
        if name == "br":
            self.parts.append(("\n", bold))
        elif name in _HEADINGS:
            self.flush()
            self.blocks.append(Block(tag.get_text(" ", strip=True), heading=True))
        elif name == "tr":
            self.flush()
            found = tag.find_all(["td", "th"], recursive=False)
            cells = [Block(cell.get_text(" ", strip=True), bold=_all_bold(cell)) for cell in found]
            if _metadata_row(tag, found):
                self.blocks.append(Block(" ".join(c.text for c in cells), furniture="metadata table"))
            else:
                self.blocks.extend(row_blocks(cells))
        elif depth > MAX_DEPTH:
            self.parts.append((tag.get_text(" "), bold))
        else:
            block = name in _BLOCK_TAGS
            if block:
                self.flush()
            speaker = _speaker(tag)
            if speaker:
                self.flush()
                self.speaker = speaker
            self.walk(tag, depth + 1, bold or name in _BOLD_TAGS, pre or name == "pre")
            if block:
                self.flush()

    def flush(self) -> None:
        text = "".join(t for t, _ in self.parts)
        if text.strip():
            bold = all(b for t, b in self.parts if t.strip())
            self.blocks.append(Block(text, bold=bold, speaker=self.speaker, lead=bold_lead(self.parts)))
            self.speaker = ""
        self.parts = []

    def finish(self) -> list[Block]:
        self.flush()
        return self.blocks


def _all_bold(cell: Any) -> bool:
    from bs4 import NavigableString

    texts = [s for s in cell.find_all(string=True) if isinstance(s, NavigableString) and s.strip()]
    return bool(texts) and all(any(p.name in _BOLD_TAGS for p in s.parents if p is not cell) for s in texts)


def _speaker(tag: Any) -> str:
    """The speaker a speech element names in an attribute (data-person-speaking-attribution="..."), or ""."""
    found = []
    for attr, value in tag.attrs.items():
        if not isinstance(value, str) or not _SPEAKER_ATTR_RE.search(attr.lower()):
            continue
        value = " ".join(value.split())
        if any(c.isupper() for c in value) and any(c.isalpha() for c in value) and len(value) <= 200:
            found.append((("attribution" not in attr) + ("name" not in attr), value))
    return min(found)[1] if found else ""


def _metadata_row(row: Any, cells: list[Any]) -> bool:
    """A key/value row of a metadata table (a <th> key, a short value), not a turn of speech."""
    if "metadata" in " ".join(row.get("class", [])).lower() or row.get("data-name"):
        return True
    if len(cells) != 2 or cells[0].name != "th" or cells[1].name != "td":
        return False
    key, value = cells[0].get_text(" ", strip=True), cells[1].get_text(" ", strip=True)
    return bool(_METADATA_KEY_RE.fullmatch(key)) and len(key.split()) <= 4 and len(value.split()) <= 12
