"""A flood of failed sign-ins against a clinic server: how long does a signed-in clinician
wait for a page meanwhile?

    python benchmarks/signin_flood.py                     # 50 addresses, 30 s of flood
    python benchmarks/signin_flood.py --addresses 20 --seconds 10

``toelab serve --clinic`` runs as its own process on loopback with one clinician account.
The clinician signs in from 127.0.0.1 and asks for ``/api/me`` (who they are and the people
they see: a database read, as every page does) once every 50 ms, first alone, then while
``--addresses`` clients, each bound to an address of its own (127.0.1.N: all loopback),
send sign-ins with wrong passwords for the clinician's and made-up names as fast as they are
answered, for ``--seconds``.

Printed: the clinician's median and 95th-percentile page time alone and during the flood,
and what the flood's sign-ins were answered (401 checked and wrong, 429 over a limit, 503
the password checker busy).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import load_note, serve_process  # noqa: E402

PASSWORD = "correct horse battery staple"
PAGE_EVERY_S = 0.05


def _csrf(client: httpx.Client) -> str:
    client.get("/login")
    return client.cookies.get("toelab_csrf", "")


def _page_times(client: httpx.Client, seconds: float) -> list[float]:
    times = []
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        started = time.perf_counter()
        client.get("/api/me").raise_for_status()
        times.append(time.perf_counter() - started)
        time.sleep(PAGE_EVERY_S)
    return times


def _summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    median_ms = 1000 * statistics.median(ordered)
    return f"median {median_ms:6.1f} ms, p95 {1000 * p95:7.1f} ms ({len(ordered)} pages)"


def main() -> None:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=raw)
    parser.add_argument("--addresses", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    if not 1 <= args.addresses <= 250:
        raise SystemExit("--addresses must be 1 to 250")
    home = Path(tempfile.mkdtemp(prefix="toelab-signin-flood-"))
    env = {**os.environ, "TOELAB_HOME": str(home)}
    env.pop("TOELAB_DATABASE_URL", None)
    toelab = Path(sys.executable).with_name("toelab")
    subprocess.run(
        [str(toelab), "user", "add", "dr.smith", "--role", "clinician", "--password-stdin"],
        input=PASSWORD + "\n",
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    with serve_process(["--clinic"], env, "/login") as (base, _):
        doctor = httpx.Client(base_url=base, timeout=120)
        signed = doctor.post(
            "/api/login",
            json={"username": "dr.smith", "password": PASSWORD},
            headers={"X-CSRF-Token": _csrf(doctor)},
        )
        signed.raise_for_status()
        alone = _page_times(doctor, 5.0)

        answers: Counter[int] = Counter()
        lock = threading.Lock()
        stop = threading.Event()

        def attacker(n: int) -> None:
            transport = httpx.HTTPTransport(local_address=f"127.0.1.{n + 1}")
            codes: Counter[int] = Counter()
            with httpx.Client(base_url=base, transport=transport, timeout=120) as client:
                token = _csrf(client)
                guess = 0
                while not stop.is_set():
                    name = "dr.smith" if guess % 2 == 0 else f"user{n}-{guess}"
                    answer = client.post(
                        "/api/login",
                        json={"username": name, "password": f"guess number {guess}"},
                        headers={"X-CSRF-Token": token},
                    )
                    codes[answer.status_code] += 1
                    guess += 1
            with lock:
                answers.update(codes)

        threads = [threading.Thread(target=attacker, args=(n,)) for n in range(args.addresses)]
        for thread in threads:
            thread.start()
        time.sleep(1.0)  # the flood under way
        during = _page_times(doctor, args.seconds)
        stop.set()
        for thread in threads:
            thread.join()
        doctor.close()
    sent = sum(answers.values())
    print(f"sign-in flood: {args.addresses} loopback addresses, {args.seconds:g} s, toelab serve --clinic")
    print(f"clinician's page alone:        {_summary(alone)}")
    print(f"clinician's page during flood: {_summary(during)}")
    print(
        f"flood: {sent} sign-ins ({sent / (args.seconds + 1):.0f}/s): "
        + ", ".join(f"{n} answered {code}" for code, n in sorted(answers.items()))
    )
    print(f"python {sys.version.split()[0]}{load_note()}")


if __name__ == "__main__":
    main()
