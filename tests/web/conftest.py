"""Fixtures for the browser tests: a real ``toelab serve`` process, generated camera videos
(.y4m, which Chromium's fake camera loops) and headless Chromium through Playwright."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from feet_camera import (  # noqa: E402
    FPS,
    ISOLATION_LOOP_S,
    MUSIC_LOOP_S,
    isolation_lifts,
    music_lifts,
    write_y4m,
)
from serving import running_serve  # noqa: E402
from videogen import render_front  # noqa: E402

from toelab.web import create_app  # noqa: E402

CHROMIUM = "/usr/bin/chromium"


@dataclass
class Camera:
    mp4: Path
    y4m: Path
    first_points: list[dict]
    time_s: np.ndarray


def _camera(folder: Path, name: str, lifts, loop_s: float) -> Camera:
    mp4 = folder / f"{name}.mp4"
    truth = render_front(mp4, lifts, fps=FPS, duration_s=loop_s, noise=1.0)
    return Camera(mp4, write_y4m(mp4, folder / f"{name}.y4m"), truth.first_points, truth.time_s)


@pytest.fixture(scope="session")
def isolation_camera(tmp_path_factory: pytest.TempPathFactory) -> Camera:
    return _camera(tmp_path_factory.mktemp("camera"), "isolation", isolation_lifts, ISOLATION_LOOP_S)


@pytest.fixture(scope="session")
def music_camera(tmp_path_factory: pytest.TempPathFactory) -> Camera:
    return _camera(tmp_path_factory.mktemp("camera"), "music", music_lifts, MUSIC_LOOP_S)


@pytest.fixture(scope="module")
def video(isolation_camera: Camera) -> tuple[Camera, list[np.ndarray]]:
    """The browser tests' isolation video (right foot; see feet_camera) and its frames."""
    with av.open(str(isolation_camera.mp4)) as container:
        frames = [f.to_ndarray(format="bgr24") for f in container.decode(video=0)]
    return isolation_camera, frames


@pytest.fixture()
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    """The app on a fresh home folder, with its own database there."""
    monkeypatch.delenv("TOELAB_DATABASE_URL", raising=False)
    return TestClient(create_app(home=tmp_path))


@dataclass
class Server:
    url: str
    home: Path
    log: Path  # the server's output so far

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``toelab serve`` as a real process on a free port."""
    home = tmp_path_factory.mktemp("home")
    log = tmp_path_factory.mktemp("serve-log") / "serve.log"
    with running_serve([], {**os.environ, "TOELAB_HOME": str(home)}, "/api/protocols", log) as url:
        yield Server(url, home, log)


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where the browser tests save what each screen looked like (not committed)."""
    folder = Path(
        os.environ.get("TOELAB_SCREENSHOTS", Path(__file__).resolve().parents[2] / "build" / "screenshots")
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder
