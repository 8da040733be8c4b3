"""A reviewer's mark on one discrepancy: the marks there are, and the `review` field of the JSON report.

`transcheck serve` stores the marks; the JSON report carries them as `review` on each discrepancy
(None when unreviewed), and the HTML report, `render` and `evidence` read them back from there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

MARKS = {
    "real-edit": "listened: real edit",
    "recognition-error": "listened: recognition error",
    "listen-again": "needs another listen",
}
MAX_NOTE = 4000  # characters


@dataclass(frozen=True)
class Review:
    """A mark (one of MARKS, or None for a note alone) and a note; `updated` is a Unix time."""

    mark: Optional[str]
    note: str = ""
    updated: Optional[float] = None

    def __post_init__(self) -> None:
        if self.mark is not None and not isinstance(self.mark, str):
            raise ValueError(f"review mark must be text, not {self.mark!r}")
        if not isinstance(self.note, str):
            raise ValueError(f"review note must be text, not {self.note!r}")

    @property
    def label(self) -> Optional[str]:
        """The words shown for the mark (a mark this version does not know is shown as written)."""
        return MARKS.get(self.mark, self.mark) if self.mark else None

    def to_dict(self) -> dict[str, Any]:
        return {"mark": self.mark, "label": self.label, "note": self.note, "updated": self.updated}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Review":
        mark, updated = data.get("mark"), data.get("updated")
        return cls(str(mark) if mark else None, str(data.get("note") or ""),
                   float(updated) if isinstance(updated, (int, float)) else None)


def review_of(d: dict[str, Any]) -> Optional[Review]:
    """The review a discrepancy (JSON form) carries, or None: no review, an empty one, or not an object."""
    raw = d.get("review")
    if not isinstance(raw, dict):
        return None
    review = Review.from_dict(raw)
    return review if review.mark or review.note.strip() else None
