"""Many recordings at once: every video and landmark file under a folder, one stored row per file.

The work is fanned out on Dask distributed (a local cluster of worker processes by default, or
a running scheduler given by address) or done in this process one file after another. Workers
only read files and analyse them; they hand back figures, never touch the database. This
process is the one writer: each file's trial is committed as soon as its result arrives, so a
batch that is stopped (or killed) keeps everything finished so far, and running it again skips
every file already analysed the same way (same content, same task, same parameters).

On a cluster the workers open the files by path: the folder must be at the same path on every
worker machine (a shared file system).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from toelab.errors import ToelabError
from toelab.hashing import file_sha256
from toelab.io import looks_like_video
from toelab.limits import LimitExceeded, WorkLimits, run_limited
from toelab.recording import Recording
from toelab.store import ResultFigure, Store, Trial
from toelab.tasks import TASKS, AnalysisOptions, load_input, run_task
from toelab.vocabulary import trial_side

# how every file of a batch is analysed
BatchOptions = AnalysisOptions

ENGINES = ("dask", "local")
DEFAULT_PERSON = "batch"
# Extensions of landmark and sensor files: such a file that cannot be read is a failed
# recording, reported with its error, rather than an unrelated file skipped in silence.
DATA_SUFFIXES = frozenset({".csv", ".tsv", ".txt", ".h5", ".hdf5", ".slp", ".c3d", ".npz"})
CONNECT_TIMEOUT_S = 10  # to reach a Dask scheduler given by address


@dataclass(frozen=True)
class BatchInput:
    """One recording of the folder: a file, or an OpenPose folder of per-frame JSON files."""

    path: Path
    name: str  # relative to the batch folder, with forward slashes
    sha256: str  # of the bytes (of every file, for a folder)


@dataclass(frozen=True)
class FileResult:
    """What became of one recording: its figures, or the error that stopped it."""

    name: str
    sha256: str
    status: str  # ok or failed
    error: str | None = None
    foot: str | None = None
    toes: tuple[int, ...] = ()
    figures: tuple[ResultFigure, ...] = ()
    parameters: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    duration_s: float | None = None
    recording: Recording | None = None  # the tracks to keep with the trial
    done_before: bool = False  # taken from an earlier run, not analysed again


@dataclass(frozen=True)
class BatchReport:
    session_id: int | None  # None when there was nothing left to analyse
    results: tuple[FileResult, ...]  # one per recording, in the folder's order
    skipped: tuple[tuple[str, str], ...]  # (name, why) of what is not a recording

    def count(self, status: str) -> int:
        """Files analysed in this run that ended with ``status``."""
        return sum(1 for r in self.results if r.status == status and not r.done_before)

    @property
    def done_before(self) -> int:
        return sum(1 for r in self.results if r.done_before)


def _why_not_a_recording(path: Path) -> str | None:
    """Why ``path`` is not a recording, or None when it is one to analyse."""
    if path.name.startswith("."):
        return "hidden file"
    if looks_like_video(path) or path.suffix.lower() in DATA_SUFFIXES:
        return None
    from toelab.io import detect_format

    try:
        kind = detect_format(path)
    except ToelabError as error:
        return error.message
    # any text file passes as CSV by content; only a .csv-like name says it is meant as data
    return "not a video or landmark file" if kind == "csv" else None


def find_inputs(
    folder: str | Path, *, follow_links: bool = False
) -> tuple[list[BatchInput], list[tuple[str, str]]]:
    """The recordings under ``folder`` (recursively, in name order) and what was skipped, with why.

    A folder holding OpenPose ``*_keypoints.json`` files counts as one recording. Each real
    file and folder is visited once, however many links lead to it (a link loop ends there);
    a link that leads out of ``folder`` is skipped unless ``follow_links``.
    """
    from toelab.io.openpose import json_files

    root = Path(folder).absolute()  # workers elsewhere must not depend on this process's folder
    if not root.is_dir():
        raise ToelabError("is not a folder" if root.exists() else "folder not found", root)
    real_root = root.resolve()
    inputs: list[BatchInput] = []
    skipped: list[tuple[str, str]] = []
    seen: dict[Path, str] = {real_root: "./"}  # real path -> the name it was first found under

    def first_visit(entry: Path, name: str) -> bool:
        try:
            real = entry.resolve(strict=True)
        except (OSError, RuntimeError):  # a dangling link or a loop of links
            skipped.append((name, "a link that leads nowhere (or in a loop)"))
            return False
        if entry.is_symlink() and not follow_links and not real.is_relative_to(real_root):
            skipped.append((name, "a link out of the folder (--follow-links to analyse it)"))
            return False
        if real in seen:
            skipped.append((name, f"the same {'folder' if real.is_dir() else 'file'} as {seen[real]}"))
            return False
        seen[real] = name
        return True

    def visit(directory: Path) -> None:
        for entry in sorted(directory.iterdir()):
            name = entry.relative_to(root).as_posix()
            if entry.is_dir():
                if entry.name.startswith("."):
                    skipped.append((name + "/", "hidden folder"))
                elif not first_visit(entry, name + "/"):
                    continue
                elif json_files(entry):
                    inputs.append(BatchInput(entry, name + "/", file_sha256(entry)))
                else:
                    visit(entry)
            elif entry.is_file():
                why = _why_not_a_recording(entry)
                if why is not None:
                    skipped.append((name, why))
                elif first_visit(entry, name):
                    try:
                        inputs.append(BatchInput(entry, name, file_sha256(entry)))
                    except ToelabError as error:
                        skipped.append((name, error.message))
            elif entry.is_symlink():
                first_visit(entry, name)  # says why it leads nowhere
            else:
                skipped.append((name, "not a regular file (a pipe, socket or device)"))

    visit(root)
    return inputs, skipped


def _failed(item: BatchInput, error: BaseException) -> FileResult:
    if isinstance(error, MemoryError):
        error = ToelabError("needed more memory than a file may use", hint="raise it with --max-file-memory")
    text = str(error) if isinstance(error, ToelabError) else f"{type(error).__name__}: {error}"
    return FileResult(item.name, item.sha256, "failed", error=text)


# imported once here, before the first child is forked, rather than again in every child
_ANALYSIS_MODULES = (
    "scipy.signal",
    "scipy.interpolate",
    "scipy.ndimage",
    "scipy.optimize",
    "toelab.io",
    "toelab.tasks",
    "toelab.store.outcomes",
    "toelab.analysis.tremor",
    "toelab.analysis.rhythm",
    "toelab.analysis.individuation",
    "toelab.analysis.rom",
    "toelab.track.video",
)


def analyse_limited(item: BatchInput, options: BatchOptions, limits: WorkLimits) -> FileResult:
    """:func:`analyse_input` in a child process with a time and a memory limit; a file over
    either is a failed result that says which."""
    import importlib

    for module in _ANALYSIS_MODULES:
        importlib.import_module(module)
    try:
        return run_limited(analyse_input, (item, options), limits)
    except (LimitExceeded, MemoryError) as error:
        return _failed(item, error)


def analyse_input(item: BatchInput, options: BatchOptions) -> FileResult:
    """Read or track one recording and run the task on it (what a worker does; no database).

    Any error becomes a failed result carrying its message, so one bad file never stops a batch.
    """
    from toelab.store.outcomes import figures_from_outcome, trial_parameters

    try:
        if not looks_like_video(item.path):
            options = replace(options, points=None)
        loaded = load_input(item.path, options, follow_floor=TASKS[options.task].reads_camera_motion)
        outcome = run_task(loaded.recording, options, input_path=item.path)
    except MemoryError:
        raise  # over the limit per file: analyse_limited says which limit
    except Exception as error:  # noqa: BLE001 - reported with the file, the batch goes on
        return _failed(item, error)
    return FileResult(
        item.name,
        item.sha256,
        "ok",
        foot=trial_side(outcome.by_foot),
        toes=TASKS[options.task].stored_toes(options),
        figures=tuple(figures_from_outcome(outcome)),
        parameters=trial_parameters(outcome, source=item.name),
        warnings=tuple(
            TASKS[options.task].reader_warnings(loaded.warnings, loaded.recording, options) + outcome.warnings
        ),
        duration_s=float(loaded.recording.duration_s),
        recording=loaded.recording,
    )


def check_options(options: BatchOptions) -> None:
    """Fail once, before any file, on options that would fail every file."""
    if options.points is not None:
        from toelab.track.points import load_points

        load_points(options.points)
    if options.beats.beats_path is not None:
        from toelab.io import read_beats

        read_beats(options.beats.beats_path, time_unit=options.time_unit)


def _batch_record(trial: Trial) -> dict[str, Any]:
    record = trial.parameters.get("batch")
    return record if isinstance(record, dict) else {}


def done_trials(store: Store, person: str, key: dict[str, Any]) -> dict[str, Trial]:
    """The person's trials analysed with ``key`` that succeeded, by file content hash."""
    done: dict[str, Trial] = {}
    for history in store.sessions.history(person):
        for trial in history.trials:
            record = _batch_record(trial)
            sha256 = record.get("file_sha256")
            if record.get("status") == "ok" and record.get("analysis") == key and isinstance(sha256, str):
                done[sha256] = trial
    return done


def _from_trial(item: BatchInput, trial: Trial) -> FileResult:
    return FileResult(
        item.name,
        item.sha256,
        "ok",
        foot=trial.foot,
        toes=trial.toes,
        figures=trial.results,
        parameters=trial.parameters,
        done_before=True,
    )


def _local_results(
    pending: Sequence[BatchInput], options: BatchOptions, limits: WorkLimits
) -> Iterator[FileResult]:
    for item in pending:
        yield analyse_limited(item, options, limits)


def _dask_client(scheduler: str | None, workers: int, stack: ExitStack) -> Any:
    """A client of the scheduler at ``scheduler``, or of a new local cluster; closed with ``stack``."""
    import logging

    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout=f"{CONNECT_TIMEOUT_S}s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise ToelabError(
                f"cannot reach the Dask scheduler at {scheduler}: {exc}",
                hint="check the address (tcp://HOST:PORT) and that `dask scheduler` is running",
            ) from exc
        return stack.enter_context(client)
    cluster = stack.enter_context(
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
    )
    return stack.enter_context(Client(cluster))


def _dask_results(
    client: Any, pending: Sequence[BatchInput], options: BatchOptions, limits: WorkLimits
) -> Iterator[FileResult]:
    """Results in the order they finish."""
    from distributed import as_completed

    futures = {client.submit(analyse_limited, item, options, limits, pure=False): item for item in pending}
    for future in as_completed(futures):
        item = futures.pop(future)
        try:
            result = future.result()
        except Exception as error:  # noqa: BLE001 - e.g. a worker that died on this file
            result = _failed(item, error)
        future.release()
        yield result


def _store_result(store: Store, session_id: int, task: str, key: dict[str, Any], result: FileResult) -> None:
    """One trial per file: its figures and tracks, or no figures and the error that stopped it."""
    record = {
        "file": result.name,
        "file_sha256": result.sha256,
        "status": result.status,
        "error": result.error,
        "analysis": key,
    }
    store.sessions.add_trial(
        session_id,
        task,
        result.foot,
        toes=result.toes,
        parameters={**result.parameters, "batch": record},
        recording=result.recording,
        results=result.figures,
    )


def _person(store: Store, name: str) -> str:
    try:
        return store.people.get(name).display_name
    except ToelabError:
        return store.people.add(name, notes="recordings analysed in batches").display_name


def run_batch(
    folder: str | Path,
    options: BatchOptions,
    store: Store,
    *,
    person: str = DEFAULT_PERSON,
    engine: str = "dask",
    scheduler: str | None = None,
    workers: int | None = None,
    on_start: Callable[[int, int], None] | None = None,
    on_result: Callable[[FileResult], None] | None = None,
    limits: WorkLimits | None = None,
    follow_links: bool = False,
) -> BatchReport:
    """Analyse every recording under ``folder`` and store one trial per file as each one finishes.

    Files already analysed for ``person`` with the same options are not analysed again: their
    stored figures come back with ``done_before``. ``on_start(total, to_do)`` is called once
    the folder is read, ``on_result`` after each file is stored. Each file is analysed within
    ``limits`` (time and memory); ``follow_links`` follows links out of ``folder``.
    """
    if engine not in ENGINES:
        raise ToelabError(f"unknown engine {engine!r}", hint=f"choose one of {', '.join(ENGINES)}")
    workers = workers or os.cpu_count() or 1
    if workers < 1:
        raise ToelabError("--workers must be at least 1")
    beats_path = options.beats.beats_path
    options = replace(
        options,
        points=None if options.points is None else options.points.absolute(),
        beats=replace(options.beats, beats_path=None if beats_path is None else beats_path.absolute()),
    )
    check_options(options)
    folder = Path(folder)
    inputs, skipped = find_inputs(folder, follow_links=follow_links)
    limits = limits or WorkLimits()
    person = _person(store, person)
    key = options.batch_key(file_sha256)
    done = done_trials(store, person, key)
    results: dict[str, FileResult] = {}
    pending = []
    for item in inputs:
        if item.sha256 in done:
            results[item.name] = _from_trial(item, done[item.sha256])
        else:
            pending.append(item)
    if on_start is not None:
        on_start(len(inputs), len(pending))
    session_id = None
    with ExitStack() as stack:
        if pending:
            client = None if engine == "local" else _dask_client(scheduler, workers, stack)
            session = store.sessions.start(
                person, "assessment", device="batch", notes=f"batch {options.task} of {folder}"
            )
            session_id = session.id
            stream = (
                _local_results(pending, options, limits)
                if client is None
                else _dask_results(client, pending, options, limits)
            )
            try:
                for result in stream:
                    _store_result(store, session_id, options.task, key, result)
                    results[result.name] = replace(result, recording=None)
                    if on_result is not None:
                        on_result(results[result.name])
            except BaseException:
                store.sessions.finish(session_id, status="interrupted")
                raise
            store.sessions.finish(session_id, ended_at=datetime.now(UTC))
    ordered = tuple(results[item.name] for item in inputs)
    return BatchReport(session_id, ordered, tuple(skipped))


def figure_column(figure: ResultFigure) -> str:
    """A figure's summary column: its name, then its foot and toe when it has them."""
    parts = [figure.name]
    if figure.foot:
        parts.append(figure.foot)
    if figure.toe is not None:
        parts.append(f"toe{figure.toe}")
    return "_".join(parts)


def summary_rows(results: Sequence[FileResult]) -> list[dict[str, Any]]:
    """One flat row per file: path, hash, status, error, and every figure in a column of its own."""
    rows = []
    for result in results:
        row: dict[str, Any] = {
            "path": result.name,
            "sha256": result.sha256,
            "status": result.status,
            "error": result.error or "",
            "done_before": result.done_before,
            "foot": result.foot or "",
            "duration_s": math.nan if result.duration_s is None else result.duration_s,
            "warnings": "; ".join(result.warnings),
        }
        row.update({figure_column(f): f.value for f in result.figures})
        rows.append(row)
    return rows


def write_summary(results: Sequence[FileResult], path: str | Path) -> Path:
    """Write the summary as CSV, or as Parquet when ``path`` ends in ``.parquet``."""
    import pandas as pd

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise ToelabError("the summary is written as .csv or .parquet", path)
    frame = pd.DataFrame(summary_rows(results))
    fixed = ["path", "sha256", "status", "error", "done_before", "foot", "duration_s", "warnings"]
    frame = frame.reindex(columns=fixed + sorted(c for c in frame.columns if c not in fixed))
    if suffix == ".csv":
        from toelab.report.spreadsheet import spreadsheet_text

        for column in ("path", "error", "warnings", "foot"):
            frame[column] = frame[column].map(lambda v: spreadsheet_text(v) if isinstance(v, str) else v)
    try:
        if suffix == ".csv":
            frame.to_csv(path, index=False)
        else:
            frame.to_parquet(path, index=False)
    except OSError as exc:
        raise ToelabError(f"cannot write the summary: {exc.strerror or exc}", path) from exc
    return path
