"""The README stays true: every setting documented, the two commands first, the examples valid."""

from __future__ import annotations

import re
from pathlib import Path

from creatormatch.config import Settings
from creatormatch.dataset import load_dataset

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_every_setting_is_documented_in_the_readme() -> None:
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", README, flags=re.MULTILINE))
    missing = sorted(set(Settings.model_fields) - documented)
    assert not missing, f"settings missing from the README table: {missing}"


def test_every_setting_has_help() -> None:
    assert [n for n, f in Settings.model_fields.items() if not f.description] == []


def test_readme_opens_with_the_two_commands() -> None:
    first_block = README.split("```")[1]
    commands = [line.split("#")[0].strip() for line in first_block.splitlines() if line.strip()][1:]
    assert commands == ["make run", "make test"]


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_example_files_are_valid() -> None:
    dataset = load_dataset(ROOT / "examples" / "data", strict=True)
    assert dataset.creators.height == 3 and dataset.posts.height == 4
    assert dataset.brands is not None and dataset.brands.height == 1
