"""What every query reads, prepared once per bundle, and the stopwatch behind `took_ms`."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from creatormatch.bundle import LoadedBundle
from creatormatch.config import Settings
from creatormatch.ranking.explain import Explainer
from creatormatch.ranking.filters import FilterColumns
from creatormatch.ranking.retrieval import QueryEncoder
from creatormatch.ranking.scoring import static_components

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class RankingContext:
    """The bundle with its query-independent parts: filter columns, static components, result rows."""

    bundle: LoadedBundle
    settings: Settings
    queries: QueryEncoder
    columns: FilterColumns
    static: dict[str, FloatArray]
    explainer: Explainer
    has_text: npt.NDArray[np.bool_]
    facet_values: dict[str, npt.NDArray[np.object_]]

    @classmethod
    def prepare(cls, bundle: LoadedBundle, queries: QueryEncoder, settings: Settings) -> RankingContext:
        """Read the columns every query needs from the bundle's creator and post tables."""
        creators = bundle.creators
        has_text = (creators.get_column("has_text").fill_null(False).to_numpy().astype(bool)
                    if "has_text" in creators.columns else np.ones(creators.height, dtype=bool))
        facet_values = {name: np.array(creators.get_column(name).fill_null(missing).to_list(), dtype=object)
                        for name, missing in (("platform", "unknown"), ("tier", "unknown"), ("country", "unknown"))}
        return cls(bundle=bundle, settings=settings, queries=queries,
                   columns=FilterColumns.from_creators(creators, bundle.row_of),
                   static=static_components(creators), explainer=Explainer(creators, bundle.posts),
                   has_text=has_text, facet_values=facet_values)


@dataclass
class Stopwatch:
    """Started on creation; `ms()` is the time since, as responses report it in `took_ms`."""

    started: float = field(default_factory=time.perf_counter)

    def ms(self) -> float:
        """Milliseconds since the start, rounded to 0.01."""
        return round((time.perf_counter() - self.started) * 1000, 2)
