"""What a format reader returns: the plain text the report shows, and optional cue times."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Cue


@dataclass(frozen=True)
class Extracted:
    """Plain text extracted from one file; `cues` (captions) are character spans with times."""

    text: str
    cues: tuple[Cue, ...] = ()
