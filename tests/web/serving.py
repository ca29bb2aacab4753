"""Start a real ``toelab serve`` process for the browser tests and wait until it answers."""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_serve(
    args: list[str], env: Mapping[str, str], ready_path: str, log_path: Path | None = None
) -> Iterator[str]:
    """``toelab serve ARGS --port P`` as a subprocess; yields its URL once ``ready_path`` answers."""
    with serve_process(args, env, ready_path, log_path) as (url, _):
        yield url


@contextmanager
def serve_process(
    args: list[str], env: Mapping[str, str], ready_path: str, log_path: Path | None = None
) -> Iterator[tuple[str, subprocess.Popen]]:
    """As ``running_serve``, yielding the process too (to stop it the hard way); the server's
    output goes to ``log_path`` when given (a test that fails can show it)."""
    port = free_port()
    toelab = Path(sys.executable).with_name("toelab")
    # the server's own output goes to a file: a pipe nobody reads would stall a long run once full
    with open(log_path, "w+b") if log_path else tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [str(toelab), "serve", *args, "--port", str(port)],
            env=dict(env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}{ready_path}", timeout=1).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    process.wait(timeout=10)
                    log.seek(0)
                    raise RuntimeError(f"toelab serve did not start: {log.read().decode()}") from None
                time.sleep(0.2)
        try:
            yield url, process
        finally:
            if process.poll() is None:
                process.terminate()
            process.wait(timeout=10)
