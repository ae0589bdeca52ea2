"""Imports go one way: training/ and service/ stand on the core and never on each other."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_packages(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def test_core_never_imports_the_jobs_or_the_service() -> None:
    offenders = {f: n & {"training", "service"} for f, n in imported_packages("creatormatch").items()
                 if n & {"training", "service"} and not f.endswith("cli.py")}
    assert offenders == {}


def test_service_never_imports_training() -> None:
    assert {f for f, n in imported_packages("service").items() if "training" in n} == set()


def test_training_never_imports_service() -> None:
    assert {f for f, n in imported_packages("training").items() if "service" in n} == set()
