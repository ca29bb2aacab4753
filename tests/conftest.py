"""The tests are laid out like ``src/toelab`` (``tests/io`` for ``toelab.io`` …; whole-package
and end-to-end tests at the top). Markers name the slow real parts, so a contributor can run a
fast subset: ``pytest -m "not (postgres or browser or video or slow)"``. CI runs everything."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# the generators and samples every folder's tests draw on (videogen, photovideo, io_samples)
sys.path.insert(0, str(Path(__file__).resolve().parent))

# what makes a test need each real part: fixtures it uses, or the module it lives in
_BROWSER_FIXTURES = {"playwright_driver"}
_VIDEO_FIXTURES = {"isolation_camera", "music_camera"}
_VIDEO_MODULES = {
    "test_cli_video",
    "test_track_accuracy",
    "test_track_points",
    "test_video_accuracy",
    "test_video_io",
}
# killing servers and stores, and Dask clusters, take seconds each
_SLOW_MODULES = {"test_store_kill", "test_web_kill", "test_fuzz_readers"}


def _uses_postgres(item: pytest.Item) -> bool:
    params = getattr(getattr(item, "callspec", None), "params", {})
    return any(str(value) == "postgresql" for value in params.values()) or any(
        name.startswith("postgresql") for name in getattr(item, "fixturenames", ())
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        module = item.module.__name__.rpartition(".")[2] if item.module else ""
        if _uses_postgres(item):
            item.add_marker(pytest.mark.postgres)
        if fixtures & _BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if fixtures & _VIDEO_FIXTURES or module in _VIDEO_MODULES:
            item.add_marker(pytest.mark.video)
        if module in _SLOW_MODULES or "dask" in item.name:
            item.add_marker(pytest.mark.slow)
