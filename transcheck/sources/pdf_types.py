"""Positioned lines of a PDF page, as the layout rules read them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    """One line of text on a page: left and right edges, `top`/`bottom` in points from the top edge."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    lead: str = ""  # the bold run the line opens with, when the rest is not bold


@dataclass(frozen=True)
class Page:
    """A page's lines; `margin` holds its margin line numbers ("1 2 ... 25") when it has them."""

    height: float
    lines: tuple[Line, ...]
    margin: str = ""
