"""A freshly started server answers concurrent first requests: nothing a route needs is left
to be imported by several request threads at once."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from serving import free_port

FIRST_REQUESTS = (
    "/api/protocols",
    "/api/people",
    "/api/history",
    "/api/plan",
    "/api/red-flags",
    "/api/sessions",
    "/api/report/available",
    "/api/tremor-context",
    "/api/export?format=csv",
    "/api/history",
    "/api/export?format=fhir",
    "/api/people",
)


def test_concurrent_first_requests_to_a_fresh_server_all_succeed(tmp_path: Path) -> None:
    port = free_port()
    toelab = Path(sys.executable).with_name("toelab")
    with (tmp_path / "serve.log").open("wb") as log:
        server = subprocess.Popen(
            [str(toelab), "serve", "--port", str(port)],
            env={**os.environ, "TOELAB_HOME": str(tmp_path / "home")},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:  # the port is open, and no request has been answered yet
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    assert server.poll() is None and time.monotonic() < deadline
                    time.sleep(0.05)

            def get(path: str) -> int:
                try:
                    return urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60).status
                except urllib.error.HTTPError as error:
                    return error.code

            with ThreadPoolExecutor(len(FIRST_REQUESTS)) as pool:
                codes = list(pool.map(get, FIRST_REQUESTS))
        finally:
            server.terminate()
            server.wait(timeout=20)
    assert codes == [200] * len(FIRST_REQUESTS), (tmp_path / "serve.log").read_text()[-3000:]
