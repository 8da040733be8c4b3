"""A real `transcheck serve` in a subprocess on a free port, and a small HTTP client for it (stdlib only)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Optional


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body and its Content-Type."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, data) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Answer:
    def __init__(self, status: int, headers, body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    def json(self) -> Any:
        return json.loads(self.body)


class Server:
    """`transcheck serve` on a free port with its own data folder; stop() and start() again to restart it."""

    def __init__(self, data_dir: Path, cache_dir: Path, *args: str) -> None:
        self.data_dir, self.cache_dir, self.args = data_dir, cache_dir, args
        self.port = free_port()
        self.process: Optional[subprocess.Popen] = None
        self.log = data_dir.parent / f"serve-{self.port}.log"
        self.token: Optional[str] = args[args.index("--token") + 1] if "--token" in args else None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> "Server":
        env = {**os.environ, "TRANSCHECK_CACHE_DIR": str(self.cache_dir)}
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "transcheck.cli", "serve", "--port", str(self.port),
                 "--data-dir", str(self.data_dir), *self.args], stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited: {self.log.read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        raise TimeoutError(self.log.read_text())

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def request(self, method: str, path: str, body: Optional[bytes] = None, headers: Optional[dict] = None,
                token: Optional[str] = "default") -> Answer:
        headers = dict(headers or {})
        token = self.token if token == "default" else token
        if token:
            headers["Authorization"] = f"Bearer {token}"
        req = urllib.request.Request(self.url + path, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return Answer(r.status, r.headers, r.read())
        except urllib.error.HTTPError as e:
            return Answer(e.code, e.headers, e.read())

    def upload(self, recording: tuple[str, bytes], official: tuple[str, bytes], **fields: str) -> Answer:
        body, kind = multipart(fields, {"recording": recording, "official": official})
        return self.request("POST", "/api/checks", body, {"Content-Type": kind})

    def wait(self, check_id: str, timeout: float = 900.0) -> tuple[dict, list[tuple[str, str]]]:
        """Poll until the check is done or failed; its last state and every (status, stage) seen."""
        seen: list[tuple[str, str]] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = self.request("GET", f"/api/checks/{check_id}").json()
            if not seen or seen[-1] != (state["status"], state["stage"]):
                seen.append((state["status"], state["stage"]))
            if state["status"] in ("done", "failed"):
                return state, seen
            time.sleep(0.2)
        raise TimeoutError(f"check {check_id} still {seen[-1]}")
