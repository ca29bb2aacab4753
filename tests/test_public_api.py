"""The package's shape: one registry of tasks, and public names that say what they are."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import toelab
from toelab.tasks import TASKS
from toelab.vocabulary import TASK_NAMES

SRC = Path(toelab.__file__).parent


def test_the_registry_lists_the_four_tasks_and_each_task_says_what_it_is():
    assert sorted(TASKS) == sorted(TASK_NAMES) == ["isolation", "rhythm", "rom", "tremor"]
    for name, task in TASKS.items():
        assert task.name == name and task.title and task.explain({}) is not None


def _task_name_comparisons(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        values = [s.value for s in sides if isinstance(s, ast.Constant)]
        values += [
            e.value
            for s in sides
            if isinstance(s, ast.Tuple | ast.List | ast.Set)
            for e in s.elts
            if isinstance(e, ast.Constant)
        ]
        if set(values) & set(TASK_NAMES):
            found.append(f"{path.relative_to(SRC)}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_nothing_outside_the_task_modules_branches_on_a_task_name():
    found = [
        hit
        for path in sorted(SRC.rglob("*.py"))
        if "tasks" not in path.relative_to(SRC).parts
        for hit in _task_name_comparisons(path)
    ]
    assert found == []


def _packages() -> list[str]:
    names = ["toelab"]
    for info in pkgutil.walk_packages([str(SRC)], prefix="toelab."):
        if info.ispkg and "migrations" not in info.name:
            names.append(info.name)
    return names


def test_every_package_exports_what_its_all_names_and_names_what_it_exports():
    for name in _packages():
        package = importlib.import_module(name)
        exported = getattr(package, "__all__", None)
        if exported is None:
            continue
        assert len(set(exported)) == len(exported), name
        missing = [n for n in exported if not hasattr(package, n)]
        assert missing == [], f"{name}.__all__ names what it lacks: {missing}"
        tree = ast.parse(Path(package.__file__).read_text(encoding="utf-8"))
        # what the package defines, and what it takes from its own modules, is what it exports
        own = {
            alias.asname or alias.name
            for node in tree.body
            if isinstance(node, ast.ImportFrom)
            and (node.module or "").startswith(f"{name}.")
            and not node.module.rpartition(".")[2].startswith("_")  # a private helper module
            for alias in node.names
        }
        own |= {node.name for node in tree.body if isinstance(node, ast.FunctionDef | ast.ClassDef)}
        unlisted = sorted(
            n
            for n in own - set(exported)
            if not n.startswith("_") and not inspect.ismodule(getattr(package, n))
        )
        assert unlisted == [], f"{name} exports names its __all__ leaves out: {unlisted}"


def test_read_and_load_give_a_recording_from_the_top_of_the_package(tmp_path):
    path = tmp_path / "landmarks.csv"
    path.write_text("time,right_toe1_x,right_toe1_y\n0,1,2\n0.1,1,2.5\n0.2,1,3\n", encoding="utf-8")
    assert toelab.read(path).n_samples == 3
    assert toelab.load(path).n_samples == 3


def _public_functions() -> list[tuple[str, object]]:
    import toelab.analysis
    import toelab.io

    return [
        (f"{package.__name__}.{name}", getattr(package, name))
        for package in (toelab.io, toelab.analysis)
        for name in package.__all__
        if inspect.isfunction(getattr(package, name))
    ]


def _sections(function: object) -> dict[str, str]:
    """The numpydoc sections of a docstring: ``{title: text}`` (a title underlined by dashes)."""
    lines = inspect.cleandoc(inspect.getdoc(function) or "").splitlines()
    sections: dict[str, str] = {}
    title = "summary"
    for line, under in zip(lines, [*lines[1:], ""], strict=True):
        if under and set(under) == {"-"} and len(under) == len(line):
            title = line
            sections[title] = ""
        elif not (line and set(line) == {"-"}):
            sections[title] = sections.get(title, "") + line + "\n"
    return sections


def test_every_public_reader_and_analysis_documents_its_parameters_and_what_it_returns():
    functions = _public_functions()
    assert len(functions) >= 25  # the catalogues of toelab.io and toelab.analysis
    lacking = [
        f"{name}: {section}"
        for name, function in functions
        for section in ("Parameters", "Returns")
        if not _sections(function).get(section, "").strip()
    ]
    assert lacking == []
    # each documented parameter is one the function takes
    for name, function in functions:
        documented = {
            part.strip()
            for line in _sections(function)["Parameters"].splitlines()
            if line and not line.startswith(" ")
            for part in line.split(" : ")[0].split(",")
        }
        assert documented <= set(inspect.signature(function).parameters), name


def test_the_references_of_the_public_functions_come_from_the_one_registry_of_sources():
    from toelab.protocols.sources import SOURCES

    cited = 0
    for name, function in _public_functions():
        for line in _sections(function).get("References", "").splitlines():
            if not line.startswith(".. ["):
                continue
            key, _, doi = line.split("] ", 1)[1].partition(", doi:")
            assert key in SOURCES, f"{name} cites {key!r}, which is not in toelab.protocols.sources"
            assert doi == SOURCES[key].doi, f"{name}: the DOI of {key} differs from the registry's"
            assert " ".join(SOURCES[key].citation.split()) in " ".join(inspect.getdoc(function).split())
            cited += 1
    assert cited >= 10
