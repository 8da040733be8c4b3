"""`transcheck serve`: a finished check's evidence pack, PDF and reviewed report, over HTTP and on its page.

The server is the real one on a free port, with a token; its data folder holds one finished check
made without the model (a synthetic report on a real stereo WAV, written as a worker writes it), so
these tests stay fast. The check and its report come from the model in tests/test_serve.py.
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
import time
import zipfile
from contextlib import contextmanager

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
pytest.importorskip("multipart")

from browser import browser, missing  # noqa: E402,F401 (browser: a fixture)
from helpers import Html  # noqa: E402
from serve_client import Server  # noqa: E402
from synthetic import synthetic_report  # noqa: E402
from test_evidence import alarms, write_signal  # noqa: E402
from transcheck.audio import file_sha256  # noqa: E402
from transcheck.report import csp_hash, write_html, write_json  # noqa: E402
from transcheck.serve.settings import parse_settings  # noqa: E402
from transcheck.serve.store import Store  # noqa: E402

TOKEN = "s3cret"
HOSTILE_NOTE = "heard <script>alert(1)</script> twice"
WHY = missing()


def finished_check(data) -> tuple[str, dict]:
    """One done check in a fresh data folder, stored as a worker stores it; its id and report."""
    store = Store(data)
    check_id, folder = store.new_folder()
    recording = folder / "recording.wav"
    report = synthetic_report(0.02, seed=5, recording=str(recording), title="Noon briefing", date="2017-12-07")
    write_signal(recording, report["recording"]["duration"])
    report["recording"].update(sha256=file_sha256(recording), sample_rate=44100, channels=2)
    (folder / "official.txt").write_text("The official transcript.\n", encoding="utf-8")
    write_json(report, folder / "report.json")
    write_html(report, folder / "report.html")
    store.add(check_id, "Noon briefing", "2017-12-07", "noon.wav", "recording.wav", "noon.txt", "official.txt",
              parse_settings(None))
    store.update(check_id, status="done", stage="done", progress=1.0, finished=time.time(),
                 summary={**report["summary"], "duration": report["recording"]["duration"]})
    return check_id, report


@pytest.fixture(scope="module")
def served(tmp_path_factory, session_cache_dir):
    data = tmp_path_factory.mktemp("serve-downloads") / "data"
    check_id, report = finished_check(data)
    server = Server(data, session_cache_dir, "--token", TOKEN).start()
    yield server, check_id, report
    server.stop()


def put_review(server, check_id, discrepancy_id, mark, note=""):
    answer = server.request("PUT", f"/api/checks/{check_id}/reviews/{discrepancy_id}",
                            json.dumps({"mark": mark, "note": note}).encode(), {"Content-Type": "application/json"})
    assert answer.status == 200, answer.body


def leftovers(server, check_id):
    """Anything half-written in the check's folder (temporary files are dotted)."""
    return [p for p in (server.data_dir / "checks" / check_id).rglob(".*")]


def test_the_evidence_pack_after_a_review(served):
    server, check_id, report = served
    cosmetic = next(d for d in report["discrepancies"] if d["severity"] == "cosmetic")
    put_review(server, check_id, cosmetic["id"], "real-edit", "the printed words soften it")
    started = time.monotonic()
    answer = server.request("GET", f"/checks/{check_id}/evidence.zip")
    first = time.monotonic() - started
    assert answer.status == 200, answer.body
    assert answer.headers["Content-Type"] == "application/zip"
    assert answer.headers["Content-Disposition"] == 'attachment; filename="noon-briefing-evidence.zip"'
    pack = zipfile.ZipFile(io.BytesIO(answer.body))
    files = {name.split("/", 1)[1]: pack.read(name) for name in pack.namelist()}
    assert {name.split("/", 1)[0] for name in pack.namelist()} == {"noon-briefing-evidence"}
    manifest = json.loads(files["manifest.json"])
    wanted = sorted(alarms(report) + [cosmetic], key=lambda d: d["recording"]["start"])
    assert [i["id"] for i in manifest["items"]] == [d["id"] for d in wanted]
    assert manifest["recording"]["sha256"] == report["recording"]["sha256"]
    for item in manifest["items"]:  # every clip is in the pack, and its hash checks
        assert hashlib.sha256(files[item["clip"]]).hexdigest() == item["clip_sha256"]
        assert f"{item['id']}.json" in files and f"{item['id']}.txt" in files
    marked = next(i for i in manifest["items"] if i["id"] == cosmetic["id"])
    assert marked["review"]["mark"] == "real-edit" and marked["review"]["note"] == "the printed words soften it"
    assert "Review: listened: real edit" in files[f"{cosmetic['id']}.txt"].decode()
    packed = json.loads(files["report.json"])
    assert {d["id"]: d["review"] for d in packed["discrepancies"]}[cosmetic["id"]]["mark"] == "real-edit"
    # made once: the second download is the same file, until a review changes it
    started = time.monotonic()
    again = server.request("GET", f"/checks/{check_id}/evidence.zip")
    assert again.body == answer.body and time.monotonic() - started < first
    put_review(server, check_id, cosmetic["id"], "listen-again")
    changed = zipfile.ZipFile(io.BytesIO(server.request("GET", f"/checks/{check_id}/evidence.zip").body))
    manifest = json.loads(changed.read("noon-briefing-evidence/manifest.json"))
    assert next(i for i in manifest["items"] if i["id"] == cosmetic["id"])["review"]["mark"] == "listen-again"
    assert [p.name.split("-")[0] for p in (server.data_dir / "checks" / check_id / "downloads").iterdir()] \
        == ["evidence"]  # the stale pack is gone
    assert leftovers(server, check_id) == []


def test_the_evidence_pack_takes_the_options_of_transcheck_evidence(served):
    server, check_id, report = served
    target = alarms(report)[0]["id"]
    answer = server.request("GET", f"/checks/{check_id}/evidence.zip?id={target}&context=0.5")
    assert answer.status == 200, answer.body
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(answer.body)).read("noon-briefing-evidence/manifest.json"))
    assert [i["id"] for i in manifest["items"]] == [target]
    assert manifest["settings"]["evidence"] == {"context": 0.5, "ids": [target]}
    unknown = server.request("GET", f"/checks/{check_id}/evidence.zip?id=d999")
    assert unknown.status == 400 and unknown.json()["error"].startswith("no discrepancy d999 in this report")
    wide = server.request("GET", f"/checks/{check_id}/evidence.zip?context=90")
    assert wide.status == 400 and "between 0 and 60" in wide.json()["error"]
    assert leftovers(server, check_id) == []


def test_the_served_report_shows_the_marks_and_keeps_its_policy(served):
    server, check_id, report = served
    alarm = alarms(report)[0]
    put_review(server, check_id, alarm["id"], "recognition-error", HOSTILE_NOTE)
    answer = server.request("GET", f"/checks/{check_id}/report.html")
    assert answer.status == 200 and answer.headers["Content-Security-Policy"] == "frame-ancestors 'self'"
    raw = answer.body.decode()
    page = Html(raw)
    shown = page.soup.find("li", id=alarm["id"]).select_one("p.review")
    assert shown.select_one(".rmark").get_text() == "listened: recognition error"
    assert shown.select_one(".note").get_text() == HOSTILE_NOTE and "<script>alert(1)" not in raw
    policy = next(a for a in page.all("meta") if a.get("http-equiv") == "Content-Security-Policy")["content"]
    script = next(text for tag, attrs, text in page.raw if tag == "script" and not attrs)
    assert f"script-src '{csp_hash(script)}'" in policy and "default-src 'none'" in policy
    assert page.all("audio")[0]["src"] == "recording.wav"  # still beside the report, as the worker wrote it
    described = server.request("GET", f"/api/checks/{check_id}").json()
    assert described["report_pdf"] == f"/checks/{check_id}/report.pdf"
    assert described["evidence_zip"] == f"/checks/{check_id}/evidence.zip"


@pytest.mark.skipif(WHY is not None, reason=WHY or "")
def test_the_pdf_download_is_the_report_with_its_marks(served):
    from test_pdf import pdf_text

    server, check_id, report = served
    alarm = alarms(report)[1]
    put_review(server, check_id, alarm["id"], "real-edit", "confirmed by the press office")
    answer = server.request("GET", f"/checks/{check_id}/report.pdf")
    assert answer.status == 200, answer.body
    assert answer.headers["Content-Type"] == "application/pdf" and answer.body.startswith(b"%PDF")
    assert answer.headers["Content-Disposition"] == 'attachment; filename="noon-briefing.pdf"'
    path = server.data_dir.parent / "downloaded.pdf"
    path.write_bytes(answer.body)
    text = pdf_text(path)
    assert "Noon briefing" in text and "Provenance" in text
    assert "listened: real edit confirmed by the press office" in text
    assert " ".join(alarm["official"]["text"].split()[:4]) in text
    assert leftovers(server, check_id) == []


def test_the_token_guards_both_downloads(served):
    server, check_id, _ = served
    for name in ("evidence.zip", "report.pdf"):
        refused = server.request("GET", f"/checks/{check_id}/{name}", token=None)
        assert refused.status == 401 and "needs its token" in refused.json()["error"]
        assert server.request("GET", f"/checks/{check_id}/{name}", token="wrong").status == 401


@pytest.mark.skipif(WHY is not None, reason=WHY or "")
def test_the_page_offers_both_downloads(served, browser):
    server, check_id, report = served
    alarm = alarms(report)[2]
    page = browser.new_page(accept_downloads=True)
    try:
        page.goto(f"{server.url}/?token={TOKEN}")  # the token once, then its cookie
        page.goto(f"{server.url}/checks/{check_id}")
        row = page.locator(f"#d-{alarm['id']}")
        row.locator("input[value=listen-again]").check()
        row.locator("input[name=note]").fill("again at <0:12>")
        row.locator("button").click()
        page.wait_for_url(f"{server.url}/checks/{check_id}#d-{alarm['id']}")
        card = page.frame_locator("#report").locator(f"li#{alarm['id']} p.review")
        assert card.inner_text() == "Review: needs another listen again at <0:12>"
        with page.expect_download() as wait:
            page.click("#evidence-link")
        download = wait.value
        assert download.suggested_filename == "noon-briefing-evidence.zip"
        with zipfile.ZipFile(download.path()) as pack:
            manifest = json.loads(pack.read("noon-briefing-evidence/manifest.json"))
        assert next(i for i in manifest["items"] if i["id"] == alarm["id"])["review"]["note"] == "again at <0:12>"
        assert page.get_attribute("#pdf-link", "href") == f"/checks/{check_id}/report.pdf"
    finally:
        page.close()


@contextmanager
def in_process(data, monkeypatch):
    """The server's app under uvicorn in this process (no workers), so a test can take Chromium away."""
    import uvicorn

    from transcheck.serve.app import create_app
    from transcheck.serve.config import ServeConfig

    client = Server(data, data.parent / "cache")
    config = ServeConfig(port=client.port, data_dir=data)
    server = uvicorn.Server(uvicorn.Config(create_app(config, start_workers=False), host="127.0.0.1",
                                           port=client.port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield client
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_without_chromium_the_pdf_is_one_line_and_the_page_says_so(tmp_path, monkeypatch):
    from transcheck import chromium

    monkeypatch.setattr(chromium, "chromium_path", lambda: None)
    check_id, _ = finished_check(tmp_path / "data")
    with in_process(tmp_path / "data", monkeypatch) as server:
        answer = server.request("GET", f"/checks/{check_id}/report.pdf")
        assert answer.status == 503
        error = answer.json()["error"]
        assert error.startswith("the PDF needs headless Chromium, and chromium is not installed") and "\n" not in error
        assert "apt-get install chromium" in error
        link = server.request("GET", f"/checks/{check_id}/report.pdf", headers={"Accept": "text/html"})
        assert link.status == 503 and link.body.decode() == f"Error: {error}\n"
        page = Html(server.request("GET", f"/checks/{check_id}").body.decode())
        assert not page.all("a", id="pdf-link")
        assert "".join(page.soup.find(id="pdf-missing").strings) == f"No PDF from this server: {error}"
        assert page.all("a", id="evidence-link")[0]["href"] == f"/checks/{check_id}/evidence.zip"
