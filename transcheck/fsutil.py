"""Atomic file output: write beside the target, then rename, so nothing half-written is left."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import OutputError


def check_output_path(path: str | Path, inputs: tuple[str | Path, ...] = ()) -> Path:
    """Refuse an output path that is a directory, unwritable, or one of the inputs.

    A missing folder is fine when it can be created: `atomic_write` makes it on the first write.
    """
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path}: is a directory; give a file name for the output")
    for item in inputs:
        if Path(item).exists() and path.exists() and path.resolve() == Path(item).resolve():
            raise OutputError(f"{path}: is also an input; choose another output file")
    parent = existing_ancestor(path)
    if not parent.is_dir():
        raise OutputError(f"{path}: {parent} is a file, not a folder; choose another output path")
    if not os.access(parent, os.W_OK):
        raise OutputError(f"{path}: folder {parent} is not writable; choose another output path")
    fd, probe = _temporary(path, parent)  # the real test, before any work (root passes os.access anywhere)
    os.close(fd)
    os.unlink(probe)
    return path


def existing_ancestor(path: Path) -> Path:
    """The nearest folder above `path` that exists (or the first existing non-folder in the way)."""
    parent = path.absolute().parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    return parent


def _temporary(path: Path, parent: Path) -> tuple[int, str]:
    """A temporary file beside `path`, or an OutputError saying why there cannot be one."""
    try:
        return tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write here ({exc.strerror}); choose another output path") from None


def atomic_write(path: str | Path, data: str | bytes) -> None:
    """Write `data` to `path` so readers see either the old file or the complete new one."""
    path = Path(path)
    mode = "wb" if isinstance(data, bytes) else "w"
    parent = path.parent if str(path.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write here ({exc.strerror}); choose another output path") from None
    fd, tmp = _temporary(path, parent)
    try:
        with os.fdopen(fd, mode, **({} if mode == "wb" else {"encoding": "utf-8", "newline": ""})) as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
