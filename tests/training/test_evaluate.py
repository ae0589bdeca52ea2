"""Match quality against the sample's ground truth, on the small sample (goals are measured on bigger ones)."""

from __future__ import annotations

from pathlib import Path

from creatormatch.ranking import Ranker
from training.evaluate import evaluate_matching


def test_match_quality_on_the_small_sample(ranker: Ranker, small_sample_dir: Path) -> None:
    quality = evaluate_matching(ranker, small_sample_dir)
    assert quality.brands >= 24 and quality.results == 10 * quality.brands
    # Goals are >= 0.90 and <= 0.05 on the default sample; 800 creators leave some brands with fewer than ten
    # genuine creators of their niche, so this guards against falling well below rather than the goal itself.
    assert quality.on_niche_at_10 >= 0.85
    assert quality.fraud_at_10 <= 0.05
    assert quality.filter_violations == 0
