"""What the benchmarks share: the looping test clip, long videos made from it, one pinned core,
the machine's load, a process's CPU time, and a running ``toelab serve``."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from io import BytesIO
from pathlib import Path

import av
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "web"))

from serving import serve_process  # noqa: E402, F401  (re-exported for the web benchmarks)
from videogen import lift_pulses, render_front  # noqa: E402

CLIP_S = 10.0
# one thread for OpenCV's helpers, BLAS and OpenMP: the figures are for one core
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def looping_lifts(t: np.ndarray) -> np.ndarray:
    """Each toe lifts once every 2 s, one after another, so 10 s clips join seamlessly."""
    return np.stack([lift_pulses(t % 2.0, [0.2 + 0.3 * i], 6.0, 0.3) for i in range(5)], axis=1)


def looping_clip(folder: Path) -> tuple[Path, Path]:
    """The 10 s 640x480 30 fps front-view clip and its toe points file."""
    clip = folder / "clip.mp4"
    truth = render_front(clip, looping_lifts, duration_s=CLIP_S, fps=30.0, noise=1.0)
    return clip, truth.write_points(folder / "points.json")


def repeat_clip(clip: Path, path: Path, length_s: float, title: str | None = None) -> Path:
    """A ``length_s`` video made of the clip's H.264 packets, repeated (no re-encoding);
    ``title`` gives the file content of its own."""
    with av.open(str(clip)) as source, av.open(str(path), "w") as target:
        if title is not None:
            target.metadata["title"] = title
        in_stream = source.streams.video[0]
        out_stream = target.add_stream_from_template(in_stream)
        packets = [p for p in source.demux(in_stream) if p.dts is not None]
        step = int(round(CLIP_S / in_stream.time_base))
        for rep in range(int(round(length_s / CLIP_S))):
            for packet in packets:
                copy = av.Packet(bytes(packet))
                copy.pts, copy.dts = packet.pts + rep * step, packet.dts + rep * step
                copy.time_base = in_stream.time_base
                copy.is_keyframe = packet.is_keyframe
                copy.stream = out_stream
                target.mux(copy)
    return path


def pinned(command: list[str]) -> list[str]:
    """The command on CPU core 0, where the OS allows choosing a core."""
    return ["taskset", "-c", "0", *command] if hasattr(os, "sched_setaffinity") else command


def load_note() -> str:
    """The machine's load average after a run: other work on the same core slows every figure."""
    if not hasattr(os, "getloadavg"):
        return ""
    return "; load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process (and its finished children), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")  # utime stime cutime cstime


def export_source(revision: str, folder: Path) -> Path:
    """The ``src`` folder of a revision, of the working tree (``.``) or of a folder's copy."""
    if revision == ".":
        return ROOT / "src"
    if (Path(revision) / "src" / "toelab").is_dir():
        return Path(revision) / "src"
    target = folder / f"rev-{revision.replace('/', '_')}"
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", revision, "src"],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target / "src"
