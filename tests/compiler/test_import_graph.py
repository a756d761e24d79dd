"""The import direction of the compiler: no cycle among compiler/ packages and top-level modules
(counting imports made inside functions too: a lazy import is still a dependency), no cycle among
the modules of any one package at import time, `runtime/` importing nothing of tariffc outside
itself, and the front end (`dsl/`) importing nothing of the compiler. docs/architecture.md draws
the same graph (`import_graph()` below computes it from the source)."""

from __future__ import annotations

import ast
from pathlib import Path

import tariffc.compiler
import tariffc.dsl

COMPILER = Path(tariffc.compiler.__file__).parent
DSL = Path(tariffc.dsl.__file__).parent


def _imported(path: Path, package: tuple[str, ...], *, module_level: bool) -> set[str]:
    """Absolute names of the tariffc modules `path` imports (relative imports resolved); with
    module_level, only the imports run when the module is imported (not those inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    if module_level:
        nodes = [n for stmt in tree.body if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                                   ast.ClassDef)) for n in ast.walk(stmt)]
    else:
        nodes = list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = list(package[:len(package) - node.level + 1]) if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)  # `from pkg import module`
    return {name for name in found if name.startswith("tariffc.")}


def _unit(module: str) -> str | None:
    """The compiler/ package or top-level module a module name belongs to (None outside compiler/)."""
    parts = module.split(".")
    if parts[:2] != ["tariffc", "compiler"] or len(parts) < 3:
        return None
    return parts[2]


def import_graph(*, module_level: bool = False) -> dict[str, set[str]]:
    """{unit: units it imports} over compiler/'s packages and top-level modules."""
    graph: dict[str, set[str]] = {}
    for path in sorted(COMPILER.rglob("*.py")):
        rel = path.relative_to(COMPILER)
        unit = rel.parts[0].removesuffix(".py")
        package = ("tariffc", "compiler", *rel.parts[:-1])
        for module in _imported(path, package, module_level=module_level):
            other = _unit(module)
            known = other is not None and ((COMPILER / other).is_dir() or (COMPILER / f"{other}.py").is_file())
            if known and other != unit:
                graph.setdefault(unit, set()).add(other)
        graph.setdefault(unit, set())
    return graph


def module_graph(package: Path) -> dict[str, set[str]]:
    """{module: modules of the same package it imports when imported} for one package."""
    dotted = ("tariffc", "compiler", *package.relative_to(COMPILER).parts)
    prefix = ".".join(dotted) + "."
    names = {prefix + p.stem for p in package.glob("*.py") if p.stem != "__init__"}
    graph: dict[str, set[str]] = {}
    for path in package.glob("*.py"):
        name = ".".join(dotted) if path.stem == "__init__" else prefix + path.stem
        graph[name] = {m for m in _imported(path, dotted, module_level=True) if m in names and m != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return out


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_cycle_among_compiler_packages_lazy_imports_included():
    graph = import_graph()
    assert {"lower", "compare", "rates", "runtime", "cli"} <= set(graph)
    assert cycles(graph) == []


def test_no_import_time_cycle_inside_any_package():
    for package in sorted(p for p in COMPILER.iterdir() if (p / "__init__.py").is_file()):
        assert cycles(module_graph(package)) == [], package.name


def test_runtime_imports_nothing_of_tariffc_outside_itself():
    assert import_graph()["runtime"] == set()
    for path in (COMPILER / "runtime").glob("*.py"):  # not even the compiler package's other modules
        assert all(m.startswith("tariffc.compiler.runtime") or m == "tariffc.compiler"
                   for m in _imported(path, ("tariffc", "compiler", "runtime"), module_level=False)), path.name


def test_the_front_end_imports_nothing_of_the_compiler():
    for path in DSL.glob("*.py"):
        assert not any(m.startswith("tariffc.compiler") for m in _imported(path, ("tariffc", "dsl"),
                                                                           module_level=False)), path.name


def test_the_stages_point_one_way():
    """The pipeline's direction (docs/architecture.md): lowering knows only the IR, the checks know
    no later stage, the runtime and the IR know no stage at all."""
    graph = import_graph()
    assert graph["lower"] == {"ir"}
    assert graph["ir"] == {"runtime"}
    assert graph["checks"] <= {"ir", "lower", "runtime"}
    assert "cli" not in set().union(*(deps for unit, deps in graph.items() if unit != "cli"))
