"""`transcheck serve`: the real server in a subprocess on a free port, the real model on the bundled sample.

The unit tests cover the settings, the store and the safety rules without a server; the rest start
`transcheck serve` and talk to it over HTTP (and, where Chromium is installed, through its pages).
Model runs are few: the sample is checked through the API and through the page, and the transcript
cache (one per test run) serves the later uploads of the same recording.
"""

from __future__ import annotations

import html
import json
import re
import time

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
pytest.importorskip("multipart")

from helpers import run  # noqa: E402
from serve_client import Server  # noqa: E402
from transcheck.errors import InputError  # noqa: E402
from transcheck.serve.config import ServeConfig, parse_size  # noqa: E402
from transcheck.serve.settings import parse_settings  # noqa: E402
from transcheck.serve.store import STOPPED, Store, safe_suffix  # noqa: E402

# -- units ------------------------------------------------------------------------------------------


def test_sizes():
    assert parse_size("4GB") == 4_000_000_000
    assert parse_size("500 MB") == 500_000_000
    assert parse_size("2GiB") == 2 * 1024 ** 3
    assert parse_size("1234") == 1234
    with pytest.raises(InputError, match="not a size"):
        parse_size("lots")


def test_other_host_needs_a_token(tmp_path):
    with pytest.raises(InputError, match="needs --token"):
        ServeConfig(host="0.0.0.0", data_dir=tmp_path)
    assert not ServeConfig(host="0.0.0.0", token="s", data_dir=tmp_path).loopback
    assert ServeConfig(data_dir=tmp_path).loopback


def test_uploaded_names_keep_only_a_plain_extension():
    assert safe_suffix("../../x.txt") == ".txt"
    assert safe_suffix("briefing.MP3") == ".mp3"
    assert safe_suffix("a.tar/../../etc") == ""
    assert safe_suffix("evil.p h p") == ""
    assert safe_suffix("") == ""


def test_settings_are_checked():
    assert parse_settings(None)["verify"] is True
    assert parse_settings('{"verify": false, "beam_size": "3"}') | {} == {
        "official_format": None, "language": "en", "beam_size": 3, "vad": False, "verify": False, "force": False}
    for raw, message in (('{"beam": 3}', "unknown beam"), ("{nope", "not JSON"), ('{"beam_size": 99}', "between"),
                         ('{"official_format": "odt"}', "not one of"), ('{"verify": "maybe"}', "true or false")):
        with pytest.raises(InputError, match=message):
            parse_settings(raw)


def test_store_lists_newest_first_searches_titles_and_fails_what_was_running(tmp_path):
    store = Store(tmp_path)
    ids = []
    for title in ("Noon briefing 5 May", "Security Council 100% stakeout", "noon briefing 6 May"):
        check_id, _ = store.new_folder()
        store.add(check_id, title, None, "a.mp3", "recording.mp3", "b.txt", "official.txt", parse_settings(None))
        ids.append(check_id)
        time.sleep(0.01)
    assert [c.id for c in store.list()] == ids[::-1]
    assert [c.title for c in store.list("NOON")] == ["noon briefing 6 May", "Noon briefing 5 May"]
    assert [c.id for c in store.list("100%")] == [ids[1]] and store.list("_") == []
    store.update(ids[0], status="running", worker_pid=123)
    assert Store(tmp_path).fail_running() == [ids[0]]
    assert store.get(ids[0]).status == "failed" and store.get(ids[0]).error == STOPPED
    with pytest.raises(KeyError):
        store.folder("../../etc")


# -- the real server ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory, session_cache_dir):
    server = Server(tmp_path_factory.mktemp("serve") / "data", session_cache_dir).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def sample(sample_dir):
    return {"recording": ("briefing.mp3", (sample_dir / "briefing.mp3").read_bytes()),
            "official": ("official.txt", (sample_dir / "official.txt").read_bytes())}


@pytest.fixture(scope="module")
def done(server, sample):
    """The sample checked through the API: its id, last state and every (status, stage) seen on the way."""
    answer = server.upload(sample["recording"], sample["official"], title="UNMISS sample", date="2017-12-07")
    assert answer.status == 201, answer.body
    check_id = answer.json()["id"]
    state, seen = server.wait(check_id)
    return check_id, state, seen


@pytest.mark.model
def test_api_upload_runs_the_check_and_reports_progress(server, done, sample_dir, session_cache_dir, tmp_path):
    check_id, state, seen = done
    assert state["status"] == "done", state["error"]
    assert seen[0][0] in ("queued", "running") and seen[-1] == ("done", "done")
    order = ["queued", "reading", "transcribing", "comparing", "writing report", "done"]
    stages = [order.index(stage) for _, stage in seen]
    assert stages == sorted(stages) and any(status == "running" for status, _ in seen), seen
    assert state["title"] == "UNMISS sample" and state["date"] == "2017-12-07"
    assert state["summary"]["recorded_words"] > 50 and state["progress"] == 1.0
    report = server.request("GET", f"/checks/{check_id}/report.json").json()
    # the same library code as `check`: the CLI on the same files finds the same discrepancies
    out = tmp_path / "cli.json"
    result = run("check", sample_dir / "briefing.mp3", sample_dir / "official.txt", "--json", out, "-q",
                 "--cache-dir", session_cache_dir, "--title", "UNMISS sample")
    assert result.exit_code == 0, result.output
    cli = json.loads(out.read_text())
    assert [(d["kind"], d["recording"]["text"], d["official"]["text"], d["verdict"]) for d in cli["discrepancies"]] \
        == [(d["kind"], d["recording"]["text"], d["official"]["text"], d["verdict"]) for d in report["discrepancies"]]
    assert cli["summary"] == {k: v for k, v in state["summary"].items() if k != "duration"}
    assert all(d["review"] is None for d in report["discrepancies"])
    listed = server.request("GET", "/api/checks").json()["checks"]
    assert check_id in [c["id"] for c in listed]


@pytest.mark.model
def test_report_keeps_its_policy_and_the_audio_seeks(server, done):
    check_id = done[0]
    page = server.request("GET", f"/checks/{check_id}/report.html")
    assert page.status == 200
    policy = html.unescape(re.search(rb'http-equiv="Content-Security-Policy" content="([^"]+)"',
                                     page.body).group(1).decode())
    assert page.headers["Content-Security-Policy"] == "frame-ancestors 'self'"  # adds to the report's, no more
    assert "default-src 'none'" in policy and "media-src 'self'" in policy
    src = re.search(rb'<audio[^>]*src="([^"]+)"', page.body).group(1).decode()
    assert src == "recording.mp3"
    whole = server.request("GET", f"/checks/{check_id}/{src}")
    part = server.request("GET", f"/checks/{check_id}/{src}", headers={"Range": "bytes=1000-1999"})
    assert part.status == 206 and part.headers["Content-Range"] == f"bytes 1000-1999/{len(whole.body)}"
    assert part.body == whole.body[1000:2000]
    assert server.request("GET", f"/checks/{check_id}/index.sqlite3").status == 404


@pytest.mark.model
def test_review_is_stored_and_exported(server, done):
    check_id = done[0]
    report = server.request("GET", f"/checks/{check_id}/report.json").json()
    target = report["discrepancies"][0]["id"]
    body = json.dumps({"mark": "recognition-error", "note": "said “peace”, heard <peas>"}).encode()
    answer = server.request("PUT", f"/api/checks/{check_id}/reviews/{target}", body, {"Content-Type": "application/json"})
    assert answer.status == 200, answer.body
    bad = server.request("PUT", f"/api/checks/{check_id}/reviews/{target}", b'{"mark": "guilty"}')
    assert bad.status == 400 and "choose one of" in bad.json()["error"]
    exported = server.request("GET", f"/checks/{check_id}/report.json").json()
    review = {d["id"]: d["review"] for d in exported["discrepancies"]}[target]
    assert review["mark"] == "recognition-error" and review["label"] == "listened: recognition error"
    assert review["note"] == "said “peace”, heard <peas>"
    page = server.request("GET", f"/checks/{check_id}").body.decode()
    assert "heard &lt;peas&gt;" in page and "<peas>" not in page
    assert "1 listened: recognition error" in server.request("GET", "/checks").body.decode()


@pytest.mark.model
def test_names_never_become_paths(server, sample):
    data = server.data_dir.resolve()
    answer = server.upload(("../../x.mp3", sample["recording"][1]), ("../../x.txt", sample["official"][1]),
                           verify="false", beam_size="5")  # settings as the page sends them, a field each
    assert answer.status == 201, answer.body
    state, _ = server.wait(answer.json()["id"])
    assert state["status"] == "done", state["error"]
    assert state["settings"]["verify"] is False and state["summary"]["verdicts"]["confirmed"] == 0
    assert state["official"] == "x.txt" and state["recording"] == "x.mp3"
    folder = data / "checks" / state["id"]
    assert sorted(p.name for p in folder.iterdir()) == ["official.txt", "recording.mp3", "report.html", "report.json"]
    # where "../../x.*" would have landed, and anywhere in this server's own folder outside its checks
    assert not (data.parent.parent / "x.txt").exists() and not (data.parent.parent / "x.mp3").exists()
    assert not [p for p in data.parent.rglob("x.*") if p.name in ("x.txt", "x.mp3")]


def test_a_non_audio_upload_fails_with_the_message_check_prints(server, sample, tmp_path, sample_dir):
    junk = b"This is a letter, not a recording.\n" * 20
    answer = server.upload(("notes.mp3", junk), sample["official"])
    state, _ = server.wait(answer.json()["id"], timeout=120)
    assert state["status"] == "failed" and state["summary"] is None
    assert "\n" not in state["error"] and state["error"].startswith("notes.mp3: ")
    (tmp_path / "notes.mp3").write_bytes(junk)
    result = run("check", tmp_path / "notes.mp3", sample_dir / "official.txt", "-q")
    assert result.exit_code == 2
    assert result.output.strip() == "Error: " + state["error"].replace("notes.mp3", str(tmp_path / "notes.mp3"))
    page = server.request("GET", f"/checks/{state['id']}").body.decode()
    assert "Error: notes.mp3: " in page
    assert server.request("GET", f"/checks/{state['id']}/report.json").status == 404


def test_bad_requests_are_refused_with_a_reason(server, sample):
    missing = server.request("POST", "/api/checks", b"", {"Content-Type": "multipart/form-data; boundary=x"})
    assert missing.status == 400 and "recording: missing" in missing.json()["error"]
    wrong = server.upload(sample["recording"], sample["official"], settings='{"beam": 2}')
    assert wrong.status == 400 and "unknown beam" in wrong.json()["error"]
    assert server.request("GET", "/api/checks/0123456789abcdef0123456789abcdef").status == 404
    assert server.request("GET", "/api/checks/..%2f..%2fetc").status == 404
    foreign = server.request("GET", "/api/checks", headers={"Host": "attacker.example:80"})
    assert foreign.status == 421
    cross = server.request("DELETE", "/api/checks/0123456789abcdef0123456789abcdef",
                           headers={"Origin": "https://evil.example"})  # a page elsewhere reaching in
    assert cross.status == 403


def test_token_size_cap_and_a_check_left_running(tmp_path, session_cache_dir, sample):
    data = tmp_path / "data"
    store = Store(data)
    check_id, _ = store.new_folder()
    store.add(check_id, "left running", None, "a.mp3", "recording.mp3", "b.txt", "official.txt", parse_settings(None))
    store.update(check_id, status="running", stage="transcribing")
    server = Server(data, session_cache_dir, "--token", "s3cret", "--max-upload", "100kB").start()
    try:
        refused = server.request("GET", "/api/checks", token=None)
        assert refused.status == 401 and "needs its token" in refused.json()["error"]
        assert server.request("GET", "/", token="wrong").status == 401
        assert server.request("GET", f"/checks/{check_id}/report.json", token=None).status == 401
        state = server.request("GET", f"/api/checks/{check_id}").json()
        assert state["status"] == "failed" and state["error"] == STOPPED
        big = server.upload(sample["recording"], sample["official"])
        assert big.status == 413 and "over this server's limit of 100 kB" in big.json()["error"]
        assert "--max-upload" in big.json()["error"]
        page = server.request("GET", "/?token=s3cret", token=None)
        assert page.status == 200 and "transcheck_token=s3cret" in page.headers["Set-Cookie"]
    finally:
        server.stop()


def test_another_host_without_a_token_is_refused():
    result = run("serve", "--host", "0.0.0.0")
    assert result.exit_code == 2
    assert "needs --token" in result.output


@pytest.mark.model
def test_the_pages_in_a_browser(server, sample_dir, done):
    """Upload through the form, watch the progress, seek the report's audio, mark a discrepancy."""
    from browser import launch, missing
    from browser import wait_ready

    why = missing()
    if why:
        pytest.skip(why)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page()
        errors, ranges, outside = [], [], []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((server.url, "data:", "blob:"))
                else None)
        page.on("response", lambda r: ranges.append(r.status) if "/recording.mp3" in r.url else None)
        page.goto(server.url + "/")
        page.set_input_files("input[name=recording]", str(sample_dir / "briefing.mp3"))
        page.set_input_files("input[name=official]", str(sample_dir / "official.txt"))
        page.fill("input[name=title]", "Browser upload <b>bold</b>")
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"/checks/[0-9a-f]{32}$"))
        check_id = page.url.rsplit("/", 1)[1]
        stages = set()
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            status = page.get_attribute("#status", "data-status")
            stages.add((status, page.get_attribute("#status", "data-stage")))
            if status in ("done", "failed"):
                break
            page.wait_for_timeout(300)
        assert status == "done", page.inner_text("#status")
        assert any(s in ("queued", "running") for s, _ in stages)
        assert page.inner_text("h1") == "Browser upload <b>bold</b>"
        frame = page.frame_locator("#report")
        frame.locator("audio").wait_for(state="attached")
        report = page.frames[1]
        wait_ready(report)
        report.evaluate("() => { const a = document.querySelector('audio'); a.currentTime = 20; }")
        deadline = time.monotonic() + 30
        while report.evaluate("() => document.querySelector('audio').readyState") < 1 and time.monotonic() < deadline:
            page.wait_for_timeout(100)
        assert report.evaluate("() => Math.round(document.querySelector('audio').currentTime)") == 20
        assert 206 in ranges
        first = page.locator("#review li").first
        target = first.get_attribute("id")[2:]
        first.locator("input[value=real-edit]").check()
        first.locator("input[name=note]").fill("checked twice at 0:20")
        first.locator("button").click()
        page.wait_for_url(re.compile(rf"/checks/{check_id}#d-{target}$"))
        assert page.locator(f"#d-{target} .current").inner_text().startswith("listened: real edit")
        shown = page.frame_locator("#report").locator(f"li#{target} p.review")  # in the report itself
        assert " ".join(shown.text_content().split()) == "Review: listened: real edit checked twice at 0:20"
        page.goto(server.url + "/checks?q=browser")
        rows = page.locator("#checks tbody tr")
        assert rows.count() == 1 and "1 listened: real edit" in rows.first.inner_text()
        assert errors == [] and outside == []
        browser.close()
    assert server.request("GET", f"/api/checks/{check_id}").json()["settings"]["verify"] is True
    exported = server.request("GET", f"/checks/{check_id}/report.json").json()
    review = {d["id"]: d["review"] for d in exported["discrepancies"]}[target]
    assert review["mark"] == "real-edit" and review["note"] == "checked twice at 0:20"


@pytest.mark.model
def test_restart_finds_everything(server, done):
    check_id = done[0]
    before = server.request("GET", "/api/checks").json()["checks"]
    report = server.request("GET", f"/checks/{check_id}/report.json").json()
    server.stop()
    server.start()
    after = server.request("GET", "/api/checks").json()["checks"]
    assert [(c["id"], c["status"], c["reviews"]) for c in after] == [(c["id"], c["status"], c["reviews"]) for c in before]
    assert server.request("GET", f"/checks/{check_id}/report.json").json() == report
    assert server.request("GET", f"/checks/{check_id}/report.html").status == 200
    deleted = server.request("DELETE", f"/api/checks/{check_id}")
    assert deleted.status == 204
    assert server.request("GET", f"/api/checks/{check_id}").status == 404
    assert not (server.data_dir / "checks" / check_id).exists()
