"""The sandbox's import graph: no module or package circles, and no LinkedIn code from the connector.

The graph is read with ``ast`` from ``src/lisync/sandbox`` and counts every import: top-level, inside
functions and under ``TYPE_CHECKING``. Package-level circles are checked at every level: inside a package,
each direct child (module or subpackage) is one node, and a child depends on a sibling when any module
under it imports any module under the sibling.

Run it as a script to print the graph's circles: ``python tests/sandbox/test_import_graph.py``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

SANDBOX_DIR = Path(__file__).resolve().parents[2] / "src" / "lisync" / "sandbox"
PACKAGE = "lisync.sandbox"


def module_name(path: Path) -> str:
    """Return the dotted name of a sandbox source file (a package's ``__init__`` is the package)."""
    parts = list(path.relative_to(SANDBOX_DIR.parent.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, known: set[str]) -> set[str]:
    """Return the ``lisync`` modules ``path`` imports (``from pkg import module`` counts as the module)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("lisync"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if not node.module.startswith("lisync"):
                continue
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                found.add(child if child in known else node.module)
    return found


def import_graph() -> dict[str, set[str]]:
    """Return module -> imported ``lisync`` modules for every module of the sandbox."""
    files = sorted(SANDBOX_DIR.rglob("*.py"))
    known = {module_name(f) for f in files}
    return {module_name(f): imported_modules(f, known) - {module_name(f)} for f in files}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected components with more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _child_of(package: str, module: str) -> str | None:
    """Return the direct child of ``package`` that contains ``module`` (``None`` outside the package)."""
    prefix = package + "."
    if not module.startswith(prefix):
        return None
    return prefix + module[len(prefix):].split(".")[0]


def package_graphs(graph: dict[str, set[str]]) -> dict[str, dict[str, set[str]]]:
    """Return, per sandbox package, the dependency graph between its direct children."""
    packages = {m for m in graph if (SANDBOX_DIR.parent.parent / m.replace(".", "/")).is_dir()}
    result: dict[str, dict[str, set[str]]] = {}
    for package in sorted(packages):
        children: dict[str, set[str]] = {}
        for module, targets in graph.items():
            source = _child_of(package, module)
            if source is None:
                continue
            deps = children.setdefault(source, set())
            deps.update(t for t in (_child_of(package, target) for target in targets) if t and t != source)
        result[package] = children
    return result


def all_cycles() -> list[list[str]]:
    """Return every module circle and every package-level circle of the sandbox."""
    graph = import_graph()
    found = cycles(graph)
    for children in package_graphs(graph).values():
        found.extend(c for c in cycles(children) if c not in found)
    return found


def _outside(targets: Iterable[str]) -> set[str]:
    return {t for t in targets if not (t == PACKAGE or t.startswith(PACKAGE + "."))}


def test_the_sandbox_has_no_import_circles() -> None:
    assert all_cycles() == []


def test_package_level_graph_is_checked_too() -> None:
    # A circle between two subpackages shows only at package level: the check must see it.
    graph = {"lisync.sandbox.a.x": {"lisync.sandbox.b.y"}, "lisync.sandbox.b.z": {"lisync.sandbox.a.w"},
             "lisync.sandbox.a.w": set(), "lisync.sandbox.b.y": set()}
    assert cycles(graph) == []
    children = {"a": {"b"}, "b": {"a"}}
    assert cycles(children) == [["a", "b"]]


def test_the_sandbox_imports_no_connector_code() -> None:
    leaks = {module: sorted(_outside(targets)) for module, targets in import_graph().items() if _outside(targets)}
    assert leaks == {}


if __name__ == "__main__":
    for circle in all_cycles():
        print(" -> ".join(circle))
    print(f"{len(all_cycles())} circle(s)")
