"""Limits on what one input may take.

- What a file declares it unpacks to: a few kilobytes of HDF5 or a few megabytes of a zipped
  ``.npz`` can declare gigabytes of zeros; the declared size is checked against a sane limit,
  and against the file's own size, before anything is read into memory.
- What the analysis of one file of a batch may take: it runs in a child process with a time
  and a memory limit (:func:`run_limited`), so one file cannot take the machine.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import select
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

from toelab.errors import ToelabError

T = TypeVar("T")

MAX_UNPACKED_BYTES = 1 << 30  # 1 GiB of arrays from one file
# over 64 MiB, a file may not unpack to more than this many times its own size
MAX_UNPACK_RATIO = 200
_RATIO_FROM_BYTES = 64 << 20
# a picture's width x height, read from its header before decoding: a phone's 12 MP photo
# fits; decoded, 48 MB at most (a 1 MB PNG can declare 30000x30000)
MAX_IMAGE_PIXELS = 4096 * 4096


def check_unpacked_size(path: Path, what: str, unpacked_bytes: int, hint: str) -> None:
    """A ToelabError when ``what`` in ``path`` would unpack to too much memory."""
    try:
        packed = max(1, path.stat().st_size)
    except OSError:
        packed = 1
    too_big = unpacked_bytes > MAX_UNPACKED_BYTES
    too_packed = unpacked_bytes > _RATIO_FROM_BYTES and unpacked_bytes > MAX_UNPACK_RATIO * packed
    if too_big or too_packed:
        raise ToelabError(
            f"{what} declares {_size(unpacked_bytes)} of data in a file of {_size(packed)}, more than "
            f"toelab reads ({_size(MAX_UNPACKED_BYTES)}, or {MAX_UNPACK_RATIO} times the file's size)",
            path,
            hint=hint,
        )


def _size(n_bytes: float) -> str:
    for unit in ("bytes", "kB", "MB", "GB", "TB"):
        if n_bytes < 1000 or unit == "TB":
            return f"{n_bytes:.0f} {unit}" if unit == "bytes" else f"{n_bytes:.3g} {unit}"
        n_bytes /= 1000
    return f"{n_bytes:.3g} TB"


# -- one piece of work in a child process, with a time and a memory limit ------------------


@dataclass(frozen=True)
class WorkLimits:
    """What one file of a batch may take: wall-clock seconds and bytes of memory."""

    time_s: float = 30 * 60.0
    memory_bytes: int = 4 << 30


class LimitExceeded(ToelabError):
    """The work ran over its time or memory, and was stopped."""


def run_limited(work: Callable[..., T], args: tuple[Any, ...], limits: WorkLimits) -> T:
    """``work(*args)`` in a forked child process capped at ``limits``; its result comes back
    pickled. Over the time the child is killed; over the memory its allocations fail (the
    address space is capped), or the system kills it; either way a :class:`LimitExceeded`.

    Without ``fork`` (Windows) the work runs here, unlimited.
    """
    if not hasattr(os, "fork"):
        return work(*args)
    read_end, write_end = os.pipe()
    # the child's garbage collector leaves the parent's objects alone: a video decoder left for
    # collection here frees its worker threads, which a forked child does not have, and waits
    # for them for ever (a batch child hung so in decoding its first frame)
    gc.freeze()
    pid = os.fork()
    if pid != 0:
        gc.unfreeze()
    if pid == 0:  # the child: never returns
        status = 1
        try:
            os.close(read_end)
            _cap_address_space(limits.memory_bytes)
            try:
                outcome: tuple[str, Any] = ("ok", work(*args))
            except MemoryError:
                outcome = ("memory", None)
            except BaseException as error:  # noqa: BLE001 - handed to the parent
                outcome = ("error", error)
            with os.fdopen(write_end, "wb") as out:
                out.write(pickle.dumps(outcome))
            status = 0
        finally:
            os._exit(status)  # no clean-up of the parent's state (database connections) here
    os.close(write_end)
    try:
        data = _read_until(read_end, time.monotonic() + limits.time_s)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise LimitExceeded(
            f"took longer than {limits.time_s:g} s, the limit per file", hint="raise it with --max-file-time"
        ) from None
    finally:
        os.close(read_end)
    _, status = os.waitpid(pid, 0)
    try:
        kind, value = pickle.loads(data) if data else ("died", status)
    except (pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        kind, value = "died", status
    if kind == "ok":
        return cast(T, value)
    if kind == "error" and isinstance(value, BaseException):
        raise value
    raise LimitExceeded(
        f"needed more than {limits.memory_bytes / 2**30:g} GB of memory, the limit per file"
        + ("" if kind == "memory" else f" (the analysis was stopped: status {value})"),
        hint="raise it with --max-file-memory",
    )


def _read_until(fd: int, deadline: float) -> bytes:
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


def _cap_address_space(limit_bytes: int) -> None:
    """Cap this process's address space at what it maps now plus ``limit_bytes`` (Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            mapped_kb = next(int(line.split()[1]) for line in status if line.startswith("VmSize:"))
    except (OSError, StopIteration, ValueError):
        return
    import resource

    limit = mapped_kb * 1024 + limit_bytes
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def work_limits(time_s: float, memory_gb: float) -> WorkLimits:
    """Limits given on the command line, checked."""
    if not (time_s > 0 and memory_gb > 0):
        raise ToelabError("--max-file-time and --max-file-memory must be positive")
    return WorkLimits(time_s, int(memory_gb * 2**30))
