"""No two modules of the package import each other, directly or round a longer loop.

Every import statement counts: at the top, inside functions, and under ``TYPE_CHECKING``, since
a loop hidden there still ties the modules together and breaks as soon as one is needed at
run time.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[1] / "src" / "toelab"


def module_names(root: Path) -> dict[str, Path]:
    """``{dotted module name: file}`` for every module of the package under ``root``."""
    modules = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def imported_modules(module: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that ``module`` imports anywhere in its file."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            # ``from package import name`` imports the submodule when ``name`` is one
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        for target in targets:
            # ``import a.b.c`` runs the deepest module of the package that exists
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != module:
                found.add(target)
    return found


def import_cycles(root: Path) -> list[list[str]]:
    """Every group of modules that import one another round a loop (Tarjan's algorithm)."""
    modules = module_names(root)
    graph = {m: sorted(imported_modules(m, p, set(modules))) for m, p in modules.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return cycles


def test_the_package_has_no_import_cycle() -> None:
    assert import_cycles(PACKAGE_ROOT) == []


def test_a_cycle_under_type_checking_or_in_a_function_is_found(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("from .a import A\n")
    (package / "sub" / "a.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.b import B\nclass A: ...\n"
    )
    (package / "b.py").write_text("from pkg.sub.a import A\nclass B: ...\n")
    (package / "c.py").write_text("def f():\n    from . import d\n")
    (package / "d.py").write_text("import pkg.c\n")
    (package / "e.py").write_text("from pkg import b\n")
    assert sorted(import_cycles(package)) == [["pkg.b", "pkg.sub.a"], ["pkg.c", "pkg.d"]]
