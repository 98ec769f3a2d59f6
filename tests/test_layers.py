"""The import graph of beritanlp: no cycles, and layers that only point down.

Every module under ``src/beritanlp`` is parsed with ``ast`` (not imported), and every import
it makes counts — also the ones inside functions — except those in ``if TYPE_CHECKING:``
blocks, which never run. Imports through ``importlib.import_module`` are not seen.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = "beritanlp"
SOURCE = ROOT / "src" / PACKAGE

#: ``(importer, forbidden)``: a module named ``importer`` or under it must not import a module
#: named ``forbidden`` or under it. Layers: cli/server/dask -> batch -> api -> inputs -> components.
FORBIDDEN = [
    *(
        (f"{PACKAGE}.components", f"{PACKAGE}.{upper}")
        for upper in ("api", "inputs", "batch", "cli", "server", "dask", "frames", "__main__")
    ),
    *(
        (f"{PACKAGE}.{lower}", f"{PACKAGE}.{upper}")
        for lower in ("api", "inputs")
        for upper in ("batch", "cli", "server", "dask", "frames")
    ),
    (f"{PACKAGE}.inputs", f"{PACKAGE}.api"),
    *((f"{PACKAGE}.batch", f"{PACKAGE}.{upper}") for upper in ("cli", "server", "dask", "frames")),
]


def module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(SOURCE.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _import_nodes(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import under ``node`` that can run (``if TYPE_CHECKING:`` bodies left out)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for other in child.orelse:
                if isinstance(other, (ast.Import, ast.ImportFrom)):
                    yield other
                yield from _import_nodes(other)
            continue
        if isinstance(child, (ast.Import, ast.ImportFrom)):
            yield child
        yield from _import_nodes(child)


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The beritanlp modules that module ``name`` (at ``path``) imports."""

    def nearest(target: str) -> str | None:  # the module itself, or the package it is in
        while target and target not in known:
            target = target.rpartition(".")[0]
        return target or None

    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            if node.level:
                base = package
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module or ""
            # `from package import name`: the submodule when there is one, else the package
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        for target in targets:
            if target == PACKAGE or target.startswith(f"{PACKAGE}."):
                module = nearest(target)
                if module is not None and module != name:
                    found.add(module)
    return found


def import_graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports_of(name, path, known) for name, path in found.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component of more than one module (Tarjan), as the
    list of modules around it, the first repeated at the end."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_cycle_in(graph, set(component)) for component in components]


def _cycle_in(graph: dict[str, set[str]], members: set[str]) -> list[str]:
    """A shortest cycle through the first member, staying inside the component."""
    start = min(members)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(graph[node] & members):
            if nxt == start:
                return [*paths[node], start]
            if nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                queue.append(nxt)
    raise AssertionError(f"no cycle through {start}")  # pragma: no cover - Tarjan found one


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(f"{prefix}.")


def test_layers_the_graph_sees_every_kind_of_import() -> None:
    graph = import_graph()
    assert f"{PACKAGE}.batch.runner" in graph and f"{PACKAGE}.components.dates" in graph
    # a relative import of a sibling module, of a package's submodule, and one in a function
    assert f"{PACKAGE}.errors" in graph[f"{PACKAGE}.components.dates"]
    assert f"{PACKAGE}.batch.archive" in graph[f"{PACKAGE}.dask"]
    assert f"{PACKAGE}.api" in graph[f"{PACKAGE}.cli"]  # imported inside a function
    # imports under `if TYPE_CHECKING:` are left out: results names Article only for mypy
    assert f"{PACKAGE}.article" not in graph[f"{PACKAGE}.batch.results"]
    code = "if TYPE_CHECKING:\n    import x\nelse:\n    import y\ndef f():\n    import z"
    names = [alias.name for node in _import_nodes(ast.parse(code)) for alias in node.names]
    assert names == ["y", "z"]


def test_layers_no_import_cycles() -> None:
    found = cycles(import_graph())
    assert not found, "import cycles:\n" + "\n".join("  " + " -> ".join(c) for c in found)


def test_layers_point_down() -> None:
    graph = import_graph()
    wrong = sorted(
        f"{importer} imports {target}"
        for importer, targets in graph.items()
        for target in targets
        for lower, upper in FORBIDDEN
        if _under(importer, lower) and _under(target, upper)
    )
    assert not wrong, "imports against the layers:\n" + "\n".join(f"  {w}" for w in wrong)


def test_layers_only_main_imports_the_command_line() -> None:
    graph = import_graph()
    importers = sorted(name for name, targets in graph.items() if f"{PACKAGE}.cli" in targets)
    assert importers == [f"{PACKAGE}.__main__"]


def test_layers_cycle_finder_reports_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
