"""What ``pip install toelab`` without extras can do, and the one line when a command needs more."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from toelab.extras import EXTRAS

# every optional part made unimportable, as on a machine where only the core is installed
_WITHOUT_EXTRAS = textwrap.dedent(
    f"""
    import sys
    for name in {sorted(m for modules in EXTRAS.values() for m in modules)!r}:
        sys.modules[name] = None
    from toelab.cli import app
    app(sys.argv[1:], prog_name="toelab")
    """
)


def _toelab_core_only(*args: str, cwd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _WITHOUT_EXTRAS, *args], capture_output=True, text=True, cwd=cwd, timeout=600
    )


def test_the_demo_runs_on_the_core_alone(tmp_path, monkeypatch):
    monkeypatch.setenv("TOELAB_HOME", str(tmp_path / "home"))
    done = _toelab_core_only("demo", "--out", str(tmp_path / "demo"), cwd=str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "Progress report" in done.stdout
    assert list((tmp_path / "demo").rglob("*-progress-*.html"))


def test_a_command_that_needs_an_extra_says_which_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("TOELAB_HOME", str(tmp_path / "home"))
    done = _toelab_core_only("serve", cwd=str(tmp_path))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    (line,) = [line for line in done.stderr.splitlines() if line.strip()]
    assert "toelab serve" in line and "pip install 'toelab[web]'" in line
