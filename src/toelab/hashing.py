"""Content hashes of the files toelab is given: a batch knows a file it analysed before by
them, a backup checks every file it restores against them."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from toelab.errors import ToelabError

_CHUNK_BYTES = 1 << 20


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, or of every file in a folder (names and bytes, in name order)."""
    digest = hashlib.sha256()
    if path.is_dir():
        for member in sorted(p for p in path.rglob("*") if p.is_file()):
            digest.update(f"{member.relative_to(path).as_posix()}\0".encode())
            _hash_into(digest, member)
        return digest.hexdigest()
    _hash_into(digest, path)
    return digest.hexdigest()


def _hash_into(digest: Any, path: Path) -> None:
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK_BYTES):
                digest.update(chunk)
    except OSError as exc:
        raise ToelabError(f"cannot read the file: {exc.strerror or exc}", path) from exc
