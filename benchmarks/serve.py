"""`transcheck serve` against `transcheck check`: time from upload to report, and memory with two checks running.

Both sides check the bundled sample (samples/unmiss-2017) with the transcript cache off, so every
run transcribes and verifies. `check` runs in a fresh process each time (it loads the model every
run); the server runs one worker, so its first check loads the model and later ones reuse it. The
time for the server is from the start of the upload (POST /api/checks) until GET /api/checks/ID
says done. Runs alternate between the two so drift in machine load hits both alike. Then a server
with two workers gets two uploads at once, and the resident memory (VmRSS) of the server and its
workers is sampled every 0.2 s until both are done.

    python -m benchmarks.serve --runs 3
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
SAMPLE = ROOT / "samples" / "unmiss-2017"


def cli_once(out: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "transcheck.cli", "check", str(SAMPLE / "briefing.mp3"),
                    str(SAMPLE / "official.txt"), "--no-cache", "-q", "--json", str(out)], check=True)
    return time.perf_counter() - started


def serve_once(server, files) -> tuple[float, float]:
    """(upload seconds, upload-to-report seconds)."""
    started = time.perf_counter()
    answer = server.upload(*files)
    uploaded = time.perf_counter() - started
    state, _ = server.wait(answer.json()["id"])
    assert state["status"] == "done", state["error"]
    return uploaded, time.perf_counter() - started


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def memory_two_checks(tmp: Path, files) -> dict:
    from serve_client import Server

    server = Server(tmp / "mem-data", tmp / "mem-cache", "--workers", "2", "--no-cache").start()
    try:
        time.sleep(3)  # the workers' imports
        ids = [server.upload(*files).json()["id"] for _ in range(2)]
        peak_total, peak_workers = 0, {}
        while True:
            pids = children(server.process.pid)
            workers = {p: rss_kib(p) for p in pids}
            total = rss_kib(server.process.pid) + sum(workers.values())
            peak_total = max(peak_total, total)
            for p, kib in workers.items():
                peak_workers[p] = max(peak_workers.get(p, 0), kib)
            states = [server.request("GET", f"/api/checks/{i}").json()["status"] for i in ids]
            if all(s in ("done", "failed") for s in states):
                break
            time.sleep(0.2)
        assert states == ["done", "done"], states
        return {"peak_total_mib": round(peak_total / 1024), "server_mib": round(rss_kib(server.process.pid) / 1024),
                "peak_worker_mib": sorted(round(v / 1024) for v in peak_workers.values() if v)}
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from serve_client import Server

    files = (("briefing.mp3", (SAMPLE / "briefing.mp3").read_bytes()),
             ("official.txt", (SAMPLE / "official.txt").read_bytes()))
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        server = Server(tmp / "data", tmp / "cache", "--no-cache").start()
        cli, serve, uploads = [], [], []
        try:
            for i in range(args.runs):
                cli.append(cli_once(tmp / f"cli-{i}.json"))
                up, total = serve_once(server, files)
                uploads.append(up)
                serve.append(total)
        finally:
            server.stop()
        cli_peak_mib = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
        memory = memory_two_checks(tmp, files)
    result = {
        "runs": args.runs,
        "check_s": [round(x, 2) for x in cli], "serve_s": [round(x, 2) for x in serve],
        "upload_s": [round(x, 3) for x in uploads],
        "check_median_s": round(statistics.median(cli), 2), "serve_median_s": round(statistics.median(serve), 2),
        "serve_first_s": round(serve[0], 2),
        "serve_warm_median_s": round(statistics.median(serve[1:]), 2) if len(serve) > 1 else None,
        "ratio_median": round(statistics.median(serve) / statistics.median(cli), 3),
        "ratio_first": round(serve[0] / cli[0], 3),
        "check_peak_rss_mib": cli_peak_mib,
        "two_checks": memory,
    }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
