"""The import graph of src/lisync has no cycle: between modules, and between the children of every package.

Built from the source with ``ast`` (nothing is imported), counting every import: module level, inside
functions and under ``TYPE_CHECKING`` alike, because each is a dependency a reader has to follow.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import lisync

ROOT = Path(lisync.__file__).resolve().parent


def module_name(path: Path) -> str:
    parts = ["lisync", *path.relative_to(ROOT).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """``{module: the lisync modules it imports}``."""
    files = {module_name(p): p for p in ROOT.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                edges.update(a.name for a in node.names if a.name in files)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                if base not in files:
                    continue
                submodules = {f"{base}.{a.name}" for a in node.names} & files.keys()
                edges.update(submodules or {base})
                if len(submodules) < len(node.names):
                    edges.add(base)
        edges.discard(name)
        graph[name] = edges
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """Return one cycle of ``graph`` as a path (first node repeated at the end), or ``None``."""
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def child_of(package: str, module: str) -> str | None:
    """The direct child of ``package`` that contains ``module`` (``None`` when outside, or the package itself)."""
    if not module.startswith(package + "."):
        return None
    return module[len(package) + 1:].split(".")[0]


def package_graph(graph: dict[str, set[str]], package: str) -> dict[str, set[str]]:
    """Edges between the direct children of ``package``, from every import between their modules."""
    children: dict[str, set[str]] = {}
    for module, edges in graph.items():
        source = child_of(package, module)
        if source is None:
            continue
        for target in edges:
            child = child_of(package, target)
            if child is not None and child != source:
                children.setdefault(source, set()).add(child)
    return children


def packages(graph: Iterable[str]) -> set[str]:
    return {m.rpartition(".")[0] for m in graph if "." in m} | {"lisync"}


def test_no_module_imports_itself_back() -> None:
    graph = import_graph()
    assert len(graph) > 100
    assert find_cycle(graph) is None, " → ".join(find_cycle(graph) or [])


def test_no_package_imports_itself_back_at_any_level() -> None:
    graph = import_graph()
    cycles = {p: find_cycle(package_graph(graph, p)) for p in sorted(packages(graph))}
    found = {p: " → ".join(c) for p, c in cycles.items() if c}
    assert not found, found


def test_the_connector_flows_one_way() -> None:
    """CLI → config → run → sources → linkedin; nothing but the console script imports the CLI."""
    top = package_graph(import_graph(), "lisync")
    assert "cli" not in set().union(*(targets for source, targets in top.items() if source != "cli"))
    assert not top.get("linkedin", set()) & {"config", "run", "sources", "cli", "check", "orchestrate"}
    assert not top.get("sources", set()) & {"run", "cli", "orchestrate"}
    assert not top.get("config", set()) & {"run", "sources", "cli", "orchestrate"}
    assert not top.get("orchestrate", set()) & {"cli"}
    assert not top.get("sandbox", set()) - {"sandbox"}, "the sandbox shares no code with the connector"


def test_the_checker_sees_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
    graph = {"lisync.x.one": {"lisync.y.two"}, "lisync.y.two": {"lisync.x.three"}, "lisync.x.three": set()}
    assert find_cycle(graph) is None
    assert find_cycle(package_graph(graph, "lisync")) == ["x", "y", "x"]
