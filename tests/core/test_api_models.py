"""The API models spell the contract's vocabularies exactly: one home for platforms, tiers and components."""

from __future__ import annotations

from typing import get_args

import pytest
from pydantic import ValidationError

from creatormatch.api_models import ALL_TIERS, COMPONENTS, Filters, Platform, SearchRequest, Tier, Weights
from creatormatch.schemas import FILTER_TIERS, PLATFORM_LABELS, PLATFORMS, TIER_BOUNDS, TIER_ORDER


def test_literals_equal_the_schema_vocabularies() -> None:
    assert get_args(Platform) == PLATFORMS
    assert get_args(Tier) == FILTER_TIERS == ALL_TIERS
    assert TIER_ORDER == tuple(TIER_BOUNDS)
    assert set(PLATFORM_LABELS) == set(PLATFORMS)


def test_components_are_the_weights() -> None:
    assert COMPONENTS == tuple(Weights().as_dict())
    assert abs(sum(Weights().normalised().values()) - 1) < 1e-9


def test_default_tiers_keep_unknown_reach_only_when_no_tier_is_named() -> None:
    assert Filters().effective_tiers() == ["nano", "micro"]
    assert Filters(tiers=["unknown"]).effective_tiers() == ["unknown"]
    assert Filters(min_followers=10).effective_tiers() is None


@pytest.mark.parametrize("q", ["#", "🐶🐶", "!!! ...", "#️⃣ ✨", "—"])
def test_a_search_without_a_word_to_search_for_is_refused(q: str) -> None:
    # Such a query matched nothing in the keyword index and ranked every creator on the encoder's noise.
    with pytest.raises(ValidationError, match="no word to search for"):
        SearchRequest(q=q)


# Words the keyword index leaves out (stop words, single letters and characters, numbers, handles) are still
# searched by meaning.
@pytest.mark.parametrize("q", ["yoga", "#vanlife", "ai", "料理", "योग", "the office", "fire", "IT", "猫", "42",
                               "C++", "@mkbhd"])
def test_a_search_with_a_word_is_accepted(q: str) -> None:
    assert SearchRequest(q=f" {q} ").q == q
