"""One task registry that everything else asks: no code outside ``toelab/tasks`` (Python or the
page's JavaScript) decides anything by comparing a task's name."""

from __future__ import annotations

import re
from pathlib import Path

from toelab.tasks import TASKS
from toelab.vocabulary import TASK_NAMES

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "toelab"
NAMES = "|".join(TASK_NAMES)
# a comparison with a task's name: == "rom", != 'tremor', === "isolation", in ("rhythm", ...)
PYTHON_BRANCH = re.compile(rf"""(==|!=|\bin)\s*[(\[{{]?\s*["']({NAMES})["']""")
PAGE_BRANCH = re.compile(rf"""(===|!==|==|!=)\s*["']({NAMES})["']|["']({NAMES})["']\s*(===|!==)""")


def test_the_registry_holds_the_four_tasks():
    assert set(TASKS) == {"tremor", "isolation", "rom", "rhythm"} == set(TASK_NAMES)


def test_nothing_outside_the_tasks_branches_on_a_task_name():
    found = []
    for path in PACKAGE.rglob("*.py"):
        if "tasks" in path.relative_to(PACKAGE).parts:
            continue
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if PYTHON_BRANCH.search(line):
                found.append(f"{path.relative_to(PACKAGE)}:{n}: {line.strip()}")
    for path in (PACKAGE / "web" / "static").glob("*.js"):
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if PAGE_BRANCH.search(line):
                found.append(f"{path.relative_to(PACKAGE)}:{n}: {line.strip()}")
    assert not found, "\n".join(found)
