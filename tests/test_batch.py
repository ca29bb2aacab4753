"""Batch analysis of a folder: one stored row per recording, a summary, resuming, Dask workers."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np
import pandas as pd
import pytest
from io_samples import C3D_FILE, DLC_CSV, openpose_person, write_openpose, write_sleap
from typer.testing import CliRunner
from videogen import render_front

from toelab.batch import BatchOptions, find_inputs, run_batch
from toelab.cli import app
from toelab.store import Store, open_store
from toelab.store.tracks import content_sha256
from toelab.synthetic.tremor import tremor_recording

runner = CliRunner()
VIDEO_S = 5.0


def _shaking_toes(t: np.ndarray) -> np.ndarray:
    return np.stack([2.0 * np.sin(2 * np.pi * 5.0 * t)] * 5, axis=1)


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A 5 s front-view video of toes shaking at 5 Hz, and its toe points file."""
    folder = tmp_path_factory.mktemp("clip")
    truth = render_front(
        folder / "clip.mp4", _shaking_toes, duration_s=VIDEO_S, width=320, height=240, foot_width_px=110
    )
    return folder / "clip.mp4", truth.write_points(folder / "points.json")


def copy_video(source: Path, target: Path, label: str) -> Path:
    """The same frames under another container title: another file (hash), the same motion."""
    with av.open(str(source)) as reader, av.open(str(target), "w") as writer:
        writer.metadata["title"] = label
        in_stream = reader.streams.video[0]
        out_stream = writer.add_stream_from_template(in_stream)
        for packet in reader.demux(in_stream):
            if packet.dts is not None:
                packet.stream = out_stream
                writer.mux(packet)
    return target


def write_landmark_csv(path: Path, seed: int) -> Path:
    recording = tremor_recording(4.0 + seed, 3.0, duration_s=8.0, seed=seed)
    columns = {"time_s": recording.time_s}
    for name, xy in recording.landmarks.items():
        columns[f"{name}_x"], columns[f"{name}_y"] = xy[:, 0], xy[:, 1]
    pd.DataFrame(columns).to_csv(path, index=False)
    return path


def mixed_folder(folder: Path, clip: Path) -> Path:
    """Good recordings in seven formats, a broken CSV and two files that are not recordings."""
    (folder / "lab" / "sleap").mkdir(parents=True)
    tremor_recording(5.0, 3.0, duration_s=8.0, seed=1).save(folder / "toelab.npz")
    write_landmark_csv(folder / "lab" / "landmarks.csv", seed=2)
    shutil.copy(DLC_CSV, folder / "lab" / "dlc.csv")
    shutil.copy(C3D_FILE, folder / "mocap.c3d")
    rng = np.random.default_rng(3)
    t = np.arange(300) / 30.0
    xy = np.stack([100 + 3 * np.sin(2 * np.pi * 6 * t) + rng.normal(0, 0.2, t.size)] * 2, axis=-1)
    write_sleap(folder / "lab" / "sleap" / "toes.h5", xy[:, None, :, None], ["toe1"], ["foot"])
    shake = 100 + 3 * np.sin(2 * np.pi * 4 * t) + rng.normal(0, 0.2, t.size)
    frames = [[openpose_person({22: (x, 300.0, 0.9), 24: (x - 40, 310.0, 0.9)}, 0.0)] for x in shake]
    write_openpose(folder / "lab" / "openpose", frames)
    shutil.copy(clip, folder / "front.mp4")
    (folder / "broken.csv").write_text("time_s,right_toe1_x\n0,1\nnot a time,2\n")
    (folder / "notes.md").write_text("session notes\n")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    return folder


GOOD = {
    "toelab.npz",
    "lab/landmarks.csv",
    "lab/dlc.csv",
    "mocap.c3d",
    "lab/sleap/toes.h5",
    "lab/openpose/",
    "front.mp4",
}


def _batch_trials(store: Store, person: str = "batch") -> dict[str, object]:
    return {
        t.parameters["batch"]["file"]: t for history in store.sessions.history(person) for t in history.trials
    }


def test_batch_stores_one_row_per_recording_reports_the_broken_one_and_writes_a_summary(
    tmp_path: Path, clip: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    video, points = clip
    folder = mixed_folder(tmp_path / "recordings", video)
    monkeypatch.setenv("TOELAB_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("TOELAB_DATABASE_URL", raising=False)
    summary = tmp_path / "summary.csv"
    args = ["batch", str(folder), "--task", "tremor", "--engine", "local", "--fps", "30"]
    done = runner.invoke(app, [*args, "--points-from", str(points), "--summary", str(summary)])

    assert done.exit_code == 1, done.output  # a file failed: scripts can tell
    assert "broken.csv: failed" in done.output and "not a number" in done.output
    assert "skipped notes.md" in done.output and "skipped photo.png" in done.output
    assert "7 ok, 1 failed" in done.output

    with open_store() as store:
        [history] = store.sessions.history("batch")
        trials = _batch_trials(store)
    assert history.session.status == "complete"
    assert set(trials) == GOOD | {"broken.csv"}
    for name in GOOD:
        record = trials[name].parameters["batch"]
        assert record["status"] == "ok" and record["error"] is None
        # a size, or a size too small on the picture to give, withheld with its reason
        sized = trials[name].figure("tremor_amplitude") is not None
        assert sized or "tremor_amplitude" in trials[name].parameters.get("not_measured_figures", {}), name
        assert trials[name].tracks_path is not None
    broken = trials["broken.csv"]
    assert broken.parameters["batch"]["status"] == "failed"
    assert "'not a time' is not a number" in broken.parameters["batch"]["error"]
    assert broken.results == () and broken.tracks_path is None
    # the video's toes shake at 5 Hz, and the tracker sees it
    assert trials["front.mp4"].figure("tremor_frequency_hz") == pytest.approx(5.0, abs=0.3)
    assert trials["lab/openpose/"].figure("tremor_frequency_hz") == pytest.approx(4.0, abs=0.3)

    table = pd.read_csv(summary)
    assert sorted(table["path"]) == sorted(GOOD | {"broken.csv"})
    rows = table.set_index("path")
    assert rows.loc["broken.csv", "status"] == "failed" and "not a number" in rows.loc["broken.csv", "error"]
    assert (rows.drop(index="broken.csv")["status"] == "ok").all()
    assert rows.loc["front.mp4", "duration_s"] == pytest.approx(VIDEO_S, abs=0.1)
    assert rows.loc["front.mp4", "tremor_frequency_hz_right"] == pytest.approx(5.0, abs=0.3)
    assert len(rows.loc["front.mp4", "sha256"]) == 64


def test_running_again_analyses_only_new_and_changed_files(tmp_path: Path) -> None:
    folder = tmp_path / "recordings"
    folder.mkdir()
    for seed in range(3):
        write_landmark_csv(folder / f"foot{seed}.csv", seed)
    options = BatchOptions("tremor")
    with open_store(f"sqlite:///{tmp_path / 'toelab.db'}", home=tmp_path / "home") as store:
        first = run_batch(folder, options, store, engine="local")
        assert first.count("ok") == 3 and first.done_before == 0
        write_landmark_csv(folder / "foot1.csv", seed=7)  # changed content: analysed again
        write_landmark_csv(folder / "foot3.csv", seed=3)  # new
        analysed: list[str] = []
        second = run_batch(
            folder, options, store, engine="local", on_result=lambda r: analysed.append(r.name)
        )
        assert sorted(analysed) == ["foot1.csv", "foot3.csv"]
        assert second.done_before == 2 and second.count("ok") == 2
        # figures of the files done before come from the store, as they were
        before = {r.name: r.figures for r in first.results}
        assert {r.name: r.figures for r in second.results if r.done_before} == {
            name: before[name] for name in ("foot0.csv", "foot2.csv")
        }
        # other parameters are another analysis
        third = run_batch(folder, BatchOptions("tremor", time_unit="ms"), store, engine="local")
        assert third.done_before == 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def dask_scheduler() -> Iterator[str]:
    """A real ``dask scheduler`` and one ``dask worker`` process on loopback."""
    from distributed import Client

    address = f"tcp://127.0.0.1:{_free_port()}"
    dask = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
    scheduler = subprocess.Popen(
        [*dask, "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1], "--no-dashboard"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_worker", address]
        + ["--nworkers", "1", "--nthreads", "1", "--no-dashboard"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with Client(address, timeout="5s") as client:
                    client.wait_for_workers(1, timeout=60)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield address
    finally:
        for process in (worker, scheduler):
            process.terminate()
        for process in (worker, scheduler):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_a_real_dask_scheduler_and_worker_give_the_same_figures_as_in_process(
    tmp_path: Path, dask_scheduler: str
) -> None:
    folder = tmp_path / "recordings"
    folder.mkdir()
    for seed in range(4):
        write_landmark_csv(folder / f"foot{seed}.csv", seed)
    (folder / "broken.csv").write_text("time_s,right_toe1_x\n")
    options = BatchOptions("tremor")
    with open_store(f"sqlite:///{tmp_path / 'dask.db'}", home=tmp_path / "dask") as store:
        on_dask = run_batch(folder, options, store, engine="dask", scheduler=dask_scheduler)
        stored = _batch_trials(store)
    with open_store(f"sqlite:///{tmp_path / 'local.db'}", home=tmp_path / "local") as store:
        in_process = run_batch(folder, options, store, engine="local")
    assert [r.name for r in on_dask.results] == [r.name for r in in_process.results]
    for remote, local in zip(on_dask.results, in_process.results, strict=True):
        assert (remote.status, remote.error, remote.figures) == (local.status, local.error, local.figures)
    assert on_dask.count("ok") == 4 and on_dask.count("failed") == 1
    assert set(stored) == {f"foot{seed}.csv" for seed in range(4)} | {"broken.csv"}


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from toelab import batch
    from toelab.errors import ToelabError

    monkeypatch.setattr(batch, "CONNECT_TIMEOUT_S", 1)
    folder = tmp_path / "recordings"
    folder.mkdir()
    write_landmark_csv(folder / "foot.csv", 0)
    with (
        open_store(f"sqlite:///{tmp_path / 'toelab.db'}", home=tmp_path) as store,
        pytest.raises(ToelabError, match="cannot reach the Dask scheduler"),
    ):
        run_batch(folder, BatchOptions("tremor"), store, scheduler=f"tcp://127.0.0.1:{_free_port()}")
    with open_store(f"sqlite:///{tmp_path / 'toelab.db'}", home=tmp_path) as store:
        assert store.sessions.history("batch") == []  # no session was started for nothing


def test_killing_a_batch_keeps_every_finished_file_whole_and_running_again_does_only_the_rest(
    tmp_path: Path, clip: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    video, points = clip
    folder = tmp_path / "videos"
    folder.mkdir()
    names = {copy_video(video, folder / f"take{k:02d}.mp4", f"take {k}").name for k in range(10)}
    home = tmp_path / "home"
    monkeypatch.setenv("TOELAB_HOME", str(home))
    monkeypatch.delenv("TOELAB_DATABASE_URL", raising=False)
    command = [sys.executable, "-m", "toelab", "batch", str(folder), "--task", "tremor"]
    command += ["--points-from", str(points), "--workers", "1"]
    batch = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, start_new_session=True)
    reported: list[str] = []
    try:
        assert batch.stdout is not None
        for line in batch.stdout:
            if line.rstrip().endswith(": ok"):
                reported.append(line.split(":")[0])
            if len(reported) == 3:
                break
        os.kill(batch.pid, signal.SIGKILL)
        batch.wait(timeout=30)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(batch.pid, signal.SIGKILL)  # its Dask worker processes
        batch.kill()
        batch.wait()
    assert batch.returncode == -signal.SIGKILL

    with open_store() as store:
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        [history] = store.sessions.history("batch")
        assert history.session.status == "interrupted"  # its process is gone
        stored = {t.parameters["batch"]["file"]: t for t in history.trials}
        assert set(reported) <= set(stored) and len(stored) < len(names)
        for trial in stored.values():
            assert trial.parameters["batch"]["status"] == "ok"
            assert trial.figure("tremor_frequency_hz") == pytest.approx(5.0, abs=0.3)
            assert content_sha256(store.sessions.load_recording(trial)) == trial.tracks_sha256

    again = runner.invoke(
        app, ["batch", str(folder), "--task", "tremor", "--points-from", str(points)] + ["--engine", "local"]
    )
    assert again.exit_code == 0, again.output
    assert f"{len(names) - len(stored)} ok, 0 failed, {len(stored)} analysed before" in again.output
    with open_store() as store:
        files = [t.parameters["batch"]["file"] for h in store.sessions.history("batch") for t in h.trials]
    assert sorted(files) == sorted(names)  # every file once


def test_each_real_file_is_analysed_once_however_many_links_lead_to_it(tmp_path: Path) -> None:
    folder = tmp_path / "recordings"
    (folder / "a" / "b").mkdir(parents=True)
    write_landmark_csv(folder / "a" / "foot.csv", seed=1)
    write_landmark_csv(folder / "a" / "b" / "other.csv", seed=2)
    (folder / "a" / "b" / "up").symlink_to("../..")  # a loop through the folder itself
    (folder / "a" / "loop").symlink_to("loop")  # a link to itself
    (folder / "zlink.csv").symlink_to("a/foot.csv")  # a second name for one file
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    write_landmark_csv(outside / "private.csv", seed=3)
    (folder / "out").symlink_to(outside)
    os.mkfifo(folder / "pipe.csv")
    inputs, skipped = find_inputs(folder)
    assert [i.name for i in inputs] == ["a/b/other.csv", "a/foot.csv"]
    why = dict(skipped)
    assert why["a/b/up/"] == "the same folder as ./"
    assert why["zlink.csv"] == "the same file as a/foot.csv"
    assert "leads nowhere" in why["a/loop"]
    assert "out of the folder" in why["out/"] and "pipe" in why["pipe.csv"]
    followed, _ = find_inputs(folder, follow_links=True)
    assert [i.name for i in followed] == ["a/b/other.csv", "a/foot.csv", "out/private.csv"]


def test_a_file_over_its_time_or_memory_limit_is_stopped_and_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import toelab.batch as batch
    from toelab.limits import WorkLimits

    folder = tmp_path / "recordings"
    folder.mkdir()
    for name in ("greedy", "good", "slow"):
        write_landmark_csv(folder / f"{name}.csv", seed=1)
    real_load = batch.load_input

    def load(path: Path, *args: object, **kwargs: object):
        if path.name == "greedy.csv":
            np.ones(8 << 30, np.uint8)  # 8 GB, as a file that unpacks to it would ask
        if path.name == "slow.csv":
            time.sleep(60)
        return real_load(path, *args, **kwargs)

    monkeypatch.setattr(batch, "load_input", load)
    limits = WorkLimits(time_s=3.0, memory_bytes=512 << 20)
    started = time.monotonic()
    with open_store(f"sqlite:///{tmp_path / 'toelab.db'}", home=tmp_path / "home") as store:
        report = run_batch(folder, BatchOptions("tremor"), store, engine="local", limits=limits)
    assert time.monotonic() - started < 30
    errors = {r.name: r.error for r in report.results}
    assert errors["good.csv"] is None
    assert "needed more than 0.5 GB of memory" in errors["greedy.csv"]
    assert "took longer than 3 s" in errors["slow.csv"]


def test_file_names_a_spreadsheet_would_run_are_written_as_text_in_the_summary(tmp_path: Path) -> None:
    from toelab.batch import FileResult, write_summary

    results = [
        FileResult('=HYPERLINK("http://x").csv', "a" * 64, "ok", duration_s=-1.5),
        FileResult("@cmd.csv", "b" * 64, "failed", error="-bad cell"),
        FileResult("plain.csv", "c" * 64, "ok"),
    ]
    table = pd.read_csv(write_summary(results, tmp_path / "summary.csv"), keep_default_na=False)
    assert list(table["path"]) == ['\'=HYPERLINK("http://x").csv', "'@cmd.csv", "plain.csv"]
    assert list(table["error"]) == ["", "'-bad cell", ""]
    assert str(table["duration_s"][0]) == "-1.5"  # numbers stay numbers


def _collect_and_say_done() -> str:
    import gc

    gc.collect()
    return "done"


def test_a_child_does_not_hang_on_a_decoder_the_parent_left_for_collection(clip: tuple[Path, Path]) -> None:
    """A video decoder with worker threads, left in a reference cycle for the collector when a
    file's child is forked: collected in the child, it waited for threads the child does not
    have, for ever (a batch hung on its first video)."""
    import gc

    from toelab.limits import WorkLimits, run_limited

    video, _ = clip
    gc.disable()
    try:
        container = av.open(str(video))
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        next(container.decode(stream))
        cycle: list[object] = [container, stream]
        cycle.append(cycle)
        del container, stream, cycle
        assert run_limited(_collect_and_say_done, (), WorkLimits(time_s=20.0)) == "done"
    finally:
        gc.enable()
        gc.collect()
