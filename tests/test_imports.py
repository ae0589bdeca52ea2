"""Imports go one way (cli -> service, training -> creatormatch), with no exceptions and no cycles."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("creatormatch", "training", "service", "cli")


def module_name(path: Path) -> str:
    """`creatormatch/ranking.py` -> `creatormatch.ranking`; `service/api/__init__.py` -> `service.api`."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_files(*folders: str) -> dict[str, Path]:
    """Module name -> file, for every .py file under the given top-level folders."""
    return {module_name(p): p for folder in folders for p in sorted((ROOT / folder).rglob("*.py"))}


def absolute(module: str | None, level: int, importer: str, is_package: bool) -> str:
    """The absolute name of `from <level dots><module> import ...` written in module `importer`."""
    if level == 0:
        return module or ""
    package = importer.split(".") if is_package else importer.split(".")[:-1]
    base = package[:len(package) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def imported_modules(node: ast.Import | ast.ImportFrom, importer: str, is_package: bool) -> Iterator[str]:
    """Every module an import statement names: `from a import b` names `a.b` as well as `a` (b may be a module)."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    source = absolute(node.module, node.level, importer, is_package)
    yield source
    yield from (f"{source}.{alias.name}" for alias in node.names)


def is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def top_level_imports(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """Imports that run when the module is imported: not inside functions, not under `if TYPE_CHECKING:`."""
    for statement in body:
        if isinstance(statement, ast.Import | ast.ImportFrom):
            yield statement
        elif isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        elif isinstance(statement, ast.If):
            if not is_type_checking(statement.test):
                yield from top_level_imports(statement.body)
            yield from top_level_imports(statement.orelse)
        elif isinstance(statement, ast.Try):
            for block in (statement.body, *(h.body for h in statement.handlers), statement.orelse,
                          statement.finalbody):
                yield from top_level_imports(block)
        elif isinstance(statement, ast.With | ast.ClassDef):
            yield from top_level_imports(statement.body)


def import_graph() -> dict[str, set[str]]:
    """Module -> project modules it imports at import time.

    `from a import b` counts as importing `a.b` when that is a module, otherwise `a`: a package whose
    `__init__` imports its own submodules is not a cycle.
    """
    files = project_files(*PACKAGES)
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        is_package = path.name == "__init__.py"
        edges: set[str] = set()
        for node in top_level_imports(ast.parse(path.read_text()).body):
            named = list(imported_modules(node, name, is_package))
            if isinstance(node, ast.ImportFrom):
                source, members = named[0], named[1:]
                submodules = {m for m in members if m in files}
                edges |= submodules
                if len(submodules) < len(members) and source in files:
                    edges.add(source)
            else:
                edges |= {m for m in named if m in files}
        graph[name] = edges - {name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path that ends where it starts, or None."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = "open"
        path.append(module)
        for target in sorted(graph.get(module, ())):
            if state.get(target) == "open":
                return path[path.index(target):] + [target]
            if target not in state and (cycle := visit(target)) is not None:
                return cycle
        state[module] = "done"
        path.pop()
        return None

    for module in sorted(graph):
        if module not in state and (cycle := visit(module)) is not None:
            return cycle
    return None


def packages_imported(*folders: str) -> dict[str, set[str]]:
    """File -> top-level project packages it imports anywhere (functions and TYPE_CHECKING blocks included)."""
    found: dict[str, set[str]] = {}
    for name, path in project_files(*folders).items():
        is_package = path.name == "__init__.py"
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names |= {m.split(".")[0] for m in imported_modules(node, name, is_package)}
        found[str(path.relative_to(ROOT))] = names & set(PACKAGES)
    return found


def offenders(folder: str, forbidden: set[str]) -> dict[str, set[str]]:
    return {f: n & forbidden for f, n in packages_imported(folder).items() if n & forbidden}


def test_core_imports_none_of_the_jobs_the_service_or_the_command_line() -> None:
    assert offenders("creatormatch", {"training", "service", "cli"}) == {}


def test_training_never_imports_the_service_or_the_command_line() -> None:
    assert offenders("training", {"service", "cli"}) == {}


def test_service_never_imports_training_or_the_command_line() -> None:
    assert offenders("service", {"training", "cli"}) == {}


def test_nothing_but_tests_imports_the_command_line() -> None:
    assert offenders("benchmarks", {"cli"}) == {}


def test_no_import_cycles() -> None:
    graph = import_graph()
    assert {"creatormatch.shortlist", "cli.main", "service.main"} <= set(graph)
    assert "creatormatch.ranking" in graph["creatormatch.shortlist"]
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
