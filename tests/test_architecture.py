"""The package's shape: no import cycles, no module reaching into another's private names, every sub-package
installed, functions a reader can hold in mind. Read from the source with ``ast``; nothing is imported."""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from pathlib import Path

from conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "consistency"
MAX_FUNCTION_LINES = 60
# Functions still over the limit, to be split (the list only shrinks).
LONG_FUNCTIONS_TO_SPLIT = {
    "consistency.render.report.highlight_article_html",
}
# Private names of other libraries the package has to use, with why.
FOREIGN_PRIVATE = {
    "_is_amx_tile_supported",  # torch.cpu: the only probe for AMX tiles (bfloat16 auto dtype)
    "_is_avx512_bf16_supported",  # torch.cpu, likewise
}


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name, from __init__.py)."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(REPO_ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """All nodes, without the bodies of ``if TYPE_CHECKING:`` blocks (imports for annotations only)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                stack.extend(child.orelse)
                continue
            stack.append(child)


def imported(node: ast.AST, module: str, known: dict[str, Path]) -> Iterator[str]:
    """The package modules an import statement loads (``from a import b`` counts ``a.b`` when it is one)."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name in known:
                yield alias.name
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:  # relative: from .frame import x
            package = module if known[module].name == "__init__.py" else module.rsplit(".", 1)[0]
            for _ in range(node.level - 1):
                package = package.rsplit(".", 1)[0]
            base = f"{package}.{base}" if base else package
        for alias in node.names:
            if f"{base}.{alias.name}" in known:
                yield f"{base}.{alias.name}"
            elif base in known:
                yield base


def import_graph() -> dict[str, set[str]]:
    known = modules()
    graph: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        for node in runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
            graph[name].update(target for target in imported(node, name, known) if target != name)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles_even_inside_functions() -> None:
    graph = import_graph()
    assert graph["consistency.cli.app"] and graph["consistency.checker"]  # the walk sees imports
    assert cycles(graph) == []


def own_private_attributes(tree: ast.AST) -> set[str]:
    """Private attributes the module's own classes set (``self._x = ...``): its code may use them anywhere."""
    return {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store)
            and isinstance(node.value, ast.Name) and node.value.id == "self" and node.attr.startswith("_")}


def test_no_module_reaches_into_private_names() -> None:
    problems = []
    for name, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        own = own_private_attributes(tree) | FOREIGN_PRIVATE
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("consistency"):
                problems += [f"{name}: from {node.module} import {a.name}" for a in node.names
                             if a.name.startswith("_") and not a.name.startswith("__")]
            elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                owner = node.value.id if isinstance(node.value, ast.Name) else None
                if owner not in ("self", "cls") and node.attr not in own:
                    problems.append(f"{name}:{node.lineno}: {ast.unparse(node)}")
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                  and node.func.id in ("getattr", "setattr")
                  and len(node.args) > 1 and isinstance(node.args[1], ast.Constant)
                  and str(node.args[1].value).startswith("_")):
                problems.append(f"{name}:{node.lineno}: {ast.unparse(node)}")
    assert problems == []


def test_every_sub_package_is_installed() -> None:
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    packages = {name for name, path in modules().items() if path.name == "__init__.py"}
    assert packages <= listed and "consistency.bundled_nli_model" in listed


def test_functions_fit_on_a_screen() -> None:
    long = []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1 if node.end_lineno else 0
                if lines > MAX_FUNCTION_LINES and f"{name}.{node.name}" not in LONG_FUNCTIONS_TO_SPLIT:
                    long.append(f"{name}.{node.name}: {lines} lines")
    assert long == []


def test_data_types_do_not_import_their_renderers() -> None:
    graph = import_graph()
    for data in ("consistency.types", "consistency.compare.report", "consistency.compare.clusters"):
        assert not any(target.startswith("consistency.render") for target in graph[data]), data
