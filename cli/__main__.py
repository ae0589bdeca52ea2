"""`python -m cli`: the same as the `creatormatch` command."""

from __future__ import annotations

from cli import run

run()
