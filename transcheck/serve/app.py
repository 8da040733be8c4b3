"""The Starlette application: the API under /api, the pages, the reports and the recordings.

Every page and answer comes from this machine: the pages load no script (the check page refreshes
itself with a meta tag while it runs), their Content-Security-Policy allows nothing from elsewhere,
and the report keeps its own policy.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from contextlib import asynccontextmanager
from typing import Any, Optional
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import InputError, TranscheckError
from ..review import MARKS, MAX_NOTE
from .config import ServeConfig, format_size
from .downloads import Downloads, build_evidence, build_pdf, build_report, chunks, key_of, slug
from .guard import Guard, refusal
from .pages import STATIC, Pages
from .settings import FIELDS, parse_settings
from .store import Check, Store, safe_suffix
from .worker import WorkerPool

log = logging.getLogger("transcheck")

CHUNK = 1024 * 1024


class UploadError(Exception):
    """An upload refused before it is queued: the HTTP status and the one-line message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def create_app(config: ServeConfig, start_workers: bool = True) -> Starlette:
    """The server for `config`; its workers start and stop with the application (lifespan)."""
    store = Store(config.data_dir)
    pool = WorkerPool(store, config.workers, config.cache_dir, config.use_cache)
    pages = Pages()
    downloads = Downloads(store)

    @asynccontextmanager
    async def lifespan(app):
        if start_workers:
            await run_in_threadpool(pool.start)
        try:
            yield
        finally:
            if start_workers:
                await run_in_threadpool(pool.stop)

    def found(request: Request) -> Check:
        check_id = request.path_params["check_id"]
        try:
            row = store.get(check_id) if store.folder(check_id) else None
        except KeyError:
            row = None
        if row is None:
            raise LookupError(check_id)
        return row

    async def accept(request: Request) -> Check:
        """Store an upload under generated names and queue it."""
        length = request.headers.get("content-length")
        if length is None or not length.isdigit():
            raise UploadError(411, "the upload has no Content-Length; send the files as multipart/form-data")
        if int(length) > config.max_upload:
            raise UploadError(413, f"the upload is {format_size(int(length))}, over this server's limit of "
                                   f"{format_size(config.max_upload)}; start it with a larger --max-upload")
        async with request.form(max_files=2, max_fields=20) as form:
            uploads = {name: form.get(name) for name in ("recording", "official")}
            for name, upload in uploads.items():
                if upload is None or isinstance(upload, str) or not upload.filename:
                    raise UploadError(400, f"{name}: missing; send the {name} as a file field named {name!r}")
            try:
                # the API sends one JSON field; the page sends a field per setting (a checkbox after
                # its hidden default, so the last value counts)
                settings = parse_settings(form.get("settings") or {k: form.getlist(k)[-1] for k in FIELDS
                                                                   if form.getlist(k)})
            except InputError as exc:
                raise UploadError(400, str(exc)) from None
            check_id, folder = store.new_folder()
            names = {}
            for name, upload in uploads.items():
                names[name] = name + safe_suffix(upload.filename)
                await run_in_threadpool(_save, upload.file, folder / names[name])
            recording_name = _display_name(uploads["recording"].filename)
            title = (form.get("title") or "").strip() or recording_name
            row = store.add(check_id, title[:300], (form.get("date") or "").strip()[:40] or None, recording_name,
                            names["recording"], _display_name(uploads["official"].filename), names["official"],
                            settings)
        pool.submit(check_id)
        log.info("check %s queued (%s)", check_id, row.title)
        return row

    # -- API -----------------------------------------------------------------------------------

    async def api_create(request: Request) -> Response:
        try:
            row = await accept(request)
        except UploadError as exc:
            return JSONResponse({"error": str(exc)}, status_code=exc.status)
        return JSONResponse({"id": row.id, "status": row.status, "url": f"/api/checks/{row.id}"}, status_code=201)

    async def api_list(request: Request) -> Response:
        return JSONResponse({"checks": [described(r) for r in store.list(request.query_params.get("q", ""))]})

    async def api_get(request: Request) -> Response:
        return JSONResponse(described(found(request)))

    async def api_delete(request: Request) -> Response:
        row = found(request)
        if row.status == "running":
            return JSONResponse({"error": "this check is running; delete it once it has finished"}, status_code=409)
        store.delete(row.id)
        return Response(status_code=204)

    async def api_review(request: Request) -> Response:
        row = found(request)
        try:
            body = await request.json()
        except json.JSONDecodeError:
            body = None
        if not isinstance(body, dict):
            return JSONResponse({"error": 'send a JSON object like {"mark": "real-edit", "note": "..."}'},
                                status_code=400)
        error = review(row, request.path_params["discrepancy_id"], body.get("mark"), body.get("note") or "")
        if error:
            return JSONResponse({"error": error}, status_code=400)
        return JSONResponse(store.reviews(row.id).get(request.path_params["discrepancy_id"], {}))

    def described(row: Check) -> dict[str, Any]:
        data = row.to_dict()
        data["reviews"] = {k: v["mark"] for k, v in store.reviews(row.id).items()}
        if row.status == "done":
            for name in ("report.html", "report.json", "report.pdf", "evidence.zip"):
                data[name.replace(".", "_")] = f"/checks/{row.id}/{name}"
        return data

    def review(row: Check, discrepancy_id: str, mark: Optional[str], note: str) -> Optional[str]:
        """Store a review; the reason it was refused, or None."""
        if row.status != "done":
            return "this check has no report yet; review it once it is done"
        if mark and mark not in MARKS:
            return f"mark {mark!r}: choose one of {', '.join(MARKS)}"
        if discrepancy_id not in {d["id"] for d in report_of(row)["discrepancies"]}:
            return f"discrepancy {discrepancy_id!r}: not in this report"
        store.set_review(row.id, discrepancy_id, mark or None, str(note)[:MAX_NOTE])
        downloads.forget(row.id)
        return None

    def report_of(row: Check) -> dict[str, Any]:
        """The JSON report with each discrepancy's review (None when nobody has reviewed it)."""
        report = json.loads((store.folder(row.id) / "report.json").read_text(encoding="utf-8"))
        reviews = store.reviews(row.id)
        for d in report["discrepancies"]:
            d["review"] = reviews.get(d["id"])
        return report

    # -- reports and the recording --------------------------------------------------------------

    async def report_html(request: Request) -> Response:
        """The worker's report.html; once reviewed, the same report re-rendered with its marks."""
        row = found(request)
        if row.status != "done":
            return not_ready(row)
        headers = {"Cache-Control": "no-store",
                   # the report's own policy is in its <meta>; this only adds framing
                   "Content-Security-Policy": "frame-ancestors 'self'"}
        if not store.reviews(row.id):
            return FileResponse(store.folder(row.id) / "report.html", media_type="text/html; charset=utf-8",
                                headers=headers)
        report = await run_in_threadpool(report_of, row)
        beside = store.folder(row.id) / "report.html"
        handle = await run_in_threadpool(downloads.open, row, "report", key_of(report),
                                         lambda target: build_report(report, beside, target))
        return streamed(handle, "text/html; charset=utf-8", headers)

    async def report_pdf(request: Request) -> Response:
        """The report printed by headless Chromium, as `transcheck render -o report.pdf` prints it."""
        row = found(request)
        if row.status != "done":
            return not_ready(row)
        why = await run_in_threadpool(lambda: downloads.pdf_missing)
        if why:
            return refusal(request, 503, why)
        report = await run_in_threadpool(report_of, row)
        return await download(request, row, "pdf", key_of(report), lambda target: build_pdf(report, target),
                              "application/pdf", f"{slug(row.title)}.pdf")

    async def evidence_zip(request: Request) -> Response:
        """What `transcheck evidence` writes (every alarm and every reviewed discrepancy, or ?id=...),
        with the report.json it was cut from, as one zip."""
        row = found(request)
        if row.status != "done":
            return not_ready(row)
        ids = tuple(request.query_params.getlist("id"))
        try:
            context = float(request.query_params.get("context", "2"))
        except ValueError:
            context = -1.0
        if not 0 <= context <= 60:
            return refusal(request, 400, "context: give the seconds of audio either side, between 0 and 60")
        report, top = await run_in_threadpool(report_of, row), f"{slug(row.title)}-evidence"
        recording = store.folder(row.id) / row.recording_file
        return await download(request, row, "evidence", key_of(report, ids, context),
                              lambda target: build_evidence(report, recording, ids, context, top, target),
                              "application/zip", f"{top}.zip")

    async def download(request: Request, row: Check, kind: str, key: str, build, media_type: str,
                       filename: str) -> Response:
        try:
            handle = await run_in_threadpool(downloads.open, row, kind, key, build)
        except InputError as exc:
            return refusal(request, 400, str(exc))
        except TranscheckError as exc:
            return refusal(request, 500, str(exc))
        except (OSError, TimeoutError) as exc:
            log.warning("check %s: the %s could not be made", row.id, kind, exc_info=True)
            return refusal(request, 500, f"the {kind} could not be made ({type(exc).__name__}: {exc}); try again")
        return streamed(handle, media_type, {"Content-Disposition": f'attachment; filename="{filename}"',
                                             "Cache-Control": "no-store"})

    def streamed(handle, media_type: str, headers: dict[str, str]) -> Response:
        """The opened file, read in a thread (it stays readable if a review removes it meanwhile)."""
        size = os.fstat(handle.fileno()).st_size
        return StreamingResponse(chunks(handle), media_type=media_type,
                                 headers={**headers, "Content-Length": str(size)})

    async def report_json(request: Request) -> Response:
        row = found(request)
        if row.status != "done":
            return not_ready(row)
        return JSONResponse(report_of(row), headers={"Content-Disposition": f'inline; filename="{row.id}.json"'})

    def not_ready(row: Check) -> Response:
        return JSONResponse({"error": f"this check is {row.status}; it has no report"}, status_code=404)

    async def recording(request: Request) -> Response:
        """The uploaded recording, with HTTP range requests (206) so the report's player can seek."""
        row = found(request)
        if request.path_params["name"] != row.recording_file:
            return JSONResponse({"error": "no such file"}, status_code=404)
        return FileResponse(store.folder(row.id) / row.recording_file)

    # -- pages ----------------------------------------------------------------------------------

    async def start_page(request: Request) -> Response:
        return pages.html("start.html", max_upload=format_size(config.max_upload), error=None)

    async def list_page(request: Request) -> Response:
        query = request.query_params.get("q", "")
        return pages.html("list.html", checks=store.list(query), query=query, reviews=store.review_counts(),
                          marks=MARKS)

    async def page_create(request: Request) -> Response:
        try:
            row = await accept(request)
        except UploadError as exc:
            return pages.html("start.html", max_upload=format_size(config.max_upload), error=str(exc),
                              status_code=exc.status)
        return RedirectResponse(f"/checks/{row.id}", status_code=303)

    async def check_page(request: Request) -> Response:
        row = found(request)
        report = report_of(row) if row.status == "done" else None
        pdf_missing = await run_in_threadpool(lambda: downloads.pdf_missing) if report else None
        return pages.html("check.html", check=row, report=report, marks=MARKS, max_note=MAX_NOTE,
                          pdf_missing=pdf_missing, error=request.query_params.get("error"))

    async def page_review(request: Request) -> Response:
        row = found(request)
        form = await request.form()
        discrepancy_id = request.path_params["discrepancy_id"]
        error = review(row, discrepancy_id, form.get("mark") or None, form.get("note") or "")
        where = f"/checks/{row.id}" + (f"?{urlencode({'error': error})}" if error else "") + f"#d-{discrepancy_id}"
        return RedirectResponse(where, status_code=303)

    async def page_delete(request: Request) -> Response:
        row = found(request)
        if row.status == "running":
            return RedirectResponse(f"/checks/{row.id}?error=running", status_code=303)
        store.delete(row.id)
        return RedirectResponse("/checks", status_code=303)

    async def not_found(request: Request, exc: Exception) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "no such check"}, status_code=404)
        return pages.html("missing.html", status_code=404)

    routes = [
        Route("/", start_page),
        Route("/checks", list_page),
        Route("/checks", page_create, methods=["POST"]),
        Route("/checks/{check_id}", check_page),
        Route("/checks/{check_id}/delete", page_delete, methods=["POST"]),
        Route("/checks/{check_id}/reviews/{discrepancy_id}", page_review, methods=["POST"]),
        Route("/checks/{check_id}/report.html", report_html),
        Route("/checks/{check_id}/report.json", report_json),
        Route("/checks/{check_id}/report.pdf", report_pdf),
        Route("/checks/{check_id}/evidence.zip", evidence_zip),
        Route("/checks/{check_id}/{name}", recording),
        Route("/api/checks", api_list),
        Route("/api/checks", api_create, methods=["POST"]),
        Route("/api/checks/{check_id}", api_get),
        Route("/api/checks/{check_id}", api_delete, methods=["DELETE"]),
        Route("/api/checks/{check_id}/reviews/{discrepancy_id}", api_review, methods=["PUT"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={LookupError: not_found, 404: not_found})
    app.add_middleware(Guard, token=config.token, loopback=config.loopback)
    app.state.pool, app.state.store = pool, store
    return app


def _save(source, target) -> None:
    source.seek(0)
    with open(target, "xb") as out:
        shutil.copyfileobj(source, out, CHUNK)


def _display_name(name: str) -> str:
    """The uploaded name for display only (never a path): its last component, printable, bounded."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c for c in name if c.isprintable())[:200] or "upload"
