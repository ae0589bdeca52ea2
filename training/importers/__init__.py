"""Importers that turn real platform exports into the data contract, one module per platform."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from training.importers.common import ImportResult
from training.importers.youtube import import_youtube


class Importer(Protocol):
    """An import function: export files in, a contract folder (creators, posts, labels, rejects, report) out."""

    def __call__(self, inputs: Sequence[Path], out_dir: Path, *, categories: Path | None = None,
                 encoding: str | None = None) -> ImportResult:
        ...


IMPORTERS: dict[str, Importer] = {"youtube": import_youtube}


def importer_for(platform: str) -> Importer:
    """The import function of a platform.

    Args:
        platform: the platform's name, as on the command line (`youtube`).

    Returns:
        The platform's import function.

    Raises:
        ValueError: when no importer exists for the platform.
    """
    try:
        return IMPORTERS[platform]
    except KeyError:
        raise ValueError(f"no importer for platform {platform!r}; available: {', '.join(sorted(IMPORTERS))}") from None


__all__ = ["IMPORTERS", "ImportResult", "Importer", "import_youtube", "importer_for"]
