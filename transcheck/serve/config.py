"""The server's settings, with the rules that keep it safe by default."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..errors import InputError

LOOPBACK = ("127.0.0.1", "localhost", "::1")
DEFAULT_MAX_UPLOAD = 4 * 1000 ** 3  # 4 GB
UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "m": 1000 ** 2, "mb": 1000 ** 2, "g": 1000 ** 3, "gb": 1000 ** 3,
         "kib": 1024, "mib": 1024 ** 2, "gib": 1024 ** 3}


def default_data_dir() -> Path:
    """$TRANSCHECK_DATA_DIR, else $XDG_DATA_HOME/transcheck, else ~/.local/share/transcheck."""
    base = os.environ.get("TRANSCHECK_DATA_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "transcheck"


def parse_size(text: str) -> int:
    """'4GB', '500 MB', '2GiB' or a plain number of bytes."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", text)
    if not match or match.group(2).lower() not in UNITS:
        raise InputError(f"--max-upload {text!r}: not a size; write it like 4GB, 500MB or 2GiB")
    size = int(float(match.group(1)) * UNITS[match.group(2).lower()])
    if size < 1:
        raise InputError(f"--max-upload {text!r}: must be at least one byte")
    return size


def format_size(size: int) -> str:
    for unit, factor in (("GB", 1000 ** 3), ("MB", 1000 ** 2), ("kB", 1000)):
        if size >= factor:
            return f"{size / factor:.3g} {unit}"
    return f"{size} bytes"


@dataclass(frozen=True)
class ServeConfig:
    """Where the server listens, where it keeps its checks, and what it accepts."""

    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = Path(".")
    workers: int = 1
    token: Optional[str] = None
    max_upload: int = DEFAULT_MAX_UPLOAD
    cache_dir: Optional[Path] = None  # None: the default transcript cache
    use_cache: bool = True

    def __post_init__(self) -> None:
        if self.host not in LOOPBACK and not self.token:
            raise InputError(f"--host {self.host}: listening beyond this machine needs --token (every request "
                             "must then carry it); pass --token SECRET, or leave --host at 127.0.0.1")
        if self.workers < 1:
            raise InputError(f"--workers {self.workers}: must be at least 1")

    @property
    def loopback(self) -> bool:
        return self.host in LOOPBACK

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"
