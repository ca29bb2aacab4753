"""toelab's optional parts, and the one clear line when a command needs one that is missing.

``pip install toelab`` gives the readers, the analyses, the tracker, the records (SQLite) and
the HTML report. The rest comes with an extra: ``toelab[web]`` (``toelab serve``),
``toelab[reports]`` (PDF and FHIR), ``toelab[batch]`` (Dask and Parquet), ``toelab[postgres]``;
``toelab[all]`` has everything.
"""

from __future__ import annotations

from toelab.errors import ToelabError

# the modules each extra brings (top-level import names)
EXTRAS: dict[str, tuple[str, ...]] = {
    "web": ("fastapi", "uvicorn", "multipart", "cryptography", "argon2", "starlette"),
    "reports": ("weasyprint", "fhir"),
    "batch": ("dask", "distributed", "pyarrow"),
    "postgres": ("psycopg",),
}


def _extra_of(module: str | None) -> str | None:
    top = (module or "").partition(".")[0]
    return next((extra for extra, modules in EXTRAS.items() if top in modules), None)


def missing_extra(error: ModuleNotFoundError, feature: str) -> Exception:
    """The ToelabError for a missing optional part (the error itself for any other module)."""
    extra = _extra_of(error.name)
    if extra is None:
        return error
    return ToelabError(
        f"{feature} needs toelab's optional {extra} part ({error.name} is not installed)",
        hint=f"pip install 'toelab[{extra}]'",
    )

