"""The server's state: one SQLite index of checks and reviews, and one folder per check.

Uploaded files are stored under generated names (`recording.mp3`, `official.pdf`): only the
extension of the uploaded name is kept, and only when it is a short run of letters and digits, so
no part of a name a client sends ever becomes a path. The server and its worker processes each open
their own connection; WAL mode lets them write without blocking the pages.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Optional

from ..review import Review

STATUSES = ("queued", "running", "done", "failed")
STOPPED = "the server stopped while this check was running; upload the files again"

SCHEMA = """
CREATE TABLE IF NOT EXISTS checks (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    date TEXT,
    created REAL NOT NULL,
    status TEXT NOT NULL,
    stage TEXT NOT NULL,
    progress REAL NOT NULL DEFAULT 0,
    error TEXT,
    recording_name TEXT NOT NULL,
    recording_file TEXT NOT NULL,
    official_name TEXT NOT NULL,
    official_file TEXT NOT NULL,
    settings TEXT NOT NULL,
    summary TEXT,
    worker_pid INTEGER,
    started REAL,
    finished REAL
);
CREATE INDEX IF NOT EXISTS checks_created ON checks (created);
CREATE TABLE IF NOT EXISTS reviews (
    check_id TEXT NOT NULL REFERENCES checks (id) ON DELETE CASCADE,
    discrepancy_id TEXT NOT NULL,
    mark TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    updated REAL NOT NULL,
    PRIMARY KEY (check_id, discrepancy_id)
);
"""


def safe_suffix(name: str) -> str:
    """The uploaded name's extension when it is plain ('.mp3'), else none: formats are then sniffed."""
    match = re.search(r"\.([A-Za-z0-9]{1,8})$", name or "")
    return "." + match.group(1).lower() if match else ""


@dataclass(frozen=True)
class Check:
    """One row of the index."""

    id: str
    title: str
    date: Optional[str]
    created: float
    status: str
    stage: str
    progress: float
    error: Optional[str]
    recording_name: str
    recording_file: str
    official_name: str
    official_file: str
    settings: dict[str, Any]
    summary: Optional[dict[str, Any]]
    worker_pid: Optional[int]
    started: Optional[float]
    finished: Optional[float]

    def to_dict(self) -> dict[str, Any]:
        """What `GET /api/checks/ID` answers."""
        return {"id": self.id, "title": self.title, "date": self.date, "created": self.created,
                "status": self.status, "stage": self.stage, "progress": round(self.progress, 3),
                "error": self.error, "recording": self.recording_name, "official": self.official_name,
                "settings": self.settings, "summary": self.summary, "started": self.started,
                "finished": self.finished}


class Store:
    """The data folder: `index.sqlite3` and `checks/<id>/`."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).absolute()
        (self.root / "checks").mkdir(parents=True, exist_ok=True)
        self.db_path = self.root / "index.sqlite3"
        with self.connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.db_path, timeout=30)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA foreign_keys=ON")
        try:
            with db:
                yield db
        finally:
            db.close()

    def folder(self, check_id: str) -> Path:
        if not re.fullmatch(r"[0-9a-f]{32}", check_id):
            raise KeyError(check_id)
        return self.root / "checks" / check_id

    # -- checks ---------------------------------------------------------------------------------

    def new_folder(self) -> tuple[str, Path]:
        check_id = uuid.uuid4().hex
        folder = self.folder(check_id)
        folder.mkdir()
        return check_id, folder

    def add(self, check_id: str, title: str, date: Optional[str], recording_name: str, recording_file: str,
            official_name: str, official_file: str, settings: dict[str, Any]) -> Check:
        with self.connect() as db:
            db.execute("INSERT INTO checks (id, title, date, created, status, stage, recording_name, "
                       "recording_file, official_name, official_file, settings) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                       (check_id, title, date, time.time(), "queued", "queued", recording_name, recording_file,
                        official_name, official_file, json.dumps(settings)))
        return self.get(check_id)

    def get(self, check_id: str) -> Optional[Check]:
        with self.connect() as db:
            row = db.execute("SELECT * FROM checks WHERE id = ?", (check_id,)).fetchone()
        return _check(row) if row else None

    def list(self, query: str = "") -> list[Check]:
        """Newest first; `query` matches titles (case-insensitive, anywhere in the title)."""
        pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        with self.connect() as db:
            rows = db.execute("SELECT * FROM checks WHERE title LIKE ? ESCAPE '\\' ORDER BY created DESC",
                              (pattern,)).fetchall()
        return [_check(row) for row in rows]

    def ids_with(self, status: str) -> list[str]:
        with self.connect() as db:
            return [r[0] for r in db.execute("SELECT id FROM checks WHERE status = ? ORDER BY created",
                                             (status,))]

    def update(self, check_id: str, **fields: Any) -> bool:
        """Set fields of one check; False when it is gone (deleted meanwhile)."""
        if "summary" in fields and fields["summary"] is not None:
            fields["summary"] = json.dumps(fields["summary"])
        names = ", ".join(f"{name} = ?" for name in fields)
        with self.connect() as db:
            cursor = db.execute(f"UPDATE checks SET {names} WHERE id = ?", (*fields.values(), check_id))
        return cursor.rowcount == 1

    def fail_running(self, message: str = STOPPED, pid: Optional[int] = None) -> list[str]:
        """Mark failed the checks left running (by a stopped server, or by the worker `pid` that died)."""
        where, args = ("status = 'running'", ()) if pid is None else ("status = 'running' AND worker_pid = ?", (pid,))
        with self.connect() as db:
            ids = [r[0] for r in db.execute(f"SELECT id FROM checks WHERE {where}", args)]
            db.execute(f"UPDATE checks SET status = 'failed', stage = 'failed', error = ?, finished = ? "
                       f"WHERE {where}", (message, time.time(), *args))
        return ids

    def delete(self, check_id: str) -> bool:
        with self.connect() as db:
            gone = db.execute("DELETE FROM checks WHERE id = ?", (check_id,)).rowcount == 1
        shutil.rmtree(self.folder(check_id), ignore_errors=True)
        return gone

    # -- reviews --------------------------------------------------------------------------------

    def set_review(self, check_id: str, discrepancy_id: str, mark: Optional[str], note: str) -> None:
        """Store a reviewer's mark and note; no mark and no note removes the review."""
        with self.connect() as db:
            if not mark and not note.strip():
                db.execute("DELETE FROM reviews WHERE check_id = ? AND discrepancy_id = ?", (check_id, discrepancy_id))
                return
            db.execute("INSERT INTO reviews VALUES (?,?,?,?,?) ON CONFLICT (check_id, discrepancy_id) DO UPDATE "
                       "SET mark = excluded.mark, note = excluded.note, updated = excluded.updated",
                       (check_id, discrepancy_id, mark or "", note.strip(), time.time()))

    def reviews(self, check_id: str) -> dict[str, dict[str, Any]]:
        with self.connect() as db:
            rows = db.execute("SELECT * FROM reviews WHERE check_id = ?", (check_id,)).fetchall()
        return {r["discrepancy_id"]: Review(r["mark"] or None, r["note"], r["updated"]).to_dict() for r in rows}

    def review_counts(self) -> dict[str, dict[str, int]]:
        """Per check, how many discrepancies carry each mark."""
        counts: dict[str, dict[str, int]] = {}
        with self.connect() as db:
            for row in db.execute("SELECT check_id, mark, COUNT(*) FROM reviews GROUP BY check_id, mark"):
                counts.setdefault(row[0], {})[row[1] or "note"] = row[2]
        return counts


def _check(row: sqlite3.Row) -> Check:
    data = dict(row)
    data["settings"] = json.loads(data["settings"])
    data["summary"] = json.loads(data["summary"]) if data["summary"] else None
    return Check(**data)
