"""Synthetic sample corpus: realistic creators, posts, followers and brands with ground-truth labels."""

from __future__ import annotations

from training.sample.generator import NICHES, SampleCorpus, generate_sample, write_sample

__all__ = ["NICHES", "SampleCorpus", "generate_sample", "write_sample"]
