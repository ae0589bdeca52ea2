"""creatormatch core: the domain model shared by the offline jobs and the service."""

from __future__ import annotations

__version__ = "0.1.0"
