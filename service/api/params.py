"""The /match filters as query parameters, for GET routes (/search, /creators/{id}/similar)."""

from __future__ import annotations

from typing import Annotated

from fastapi import HTTPException, Query
from pydantic import ValidationError

from creatormatch.api_models import Filters
from service.api.deps import error_details


def _split(values: list[str] | None) -> list[str] | None:
    """Repeated parameters and comma-separated values both work: ?tiers=nano&tiers=micro or ?tiers=nano,micro."""
    if values is None:
        return None
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def filters_from_query(
    platforms: Annotated[list[str] | None, Query(description="instagram, tiktok, youtube, twitter, other")] = None,
    tiers: Annotated[list[str] | None, Query(description="sub_nano, nano, micro, mid, macro, mega, unknown "
                                                             "(default nano, micro and unknown reach)")]
    = None,
    min_followers: Annotated[int | None, Query()] = None,
    max_followers: Annotated[int | None, Query()] = None,
    countries: Annotated[list[str] | None, Query(description="ISO 3166 alpha-2")] = None,
    languages: Annotated[list[str] | None, Query(description="ISO 639-1")] = None,
    min_engagement_vs_tier: Annotated[float | None, Query()] = None,
    min_credibility: Annotated[float | None, Query()] = None,
    active_within_days: Annotated[int | None, Query()] = None,
    exclude_creator_ids: Annotated[list[str] | None, Query()] = None,
    require_disclosure: Annotated[bool, Query()] = False,
) -> Filters:
    """Filters from the query string, validated like the /match body (422 names the field)."""
    try:
        return Filters.model_validate({
            "platforms": _split(platforms), "tiers": _split(tiers), "min_followers": min_followers,
            "max_followers": max_followers, "countries": _split(countries), "languages": _split(languages),
            "min_engagement_vs_tier": min_engagement_vs_tier, "min_credibility": min_credibility,
            "active_within_days": active_within_days, "exclude_creator_ids": _split(exclude_creator_ids) or [],
            "require_disclosure": require_disclosure,
        })
    except ValidationError as exc:
        raise HTTPException(422, detail=error_details(exc.errors(), empty="filters")) from exc
