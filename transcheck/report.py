"""Reports: the JSON document, the self-contained HTML page (jinja2) and the terminal summary.

The HTML is rendered from the JSON report alone, so `transcheck render` can redo it later.
"""

from __future__ import annotations

import base64
import json
import mimetypes
import os
from pathlib import Path
from typing import Any, Optional
from urllib.parse import quote

from markupsafe import Markup

from .errors import InputError
from .fsutil import atomic_write
from .models import CONFIRMED, MOVED, RECOGNITION_ERROR, REPEATED, UNCERTAIN
from .ner import ner_line
from .report_view import build_view, clock, coverage_lines
from .schema import Report


def template_dir() -> Path:
    """The templates shipped with the package (mapped from the top-level templates/ folder)."""
    from importlib.resources import files

    try:
        path = Path(str(files("transcheck.templates")))
        if (path / "report.html").is_file():
            return path
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parent.parent / "templates"


def environment(directory: Optional[Path] = None):
    """A jinja2 environment with autoescape on and undefined names as errors."""
    import jinja2

    dirs = [str(directory)] if directory else []
    dirs.append(str(template_dir()))  # user templates override, package ones fill the gaps
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(dirs),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["clock"] = clock
    env.filters["tojson_safe"] = tojson_safe
    return env


def tojson_safe(value: Any) -> str:
    """JSON for a <script> block: '<', '>' and '&' escaped so text cannot close the tag."""
    text = json.dumps(value, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def audio_source(report: dict[str, Any], out_path: Optional[Path], embed: bool) -> str:
    """The player's src: the recording embedded as a data URI, or a path relative to the report."""
    recording = Path(report["recording"]["path"])
    if embed:
        mime = mimetypes.guess_type(recording.name)[0] or "audio/mpeg"
        if mime.startswith("video/"):
            mime = "audio/" + mime.split("/", 1)[1]
        try:
            data = recording.read_bytes()
        except OSError as exc:
            raise InputError(f"{recording}: cannot embed the recording ({exc.strerror}); "
                             "check the path, or drop --embed-audio") from None
        return f"data:{mime};base64,{base64.b64encode(data).decode()}"
    base = out_path.resolve().parent if out_path else Path.cwd()
    try:
        rel = os.path.relpath(recording.resolve(), base)
    except ValueError:  # another drive on Windows
        return recording.resolve().as_uri()
    return quote(Path(rel).as_posix())  # '#', '?' and spaces in file names stay part of the path


def render_html(report: dict[str, Any], out_path: Optional[Path] = None, embed_audio: bool = False,
                template_dir_override: Optional[Path] = None) -> str:
    """The report page: one self-contained file, rendered from the JSON report dict alone."""
    env = environment(template_dir_override)
    script = "\n".join(env.get_template(name).render() for name in ("report.js", "clip.js"))
    style = env.get_template("report.css").render()
    noscript_style = env.get_template("noscript.css").render()
    return env.get_template("report.html").render(
        report=report, audio_src=audio_source(report, out_path, embed_audio),
        script=Markup(script), style=Markup(style), noscript_style=Markup(noscript_style),
        csp=content_security_policy(script, (style, noscript_style)), **build_view(report),
    )


def csp_hash(text: str) -> str:
    """The Content-Security-Policy source that allows exactly this inline script or style."""
    import hashlib

    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode()


def content_security_policy(script: str, styles: tuple[str, ...]) -> str:
    """No requests anywhere; only our own inline script and styles run (no 'unsafe-inline')."""
    style_src = " ".join(f"'{csp_hash(s)}'" for s in styles)
    return (f"default-src 'none'; img-src data:; style-src {style_src}; script-src '{csp_hash(script)}'; "
            "media-src 'self' data: blob: file:; base-uri 'none'; form-action 'none'")


def write_html(report: dict[str, Any], path: Path, embed_audio: bool = False,
               template_dir_override: Optional[Path] = None) -> None:
    atomic_write(path, render_html(report, path, embed_audio, template_dir_override))


def json_text(report: dict[str, Any]) -> str:
    """The JSON report as written to a file or to standard output."""
    return json.dumps(report, ensure_ascii=False, indent=1) + "\n"


def write_json(report: dict[str, Any], path: Path) -> None:
    atomic_write(path, json_text(report))


def faithful_text(summary: dict[str, Any]) -> str:
    """The share of spoken words faithfully in the official text, or why it was not measured."""
    if summary.get("recording_followed") is False:
        return "not measured"
    return f"{summary['faithful_share']:.1%} of spoken words"


def format_summary(report: dict[str, Any], top: int = 5, more_in: str = "the report") -> str:
    """A few lines for the terminal: counts, share faithful and the top substantive discrepancies."""
    s = report["summary"]
    counts = s["counts"]
    lines = [
        f"{report['recording']['path']}: {clock(report['recording']['duration'])} of audio, "
        f"{s['recorded_words']} words heard, {s['official_words']} in the official text",
        f"official transcript: {report['official']['path']} ({report['official']['format']})",
        f"faithful: {faithful_text(s)}   substantive: {s['substantive']}   cosmetic: {s['cosmetic']}",
        "  " + "   ".join(f"{k if k in (MOVED, REPEATED) else k + 's'} "
                          f"{counts[k]['substantive']}+{counts[k]['cosmetic']}" for k in counts) + "  (substantive+cosmetic)",
    ]
    for line in coverage_lines(report):
        lines.append(f"  not covered: {line['text']}")
    if s.get("ner"):
        lines.append("  " + ner_line(s["ner"]))
    verdicts = s.get("verdicts", {})
    if any(verdicts.values()):
        lines.append(f"  verified: {verdicts[CONFIRMED]} confirmed, {verdicts[RECOGNITION_ERROR]} "
                     f"recognition errors, {verdicts[UNCERTAIN]} uncertain")
    elif s.get("likely_recognition_errors"):
        lines.append(f"  of the substantive, {s['likely_recognition_errors']} look like recognition errors")
    if s.get("recording_followed") is False:
        lines.append("  the recogniser cannot follow most of this recording: its hearing is no evidence here "
                     f"({s.get('set_aside', 0)} verdicts set aside); listen, or check again with a larger model (--model)")
    shown = sorted(Report.from_dict(report).alarms, key=lambda d: -d.importance)
    for d in shown[:top]:
        said = _short(d.rec_text) or "\u2014"
        printed = _short(d.off_text) or "\u2014"
        verdict = f" [{d.verdict}]" if d.verdict else ""
        lines.append(f"  {clock(d.rec_start):>7} {d.id:>4} {d.kind}{verdict}: "
                     f"said \u201c{said}\u201d / printed \u201c{printed}\u201d")
        advice = ((d.evidence or {}).get("verification") or {}).get("sentence")
        if advice:
            lines.append(f"{'':>15}{advice}")
    if len(shown) > top:
        lines.append(f"  ... and {len(shown) - top} more in {more_in}")
    return "\n".join(lines)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
