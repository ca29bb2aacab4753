#!/usr/bin/env bash
# Install everything the tests need (system packages, a virtual environment) and run them all.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh postgresql ffmpeg poppler-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core chromium nodejs
command -v npm >/dev/null || bash scripts/system-packages.sh npm  # Debian's nodejs comes without it
python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -e ".[test]"
# axe-core, which the browser tests inject to check the page's accessibility (package-lock.json)
npm ci --no-audit --no-fund --silent
.venv/bin/ruff check src tests benchmarks
.venv/bin/mypy
.venv/bin/python -m pytest -q "$@"
