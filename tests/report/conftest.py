"""What ``toelab history`` prints for a person, as text."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rich.console import Console

from toelab.report.terminal import history_renderables
from toelab.store.overview import PersonOverview


def _history_text(overview: PersonOverview) -> str:
    console = Console(width=300, record=True)
    for shown in history_renderables(overview):
        console.print(shown)
    return console.export_text()


@pytest.fixture
def history_text() -> Callable[[PersonOverview], str]:
    return _history_text
