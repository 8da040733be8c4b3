"""What a batch is made of: briefings found in an archive folder (paired by file stem) or listed in a
manifest (CSV or JSON Lines), each a frozen Job; unpaired and refused entries are kept, not fatal."""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from ..errors import InputError

log = logging.getLogger("transcheck")

# Anything PyAV (FFmpeg) commonly opens as a recording; video containers count, their sound is used.
AUDIO_EXTENSIONS = frozenset({
    ".wav", ".wave", ".mp3", ".mp2", ".flac", ".ogg", ".oga", ".opus", ".spx", ".m4a", ".m4b", ".mp4",
    ".m4v", ".mov", ".mkv", ".mka", ".webm", ".aac", ".ac3", ".wma", ".wmv", ".asf", ".aif", ".aiff",
    ".aifc", ".caf", ".amr", ".3gp", ".3g2", ".au", ".wv", ".ape", ".mpeg", ".mpg", ".ts", ".avi",
    ".flv",
})
# Official-transcript formats; the readers' own extensions are added, so new formats pair at once.
TRANSCRIPT_EXTENSIONS = frozenset({
    ".txt", ".text", ".md", ".markdown", ".pdf", ".html", ".htm", ".xhtml", ".docx", ".odt", ".rtf",
    ".vtt", ".srt",
})
MANIFEST_COLUMNS = {
    "recording": "recording", "audio": "recording", "recording_path": "recording",
    "official": "official", "transcript": "official", "official_transcript": "official",
    "id": "id", "date": "date", "title": "title", "speaker": "speaker", "speaker_of_interest": "speaker",
}
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,150}$")
DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")


class BatchInputError(InputError):
    """The batch input as a whole (folder or manifest) cannot be used."""


@dataclass(frozen=True)
class Job:
    """One briefing to check: absolute paths of its two files, and what the index shows about it."""

    id: str
    recording: str
    official: str
    date: Optional[str] = None
    title: Optional[str] = None
    speaker: Optional[str] = None

    def __post_init__(self) -> None:
        if not ID_PATTERN.match(self.id):
            raise ValueError(f"briefing id {self.id!r} must be letters, digits, '.', '_' or '-'")
        for path in (self.recording, self.official):
            if not os.path.isabs(path):
                raise ValueError(f"job {self.id}: path {path!r} must be absolute")

    def to_dict(self) -> dict:
        return {"id": self.id, "recording": self.recording, "official": self.official, "date": self.date,
                "title": self.title, "speaker": self.speaker}


@dataclass(frozen=True)
class Skipped:
    """An entry that is not a briefing to check, and why: an unpaired file, or a refused manifest row."""

    path: str
    reason: str
    id: Optional[str] = None
    official: Optional[str] = None

    def to_dict(self) -> dict:
        found = {"id": self.id, "path": self.path, "official": self.official, "reason": self.reason}
        return {k: v for k, v in found.items() if v is not None}


@dataclass(frozen=True)
class BatchInputs:
    """Jobs to run; `unpaired` files only listed; `refused` manifest rows count as failures."""

    root: str
    jobs: tuple[Job, ...]
    unpaired: tuple[Skipped, ...] = ()
    refused: tuple[Skipped, ...] = ()


def transcript_extensions() -> frozenset[str]:
    from ..sources import EXTENSIONS

    return TRANSCRIPT_EXTENSIONS | frozenset(EXTENSIONS)


def load_inputs(source: str | Path, root: Optional[str | Path] = None,
                exclude: Iterable[str | Path] = ()) -> BatchInputs:
    """A folder to search for pairs, or a manifest file; paths outside `root` are refused."""
    source = Path(source)
    if source.is_dir():
        if root is not None and not _inside(source, Path(root)):
            raise BatchInputError(f"{source}: the folder lies outside --root {root}; choose a root above it")
        inputs = discover(source, exclude)
        if not inputs.jobs:
            example = f" (e.g. {inputs.unpaired[0].path}: {inputs.unpaired[0].reason})" if inputs.unpaired else ""
            raise BatchInputError(f"{source}: no recording and transcript pairs found, {len(inputs.unpaired)} "
                                  f"unpaired file(s){example}; name each pair alike (x.mp3 with x.pdf) "
                                  "or pass a manifest")
        return inputs
    if not source.exists():
        raise BatchInputError(f"{source}: no such folder or manifest; pass an archive folder or a "
                              ".csv/.jsonl manifest")
    return read_manifest(source, root)


# ---------------------------------------------------------------------------------------------
# Folder: recordings and transcripts paired by stem, in each sub-folder


def discover(root: str | Path, exclude: Iterable[str | Path] = ()) -> BatchInputs:
    """Pair every recording with the transcript of the same stem in the same folder, recursively (or, in a
    folder per briefing, its one recording with its official.* or transcript.*)."""
    root = Path(root)
    real_root = root.resolve()
    skip_dirs = {Path(p).resolve() for p in exclude}
    texts = transcript_extensions()
    groups: dict[tuple[str, str], dict[str, list[Path]]] = {}
    unpaired: list[Skipped] = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                             and (here / d).resolve() not in skip_dirs)
        for name in sorted(filenames):
            path = here / name
            ext = path.suffix.lower()
            role = "audio" if ext in AUDIO_EXTENSIONS else "text" if ext in texts else None
            if name.startswith(".") or role is None:
                continue
            if not _inside(path, real_root):
                unpaired.append(Skipped(_abs(path), f"links outside the archive {root}; copy the file in"))
                continue
            rel_stem = path.relative_to(root).with_suffix("").as_posix()
            groups.setdefault((rel_stem, path.stem), {"audio": [], "text": []})[role].append(path)
    jobs: list[Job] = []
    lone = _folder_pairs(groups)
    for (rel_stem, stem), found in sorted(groups.items()):
        audio, text = found["audio"], found["text"]
        if len(audio) == 1 and len(text) == 1:
            jobs.append(Job(id=slug(rel_stem), recording=_abs(audio[0]), official=_abs(text[0]),
                            date=date_in(rel_stem)))
            continue
        if rel_stem in lone:
            folder, transcript = lone[rel_stem]
            jobs.append(Job(id=slug(folder), recording=_abs(audio[0]), official=_abs(transcript),
                            date=date_in(folder)))
            continue
        if any(path in {t for _, t in lone.values()} for path in text):
            continue
        for path in audio + text:
            unpaired.append(Skipped(_abs(path), _unpaired_reason(path, audio, text)))
    return BatchInputs(str(root), tuple(_unique_ids(jobs)), tuple(unpaired))


OFFICIAL_STEMS = ("official", "transcript", "official-transcript", "official_transcript")


def _folder_pairs(groups: dict[tuple[str, str], dict[str, list[Path]]]) -> dict[str, tuple[str, Path]]:
    """A folder per briefing (the bundled sample's layout: `unmiss-2017/briefing.mp3` with
    `unmiss-2017/official.txt`): its one recording left without a namesake pairs with its one
    transcript named official.* or transcript.*. Returns {recording's rel_stem: (folder, transcript)}."""
    by_folder: dict[str, dict[str, list]] = {}
    for (rel_stem, stem), found in groups.items():
        folder = rel_stem.rsplit("/", 1)[0] if "/" in rel_stem else ""
        slot = by_folder.setdefault(folder, {"audio": [], "official": []})
        if len(found["audio"]) == 1 and not found["text"]:
            slot["audio"].append(rel_stem)
        elif not found["audio"] and len(found["text"]) == 1 and stem.lower() in OFFICIAL_STEMS:
            slot["official"].append(found["text"][0])
    return {slot["audio"][0]: (folder or slot["audio"][0], slot["official"][0]) for folder, slot in by_folder.items()
            if len(slot["audio"]) == 1 and len(slot["official"]) == 1}


def _unpaired_reason(path: Path, audio: list[Path], text: list[Path]) -> str:
    if not text:
        return f"no official transcript named {path.stem}.* beside this recording"
    if not audio:
        return f"no recording named {path.stem}.* beside this transcript"
    names = ", ".join(p.name for p in audio + text)
    return f"several files share the stem {path.stem!r} ({names}); keep one pair, or use a manifest"


# ---------------------------------------------------------------------------------------------
# Manifest: CSV with a header row, or JSON Lines; paths relative to the manifest


def read_manifest(path: str | Path, root: Optional[str | Path] = None) -> BatchInputs:
    """Jobs listed in a CSV or JSON Lines manifest; rows naming files outside `root` are refused."""
    path = Path(path)
    base = path.resolve().parent
    root = Path(root).resolve() if root is not None else base
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BatchInputError(f"{path}: cannot read the manifest ({exc}); pass a UTF-8 CSV or JSON Lines file") from None
    rows = _jsonl_rows(path, text) if _is_jsonl(path, text) else _csv_rows(path, text)
    jobs: list[Job] = []
    refused: list[Skipped] = []
    explicit: dict[str, int] = {}
    for line, row in rows:
        entry = _manifest_job(path, line, row, base, root)
        if isinstance(entry, Skipped):
            refused.append(entry)
        elif row.get("id") and entry.id in explicit:
            refused.append(Skipped(entry.recording, f"{path}:{line}: id {entry.id!r} is already used on line "
                                   f"{explicit[entry.id]}; give each briefing its own id", entry.id, entry.official))
        else:
            if row.get("id"):
                explicit[entry.id] = line
            jobs.append(entry)
    if not jobs and not refused:
        raise BatchInputError(f"{path}: the manifest lists no briefings; add one row per briefing")
    return BatchInputs(str(root), tuple(_unique_ids(jobs, fixed=set(explicit))), (), tuple(refused))


def _is_jsonl(path: Path, text: str) -> bool:
    ext = path.suffix.lower()
    if ext in (".jsonl", ".ndjson", ".json"):
        return True
    return ext != ".csv" and text.lstrip().startswith("{")


def _jsonl_rows(path: Path, text: str) -> list[tuple[int, dict]]:
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BatchInputError(f"{path}:{number}: not a JSON object ({exc.msg}); write one object per line") from None
        if not isinstance(row, dict):
            raise BatchInputError(f"{path}:{number}: not a JSON object; write one object per line")
        rows.append((number, _columns(path, row)))
    return rows


def _csv_rows(path: Path, text: str) -> list[tuple[int, dict]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    mapped = {MANIFEST_COLUMNS.get(h) for h in header}
    if not {"recording", "official"} <= mapped:
        raise BatchInputError(f"{path}: the CSV header must name the columns recording and official "
                              f"(found: {', '.join(header) or 'none'})")
    rows = []
    for row in reader:
        if any((v or "").strip() for k, v in row.items() if k is not None):
            rows.append((reader.line_num, _columns(path, row)))
    return rows


def _columns(path: Path, row: dict) -> dict:
    known: dict[str, str] = {}
    for key, value in row.items():
        name = MANIFEST_COLUMNS.get(str(key).strip().lower()) if key is not None else None
        if name is None:
            log.warning("%s: ignoring the column %r; known columns: recording, official, id, date, "
                        "title, speaker", path, key)
            continue
        if value is not None and str(value).strip():
            known[name] = str(value).strip()
    return known


def _manifest_job(path: Path, line: int, row: dict, base: Path, root: Path) -> Job | Skipped:
    where = f"{path}:{line}"
    given_id = row.get("id") or (slug(Path(row["recording"]).with_suffix("").as_posix())
                                 if row.get("recording") else None)
    if not row.get("recording") or not row.get("official"):
        return Skipped(row.get("recording", where), f"{where}: the row needs both a recording and an official "
                       "transcript", given_id, row.get("official"))
    files = []
    for column in ("recording", "official"):
        file = Path(base / Path(row[column]).expanduser())
        if not _inside(file, root):
            return Skipped(row["recording"], f"{where}: {column} {row[column]!r} lies outside the archive "
                           f"root {root}; move it under the root or pass --root", given_id, row["official"])
        if not file.is_file():
            return Skipped(row["recording"], f"{where}: {column} {row[column]!r} does not exist "
                           f"(looked for {_abs(file)}); fix the path", given_id, row["official"])
        files.append(_abs(file))
    if row.get("id") and not ID_PATTERN.match(row["id"]):
        return Skipped(row["recording"], f"{where}: id {row['id']!r} may hold only letters, digits, '.', '_' "
                       "and '-'", None, row["official"])
    rel_stem = Path(os.path.relpath(files[0], root)).with_suffix("").as_posix()
    return Job(id=row.get("id") or slug(rel_stem), recording=files[0], official=files[1],
               date=row.get("date") or date_in(rel_stem), title=row.get("title"), speaker=row.get("speaker"))


# ---------------------------------------------------------------------------------------------
# Helpers


def slug(rel_stem: str) -> str:
    """A file-name-safe id from a relative stem: '2017/12-07 unmiss' -> '2017--12-07_unmiss'."""
    parts = [re.sub(r"[^A-Za-z0-9._-]+", "_", part).strip("._") for part in rel_stem.split("/")]
    text = "--".join(p for p in parts if p) or "briefing"
    return text[:140] if text[0].isalnum() else "b" + text[:139]


def date_in(text: str) -> Optional[str]:
    """An ISO date (YYYY-MM-DD) written in a file name, if any."""
    match = DATE_IN_NAME.search(text)
    return match.group(1) if match else None


def _unique_ids(jobs: list[Job], fixed: set[str] = frozenset()) -> list[Job]:
    """Derived ids that collide get -2, -3, ... in order; ids given in a manifest stay as they are."""
    from dataclasses import replace

    used = set(fixed)
    out = []
    for job in jobs:
        if job.id in fixed:
            out.append(job)
            continue
        new, n = job.id, 1
        while new in used:
            n += 1
            new = f"{job.id}-{n}"
        used.add(new)
        out.append(replace(job, id=new) if new != job.id else job)
    return out


def _inside(path: Path, root: Path) -> bool:
    """Whether `path`, links followed, lies under `root`."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        return False


def _abs(path: Path) -> str:
    return os.path.abspath(path)
