"""The server's pages: jinja2 templates in the package's templates/ folder, autoescaped."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from starlette.responses import HTMLResponse

from ..report_view import clock

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"


class Pages:
    def __init__(self) -> None:
        import jinja2

        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                                      undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.env.filters["clock"] = clock
        self.env.filters["when"] = lambda t: time.strftime("%Y-%m-%d %H:%M", time.localtime(t)) if t else ""
        self.env.filters["percent"] = lambda x: f"{x:.0%}"

    def html(self, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(self.env.get_template(name).render(**context), status_code=status_code,
                            headers={"Cache-Control": "no-store"})
