"""Sizes toelab refuses before allocating: what a file declares it unpacks to.

A few kilobytes of HDF5 or a few megabytes of a zipped ``.npz`` can declare gigabytes of
zeros; the declared size is checked against a sane limit, and against the file's own size,
before anything is read into memory.
"""

from __future__ import annotations

from pathlib import Path

from toelab.errors import ToelabError

MAX_UNPACKED_BYTES = 1 << 30  # 1 GiB of arrays from one file
# over 64 MiB, a file may not unpack to more than this many times its own size
MAX_UNPACK_RATIO = 200
_RATIO_FROM_BYTES = 64 << 20


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
