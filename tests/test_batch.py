"""`transcheck batch` end to end with the real model on short synthetic briefings: every output,
resume after a real SIGKILL, a crashed worker, and the Ray executor giving the local executor's outputs."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from briefings import BRIEFINGS, add_corrupt, make_archive
from helpers import Html
from transcheck.batch.inputs import discover
from transcheck.batch.local import LocalExecutor
from transcheck.batch.types import WorkSpec
from transcheck.cli import main
from transcheck.options import CheckOptions

pytestmark = pytest.mark.model

IDS = sorted(b.rel_stem.replace("/", "--") for b in BRIEFINGS)
CORRUPT = "2018-06-01-corrupt"
COMMON = ("--no-verify", "--threads", "1")


def batch(*args) -> Result:
    return CliRunner().invoke(main, ["batch", *map(str, args)], catch_exceptions=False)


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    root = make_archive(tmp_path_factory.mktemp("archive"))
    add_corrupt(root, CORRUPT)
    (root / "2018-07-04-lonely.txt").write_text("Nobody recorded this one.\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def local_run(archive, tmp_path_factory, session_cache_dir):
    out = tmp_path_factory.mktemp("reports")
    result = batch(archive, "-o", out, "--workers", "2", "--cache-dir", session_cache_dir, *COMMON)
    return out, result


def stray_files(out: Path) -> list[str]:
    return [p.name for p in out.iterdir() if p.name.endswith(".tmp")]


def comparable(report: dict) -> dict:
    """A JSON report without what differs from run to run: timings (and whether the cache was hit)."""
    return dict(report, timings=None)


def test_batch_writes_a_report_per_briefing_and_records_failures(local_run, archive):
    out, result = local_run
    assert result.exit_code == 1, result.output
    assert "4 briefing(s) checked" in result.stderr and "0 already done; 1 failed" in result.stderr
    assert f"failed {CORRUPT}: {archive / CORRUPT}.mp3: cannot be decoded: the file is damaged or truncated" \
        in result.stderr
    assert "%|" not in result.stderr  # no progress bar when stderr is not a terminal (a log file)
    expected = {f"{i}.{ext}" for i in IDS for ext in ("html", "json")}
    expected |= {"index.html", "summary.csv", "summary.jsonl", "failures.jsonl", "unpaired.jsonl",
                 ".transcheck-batch.lock"}
    assert {p.name for p in out.iterdir()} == expected
    for b in BRIEFINGS:
        job_id = b.rel_stem.replace("/", "--")
        report = json.loads((out / f"{job_id}.json").read_text(encoding="utf-8"))
        assert report["recording"]["path"] == str(archive / (b.rel_stem + b.audio_ext))
        assert report["official"]["path"] == str(archive / (b.rel_stem + b.official_ext))
        assert report["date"] == b.rel_stem.split("/")[-1][:10]
        assert report["settings"]["verify"] is False and report["settings"]["threads"] == 1
        assert report["summary"]["recorded_words"] >= 10  # the recording was heard
        html = (out / f"{job_id}.html").read_text(encoding="utf-8")
        assert "Timings (s)" not in html  # run facts stay in the JSON: reruns render the same page
        page = Html(html)
        (audio,) = page.all("audio")
        assert (out / audio["src"]).resolve() == Path(report["recording"]["path"]).resolve()


def test_failures_and_unpaired_files_are_listed(local_run, archive):
    out, _ = local_run
    failures = [json.loads(line) for line in (out / "failures.jsonl").read_text().splitlines()]
    assert failures == [{"id": CORRUPT, "recording": f"{archive / CORRUPT}.mp3",
                         "official": f"{archive / CORRUPT}.txt", "error_type": "AudioError",
                         "error": failures[0]["error"]}]
    assert "damaged or truncated" in failures[0]["error"] and "Errno" not in failures[0]["error"]
    unpaired = [json.loads(line) for line in (out / "unpaired.jsonl").read_text().splitlines()]
    assert unpaired == [{"path": str(archive / "2018-07-04-lonely.txt"),
                         "reason": "no recording named 2018-07-04-lonely.* beside this transcript"}]


def test_summary_csv_and_jsonl_agree_with_the_reports(local_run):
    out, _ = local_run
    with open(out / "summary.csv", newline="", encoding="utf-8") as fh:
        rows = {row["id"]: row for row in csv.DictReader(fh)}
    lines = {row["id"]: row for row in map(json.loads, (out / "summary.jsonl").read_text().splitlines())}
    assert set(rows) == set(lines) == set(IDS) | {CORRUPT}
    assert rows[CORRUPT]["status"] == "failed" and rows[CORRUPT]["faithful_share"] == ""
    assert "damaged or truncated" in lines[CORRUPT]["error"]
    for job_id in IDS:
        report = json.loads((out / f"{job_id}.json").read_text(encoding="utf-8"))
        alarms = [d for d in report["discrepancies"]
                  if d["severity"] == "substantive" and d["verdict"] != "recognition-error"]
        line = lines[job_id]
        assert rows[job_id]["status"] == line["status"] == "ok"
        assert float(rows[job_id]["faithful_share"]) == line["faithful_share"] == report["summary"]["faithful_share"]
        assert int(rows[job_id]["alarms"]) == line["alarms"] == len(alarms)
        assert line["omissions"] + line["insertions"] + line["rewordings"] == len(alarms)
        assert line["alarm_times"] == [round(d["recording"]["start"], 3) for d in alarms]
        assert line["duration_s"] == report["recording"]["duration"]
        assert 0 <= line["departure_share"] <= 1 and (line["departure_share"] > 0) == (len(alarms) > 0)
    assert lines["field--2018-05-20-wfp"]["insertions"] >= 1  # "Donors have already promised all of it"


def test_index_ranks_briefings_and_links_every_report(local_run):
    out, _ = local_run
    text = (out / "index.html").read_text(encoding="utf-8")
    page = Html(text)
    lines = {row["id"]: row for row in map(json.loads, (out / "summary.jsonl").read_text().splitlines())}
    ranked = [tr["id"][2:] for tr in page.all("tr") if tr.get("id", "").startswith("b-")]
    assert sorted(ranked) == IDS
    departures = [lines[i]["departure_share"] for i in ranked]
    assert departures == sorted(departures, reverse=True) and departures[0] > 0  # most departing first
    links = {a["href"] for a in page.all("a")}
    assert {f"{i}.html" for i in IDS} | {f"{i}.json" for i in IDS} <= links
    marks = [a["href"] for a in page.all("a") if ".html#" in a["href"]]
    assert len(marks) == sum(lines[i]["alarms"] for i in IDS)
    assert len(page.all("rect")) == len(marks) and len(page.all("svg")) == len(IDS)
    assert CORRUPT in text and "2018-07-04-lonely.txt" in text  # failures and unpaired sections
    assert "damaged or truncated" in text and "Errno" not in text  # the failure table's reason
    assert "Uncertain" in text and "Unmiss briefing" in text  # the column; titles from the file names
    (csp,) = page.all("meta", **{"http-equiv": "Content-Security-Policy"})
    assert "script-src 'sha256-" in csp["content"]  # the inline sorting script, and nothing else


def test_rerun_redoes_nothing_that_is_done(local_run, archive, session_cache_dir):
    out, _ = local_run
    before = {i: (out / f"{i}.json").stat() for i in IDS}
    result = batch(archive, "-o", out, "--workers", "2", "--cache-dir", session_cache_dir, *COMMON)
    assert result.exit_code == 1  # the corrupt recording is tried again, and fails again
    assert "0 briefing(s) checked" in result.stderr and "4 already done; 1 failed" in result.stderr
    for job_id, stat in before.items():
        now = (out / f"{job_id}.json").stat()
        assert (now.st_ino, now.st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns)


def test_changed_inputs_or_settings_are_redone_and_nothing_else(archive, tmp_path, session_cache_dir):
    root = tmp_path / "archive"
    shutil.copytree(archive, root)
    (root / f"{CORRUPT}.mp3").unlink()
    out = tmp_path / "reports"
    assert batch(root, "-o", out, "--cache-dir", session_cache_dir, "-q", *COMMON).exit_code == 0
    edited, retuned = IDS[0], IDS[1]
    official = root / f"{edited}.txt"
    official.write_text(official.read_text(encoding="utf-8") + "Thank you.\n", encoding="utf-8")
    tampered = json.loads((out / f"{retuned}.json").read_text(encoding="utf-8"))
    tampered["settings"]["merge_gap"] = 99
    (out / f"{retuned}.json").write_text(json.dumps(tampered), encoding="utf-8")
    before = {i: (out / f"{i}.json").stat().st_mtime_ns for i in IDS}
    result = batch(root, "-o", out, "--cache-dir", session_cache_dir, *COMMON)
    assert result.exit_code == 0 and "2 briefing(s) checked" in result.stderr and "2 already done" in result.stderr
    changed = {i for i in IDS if (out / f"{i}.json").stat().st_mtime_ns != before[i]}
    assert changed == {edited, retuned}
    assert json.loads((out / f"{retuned}.json").read_text(encoding="utf-8"))["settings"]["merge_gap"] == 2
    assert "Thank you." in json.loads((out / f"{edited}.json").read_text(encoding="utf-8"))["official"]["text"]


def test_manifest_with_titles_speaker_and_a_path_escaping_the_root(archive, tmp_path, session_cache_dir):
    (archive.parent / "outside.mp3").write_bytes(b"not in the archive")
    manifest = archive / "manifest.csv"
    manifest.write_text(
        "recording,official,title,speaker,date\n"
        "2017-12-07-unmiss.mp3,2017-12-07-unmiss.txt,UNMISS press conference,spokesperson,2017-12-07\n"
        "field/2018-05-20-wfp.wav,field/2018-05-20-wfp.txt,WFP funding,SPOKESPERSON,\n"
        "../outside.mp3,2017-12-07-unmiss.txt,Escapes,,\n", encoding="utf-8")
    out = tmp_path / "reports"
    result = batch(manifest, "-o", out, "--cache-dir", session_cache_dir, *COMMON)
    assert result.exit_code == 1
    assert "2 briefing(s) checked" in result.stderr and "1 failed" in result.stderr
    (failure,) = map(json.loads, (out / "failures.jsonl").read_text().splitlines())
    assert failure["error_type"] == "InputError"
    assert failure["error"] == (f"{manifest}:4: recording '../outside.mp3' lies outside the archive root "
                                f"{archive}; move it under the root or pass --root")
    rows = {r["id"]: r for r in map(json.loads, (out / "summary.jsonl").read_text().splitlines())}
    assert set(rows) == {"2017-12-07-unmiss", "field--2018-05-20-wfp", "outside"}
    assert rows["2017-12-07-unmiss"]["title"] == "UNMISS press conference"
    for job_id in ("2017-12-07-unmiss", "field--2018-05-20-wfp"):
        assert rows[job_id]["speaker_alarms"] == rows[job_id]["alarms"]  # all said by the spokesperson
    report = json.loads((out / "2017-12-07-unmiss.json").read_text(encoding="utf-8"))
    assert report["title"] == "UNMISS press conference" and report["date"] == "2017-12-07"
    assert "WFP funding" in (out / "index.html").read_text(encoding="utf-8")
    manifest.unlink()


def test_killed_batch_finishes_on_rerun_without_redoing_anything(archive, tmp_path):
    out, cache = tmp_path / "reports", tmp_path / "cache"  # a fresh cache: every briefing is transcribed
    command = [sys.executable, "-m", "transcheck.cli", "batch", str(archive), "-o", str(out),
               "--workers", "1", "--cache-dir", str(cache), "-q", *COMMON]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    done: list[Path] = []
    deadline = time.monotonic() + 300
    while not done and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
        done = [out / f"{i}.json" for i in IDS if (out / f"{i}.json").exists()]
    children = _children(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 1 <= len(done) < len(IDS), "the batch must be killed after its first report and before its last"
    assert not (out / "index.html").exists()
    for pid in children:  # the workers leave with the driver
        _wait_gone(pid)
    kept = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in done}
    rerun = subprocess.run(command[:-4] + ["-v", *COMMON], capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 1, rerun.stderr
    assert f"{len(done)} already done; 1 failed" in rerun.stderr
    assert f"{len(IDS) - len(done)} briefing(s) checked" in rerun.stderr
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in done} == kept
    for job_id in IDS:
        report = json.loads((out / f"{job_id}.json").read_text(encoding="utf-8"))
        assert report["summary"]["recorded_words"] >= 10 and (out / f"{job_id}.html").stat().st_size > 1000
    assert stray_files(out) == []
    ranked = [tr["id"][2:] for tr in Html((out / "index.html").read_text()).all("tr") if "id" in tr]
    assert sorted(ranked) == IDS


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _wait_gone(pid: int, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][:1] if Path(f"/proc/{pid}").exists() else ""
        if state == "Z":
            return
        time.sleep(0.1)
    raise AssertionError(f"process {pid} outlived the killed batch")


def test_a_worker_that_dies_costs_only_its_briefing(archive, tmp_path):
    import dataclasses
    import multiprocessing

    inputs = discover(archive)
    jobs = [j for j in inputs.jobs if j.id in IDS[:2]]
    # The first briefing's transcript is a named pipe: the worker blocks opening it, and the moment
    # it does, opening the other end returns here. So the kill lands while that briefing is being
    # checked, on any machine, however fast (a timer raced the check and sometimes lost).
    fifo = tmp_path / "official.txt"
    os.mkfifo(fifo)
    jobs[0] = dataclasses.replace(jobs[0], official=str(fifo))
    spec = WorkSpec(CheckOptions(verify=False, threads=1), str(tmp_path), str(tmp_path / "cache"))

    def kill_the_worker_once_it_reads():
        with open(fifo, "wb"):  # returns once the worker has opened the pipe to read the transcript
            for child in multiprocessing.active_children():
                os.kill(child.pid, signal.SIGKILL)

    killer = threading.Thread(target=kill_the_worker_once_it_reads, daemon=True)
    killer.start()
    outcomes = list(LocalExecutor(1).run(jobs, spec, lambda job_id, seconds: None))
    killer.join(timeout=5)
    first, second = outcomes
    assert first.id == jobs[0].id and first.error_type == "WorkerDied", first
    assert "the worker process died (signal 9) while checking it" in first.error
    assert second.id == jobs[1].id and second.ok and second.report["summary"]["recorded_words"] >= 10


def test_ray_executor_gives_the_local_executors_outputs(local_run, archive, tmp_path, tmp_path_factory):
    pytest.importorskip("ray")
    reference, _ = local_run
    out = tmp_path_factory.mktemp("ray-reports")  # as deep as the reference: same links to the recordings
    result = batch(archive, "-o", out, "--executor", "ray", "--cpus-per-task", "1",
                   "--cache-dir", tmp_path / "cache", *COMMON)  # a fresh cache: Ray workers transcribe
    assert result.exit_code == 1, result.stderr
    assert "4 briefing(s) checked" in result.stderr and f"failed {CORRUPT}" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in reference.iterdir())
    for path in sorted(reference.iterdir()):
        if path.suffix == ".json" and path.stem in IDS:
            ours = json.loads((out / path.name).read_text(encoding="utf-8"))
            assert comparable(ours) == comparable(json.loads(path.read_text(encoding="utf-8"))), path.name
            assert ours["timings"]["transcript_cached"] is False
        elif path.is_file() and path.name != ".transcheck-batch.lock":
            assert (out / path.name).read_bytes() == path.read_bytes(), path.name


def test_fail_on_title_and_embedded_audio(archive, tmp_path, session_cache_dir):
    small = tmp_path / "archive"
    small.mkdir()
    for name in ("2017-12-07-unmiss.mp3", "2017-12-07-unmiss.txt"):
        shutil.copy(archive / name, small / name)
    out = tmp_path / "reports"
    result = batch(small, "-o", out, "--fail-on", "substantive", "--embed-audio", "--title", "UNMISS <2017>",
                   "--cache-dir", session_cache_dir, *COMMON)
    assert result.exit_code == 1, result.output  # nothing failed, but the briefing has substantive alarms
    assert "1 briefing(s) with substantive discrepancies (--fail-on substantive): 2017-12-07-unmiss" in result.stderr
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<h1>UNMISS &lt;2017&gt;</h1>" in index
    (audio,) = Html((out / "2017-12-07-unmiss.html").read_text(encoding="utf-8")).all("audio")
    assert audio["src"].startswith("data:audio/")
    again = batch(small, "-o", out, "--embed-audio", "--cache-dir", session_cache_dir, *COMMON)  # --fail-on never
    assert again.exit_code == 0, again.output
    assert "0 briefing(s) checked" in again.stderr and "1 already done" in again.stderr
    linked = batch(small, "-o", out, "--cache-dir", session_cache_dir, *COMMON)  # without --embed-audio: redone
    assert "1 briefing(s) checked" in linked.stderr, linked.output
    (audio,) = Html((out / "2017-12-07-unmiss.html").read_text(encoding="utf-8")).all("audio")
    assert audio["src"] == "../archive/2017-12-07-unmiss.mp3"
