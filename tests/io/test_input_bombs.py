"""Tiny files that declare huge ones: `toelab analyze` refuses each with one line and exit
status 2 before allocating what they declare. The command runs in a child process whose
address space is capped, so a file that does get unpacked shows up as a crash, not as a
machine out of memory."""

from __future__ import annotations

import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

MEMORY_LIMIT_BYTES = 3 << 30


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))


def analyze(path: Path, *args: str, timeout_s: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "toelab", "analyze", str(path), *args],
        capture_output=True,
        text=True,
        timeout=timeout_s,
        preexec_fn=_cap_memory,
    )


def assert_one_line_refusal(done: subprocess.CompletedProcess, *phrases: str) -> None:
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    assert done.returncode == 2, done.stderr[-2000:]
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    for phrase in phrases:
        assert phrase in lines[0]


def toe_rows(n: int) -> list[str]:
    return [f"{i / 100:.2f},{100 + (i % 3)},{200 + (i % 5)}" for i in range(n)]


@pytest.mark.parametrize("task", ["tremor", "rhythm"])
def test_a_small_csv_whose_last_time_is_a_billion_seconds_is_refused(tmp_path: Path, task: str) -> None:
    path = tmp_path / "span.csv"
    path.write_text("\n".join(["time,toe1_x,toe1_y", *toe_rows(40), "1e9,100,200"]) + "\n")
    assert path.stat().st_size < 1000
    done = analyze(path, "--task", task, "--bpm", "60")
    assert_one_line_refusal(done, "span.csv", "31.7 years", "--time-unit ms")


@pytest.mark.parametrize(
    ("times", "phrase"),
    [
        (["0", "0.01", "1e308"], "3.17e+300 years"),
        (["-1e308", "0", "1e308"], "an endless time"),
        ([f"{i * 1e-9:.9f}" for i in range(40)] + ["3600"], "leaving most of the recording empty"),
    ],
    ids=["overflowing", "from-minus-to-plus-huge", "one-jump-after-nanoseconds"],
)
def test_extreme_timestamps_get_one_line(tmp_path: Path, times: list[str], phrase: str) -> None:
    path = tmp_path / "extreme.csv"
    path.write_text(
        "\n".join(["time,toe1_x,toe1_y", *(f"{t},100,{200 + i % 3}" for i, t in enumerate(times))])
    )
    assert_one_line_refusal(analyze(path, "--task", "tremor"), phrase)


def test_a_sleap_file_declaring_gigabytes_is_refused_before_reading(tmp_path: Path) -> None:
    import h5py

    path = tmp_path / "bomb.analysis.h5"
    frames = 100_000_000  # (1, 2, 5, 1e8) float32 declared: 4 GB, 8 GB as float64; nothing written
    with h5py.File(path, "w") as h5:
        h5.create_dataset("tracks", shape=(1, 2, 5, frames), dtype="f4", chunks=(1, 2, 5, 65536))
        h5["node_names"] = np.array([b"big_toe", b"toe2", b"toe3", b"toe4", b"toe5"], dtype="S")
    assert path.stat().st_size < 100_000
    done = analyze(path, "--task", "isolation", "--fps", "30")
    assert_one_line_refusal(done, "bomb.analysis.h5", "declares 8 GB")


def test_a_tracks_file_unpacking_to_gigabytes_is_refused_before_reading(tmp_path: Path) -> None:
    # a .npz whose time array is 120 MB of zeros, deflated to about 120 kB: the same ratio as
    # 4 MB that unpack to 4 GB
    path = tmp_path / "bomb.npz"
    n = 15_000_000
    header = np.lib.format.header_data_from_array_1_0(np.zeros(1))
    header["shape"] = (n,)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("time_s.npy", "w", force_zip64=True) as member:
            np.lib.format.write_array_header_1_0(member, header)
            block = bytes(1 << 24)
            for _ in range(n * 8 // len(block)):
                member.write(block)
            member.write(bytes(n * 8 % len(block)))
        archive.writestr("__toelab_recording__.npy", b"")
    assert path.stat().st_size < 1_000_000  # deflate packs zeros about 1000:1
    done = analyze(path, "--task", "tremor")
    assert_one_line_refusal(done, "bomb.npz", "declares 120 MB")


def test_a_pipe_given_as_the_recording_is_refused_without_waiting(tmp_path: Path) -> None:
    import os

    pipe = tmp_path / "toes.csv"
    os.mkfifo(pipe)
    done = analyze(pipe, "--task", "tremor", timeout_s=30)
    assert_one_line_refusal(done, "toes.csv", "not a regular file")


def test_a_header_of_400_000_columns_is_refused_at_once(tmp_path: Path) -> None:
    # 4.5 MB: the duplicate-name check alone took minutes when it was quadratic
    path = tmp_path / "wide.csv"
    n = 400_000
    header = "time," + ",".join(f"c{i}" for i in range(n))
    rows = [f"{t / 100}," + ",".join("1" for _ in range(n)) for t in range(2)]
    path.write_text(header + "\n" + "\n".join(rows) + "\n")
    done = analyze(path, "--task", "tremor", timeout_s=60)
    assert_one_line_refusal(done, "wide.csv", "400001 columns")
