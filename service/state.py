"""What the service loads once at start-up: the encoder, the bundle and the ranker built over them."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from creatormatch.bundle import BundleError, load_bundle
from creatormatch.config import Settings
from creatormatch.encoder import BatchingEncoder, Encoder, EncoderError, encoder_from_settings
from creatormatch.ranking import Ranker
from creatormatch.shortlist import ShortlistStore
from service.jobs import JobRunner

logger = logging.getLogger(__name__)


@dataclass
class AppState:
    """The service's one container of heavy things, filled by load() in the lifespan."""

    settings: Settings
    bundle_path: Path
    encoder: Encoder | None = None
    ranker: Ranker | None = None
    error: str | None = None
    on_encoder_batch: Callable[[int], None] | None = None  # sizes of shared encoder batches, for metrics
    jobs: ShortlistStore = field(init=False)
    runner: JobRunner = field(init=False)

    def __post_init__(self) -> None:
        self.jobs = ShortlistStore(self.settings.jobs_path)
        self.runner = JobRunner(self.jobs, lambda: self.ranker, self.settings.job_lease_seconds,
                                self.settings.job_ttl_seconds)

    @property
    def not_ready_reason(self) -> str:
        """Why queries cannot be answered yet: the bundle was refused, or is still loading."""
        return f"bundle refused: {self.error}" if self.error else "bundle is still loading"

    def load(self) -> None:
        """Load the encoder and the bundle; on failure keep the reason for /readyz."""
        try:
            encoder = self.encoder or encoder_from_settings(self.settings)
            self.encoder = encoder
            preload = getattr(encoder, "preload", None)
            if preload is not None:
                preload()  # the model session is created while the bundle loads
            bundle = load_bundle(self.bundle_path, encoder)
            # Concurrent requests share encoder batches; repeated briefs come from the cache.
            self.ranker = Ranker(bundle, BatchingEncoder(encoder, on_batch=self.on_encoder_batch), self.settings,
                                 query_cache_size=self.settings.query_cache_size)
            logger.info("ready: bundle %s (%d creators)", bundle.version, bundle.manifest.creators)
        except (BundleError, EncoderError, OSError) as exc:
            self.error = str(exc)
            logger.error("bundle refused: %s", exc)
        except Exception as exc:  # the loader thread must report every failure through /readyz, not die silently
            self.error = f"{type(exc).__name__}: {exc}"
            logger.exception("bundle failed to load")
