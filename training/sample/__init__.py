"""Synthetic sample corpus: realistic creators, posts, followers and brands with ground-truth labels."""

from __future__ import annotations

from training.sample.generator import (
    CHUNK_CREATORS,
    NICHES,
    SampleCorpus,
    SampleFiles,
    generate_sample,
    stream_sample,
    write_sample,
)

__all__ = [
    "CHUNK_CREATORS", "NICHES", "SampleCorpus", "SampleFiles", "generate_sample", "stream_sample", "write_sample",
]
