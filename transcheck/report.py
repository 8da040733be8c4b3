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

from markupsafe import Markup

from .errors import InputError
from .fsutil import atomic_write

SYMBOLS = {"omission": "\u2212", "insertion": "+", "rewording": "\u2260", "filler": "~"}
KIND_TEXT = {"omission": "said, not in the official text", "insertion": "in the official text, not said",
             "rewording": "said one way, printed another"}


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


def clock(seconds: Optional[float]) -> str:
    """12.5 -> '0:12', 3725 -> '1:02:05'."""
    if seconds is None:
        return ""
    total = int(seconds)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def tojson_safe(value: Any) -> str:
    """JSON for a <script> block: '<', '>' and '&' escaped so text cannot close the tag."""
    text = json.dumps(value, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


# ---------------------------------------------------------------------------------------------
# View model: rows of the side-by-side table, built from the report's word stream


def _official_pieces(text: str, a: int, b: int, spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cut official text [a, b) into plain pieces and the marked spans that fall inside it."""
    pieces: list[dict[str, Any]] = []
    pos = a
    for span in sorted((s for s in spans if a <= s["start"] <= b), key=lambda s: (s["start"], s["end"])):
        start, end = span["start"], min(span["end"], b)
        if start < pos:
            continue
        if start > pos:
            pieces.append({"text": text[pos:start], "cls": None})
        pieces.append({**span, "text": text[start:end]})
        pos = max(pos, end)
    if pos < b:
        pieces.append({"text": text[pos:b], "cls": None})
    return pieces


def build_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per official paragraph: what was heard there, and the paragraph as printed."""
    official = report["official"]
    text = official["text"]
    paragraphs = [tuple(p) for p in official["paragraphs"]] or [(0, len(text))]
    starts = [p[0] for p in paragraphs]
    kinds = {d["id"]: d["kind"] for d in report["discrepancies"]}
    severities = {d["id"]: d["severity"] for d in report["discrepancies"]}

    def par_of(offset: int) -> int:
        import bisect

        return max(0, bisect.bisect_right(starts, offset) - 1)

    rec_items: list[list[dict[str, Any]]] = [[] for _ in paragraphs]
    off_spans: list[list[dict[str, Any]]] = [[] for _ in paragraphs]
    current = 0
    for w in report["words"]:
        d = w["discrepancy"]
        if w["official"] is not None:
            current = par_of(w["official"]["start"])
        status = w["status"]
        cls = status if status != "match" else ("match-in" if d else None)
        sev = severities.get(d) if d else None
        if w["recording"] is not None:
            r = w["recording"]
            rec_items[current].append({"text": r["text"], "t": r["start"], "end": r["end"], "cls": cls,
                                       "d": d, "sev": sev, "p": r.get("probability")})
        if w["official"] is not None:
            o = w["official"]
            off_spans[current].append({"start": o["start"], "end": o["end"], "cls": cls, "d": d, "sev": sev,
                                       "t": w["recording"]["start"] if w["recording"] else None})
    for d in report["discrepancies"]:  # places where the official text lacks what was said
        if d["official"]["start"] == d["official"]["end"]:
            k = par_of(d["official"]["start"])
            off_spans[k].append({"start": d["official"]["start"], "end": d["official"]["start"],
                                 "cls": "gap-" + kinds[d["id"]], "d": d["id"], "sev": d["severity"],
                                 "t": d["recording"]["start"]})
    for label in official["labels"]:
        off_spans[par_of(label["start"])].append({"start": label["start"], "end": label["end"],
                                                  "cls": "speaker", "d": None, "sev": None, "t": None})
    for mark in official["marks"]:
        off_spans[par_of(mark["start"])].append({"start": mark["start"], "end": mark["end"],
                                                 "cls": "editorial", "d": None, "sev": None, "t": None})
    rows = []
    for k, (a, b) in enumerate(paragraphs):
        items = rec_items[k]
        speaker = next((lab["speaker"] for lab in official["labels"] if a <= lab["start"] < b), None)
        rows.append({
            "index": k,
            "speaker": speaker,
            "t": items[0]["t"] if items else None,
            "recording": items,
            "official": _official_pieces(text, a, b, off_spans[k]),
        })
    return rows


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
        rel = str(recording.resolve())
    return Path(rel).as_posix()


def render_html(report: dict[str, Any], out_path: Optional[Path] = None, embed_audio: bool = False,
                template_dir_override: Optional[Path] = None) -> str:
    env = environment(template_dir_override)
    substantive = sorted((d for d in report["discrepancies"] if d["severity"] == "substantive"),
                         key=lambda d: (d.get("verdict") == "recognition-error", -d.get("importance", 0),
                                        d["recording"]["start"]))
    title = report.get("title") or Path(report["recording"]["path"]).stem
    script = env.get_template("report.js").render()
    return env.get_template("report.html").render(
        report=report, title=title, rows=build_rows(report), substantive=substantive,
        audio_src=audio_source(report, out_path, embed_audio), symbols=SYMBOLS, kind_text=KIND_TEXT,
        script=Markup(script), script_hash=csp_hash(script),
    )


def csp_hash(script: str) -> str:
    """The Content-Security-Policy source that lets exactly this inline script run, and no other."""
    import hashlib

    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode()


def write_html(report: dict[str, Any], path: Path, embed_audio: bool = False,
               template_dir_override: Optional[Path] = None) -> None:
    atomic_write(path, render_html(report, path, embed_audio, template_dir_override))


def write_json(report: dict[str, Any], path: Path) -> None:
    atomic_write(path, json.dumps(report, ensure_ascii=False, indent=1) + "\n")


def load_report(path: Path) -> dict[str, Any]:
    """Read a JSON report written by `check`, refusing anything else with a clear message."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such report; pass the JSON written by `transcheck check --json`") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a transcheck JSON report ({exc}); pass the file written by "
                         "`transcheck check --json`") from None
    if not isinstance(data, dict) or not str(data.get("schema", "")).startswith("transcheck.report/"):
        raise InputError(f"{path}: not a transcheck JSON report (no schema field); pass the file "
                         "written by `transcheck check --json`")
    return data


def format_summary(report: dict[str, Any], top: int = 5) -> str:
    """A few lines for the terminal: counts, share faithful and the top substantive discrepancies."""
    s = report["summary"]
    counts = s["counts"]
    lines = [
        f"{report['recording']['path']}: {clock(report['recording']['duration'])} of audio, "
        f"{s['recorded_words']} words heard, {s['official_words']} in the official text",
        f"official transcript: {report['official']['path']} ({report['official']['format']})",
        f"faithful: {s['faithful_share']:.1%} of spoken words   substantive: {s['substantive']}   "
        f"cosmetic: {s['cosmetic']}",
        "  " + "   ".join(f"{k}s {counts[k]['substantive']}+{counts[k]['cosmetic']}"
                          for k in ("omission", "insertion", "rewording")) + "  (substantive+cosmetic)",
    ]
    verdicts = s.get("verdicts", {})
    if any(verdicts.values()):
        lines.append(f"  verified: {verdicts['confirmed']} confirmed, {verdicts['recognition-error']} "
                     f"recognition errors, {verdicts['uncertain']} uncertain")
    elif s.get("likely_recognition_errors"):
        lines.append(f"  of the substantive, {s['likely_recognition_errors']} look like recognition errors")
    shown = [d for d in report["discrepancies"] if d["severity"] == "substantive"
             and d.get("verdict") != "recognition-error"]
    shown.sort(key=lambda d: -d.get("importance", 0))
    for d in shown[:top]:
        said = _short(d["recording"]["text"]) or "\u2014"
        printed = _short(d["official"]["text"]) or "\u2014"
        verdict = f" [{d['verdict']}]" if d.get("verdict") else ""
        lines.append(f"  {clock(d['recording']['start']):>7} {d['id']:>4} {d['kind']}{verdict}: "
                     f"said \u201c{said}\u201d / printed \u201c{printed}\u201d")
    if len(shown) > top:
        lines.append(f"  ... and {len(shown) - top} more in the report")
    return "\n".join(lines)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
