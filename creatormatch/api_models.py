"""API models: requests and responses of /match, /search and lookalikes, shared by service, CLI and batch jobs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

Platform = Literal["instagram", "tiktok", "youtube", "twitter", "other"]
# The Literals spell out schemas.PLATFORMS and schemas.FILTER_TIERS for the OpenAPI schema; a test holds them equal.
Tier = Literal["sub_nano", "nano", "micro", "mid", "macro", "mega", "unknown"]
DEFAULT_TIERS: tuple[Tier, ...] = ("nano", "micro")
ALL_TIERS: tuple[Tier, ...] = get_args(Tier)
MAX_TEXT = 4000
MAX_KEYWORDS = 50
MAX_LIST = 1000


class Brief(BaseModel):
    """What the brand wants: at least one field must be non-empty."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(default=None, max_length=MAX_TEXT, description="Free text about the campaign.")
    brand: str | None = Field(default=None, max_length=200, description="The brand's name.")
    values: str | None = Field(default=None, max_length=MAX_TEXT, description="The brand's value statement.")
    product: str | None = Field(default=None, max_length=MAX_TEXT, description="The product to promote.")
    audience: str | None = Field(default=None, max_length=MAX_TEXT, description="The audience to reach.")
    keywords: list[str] = Field(default_factory=list, max_length=MAX_KEYWORDS,
                                description="Niche keywords or hashtags.")

    @field_validator("keywords")
    @classmethod
    def _keywords(cls, value: list[str]) -> list[str]:
        for keyword in value:
            if len(keyword) > 100:
                raise ValueError("each keyword must be at most 100 characters")
        return [k.strip() for k in value if k.strip()]

    @model_validator(mode="after")
    def _not_empty(self) -> Brief:
        fields = (self.text, self.brand, self.values, self.product, self.audience)
        if not any(f and f.strip() for f in fields) and not self.keywords:
            raise ValueError("brief is empty: give at least one of text, brand, values, product, audience, keywords")
        return self


def _codes(value: list[str] | None, case: Callable[[str], str], message: str) -> list[str] | None:
    """Two-letter codes in canonical case, or a ValueError naming the first bad one."""
    if value is None:
        return None
    codes = [case(v.strip()) for v in value]
    bad = [c for c in codes if len(c) != 2 or not c.isalpha()]
    if bad:
        raise ValueError(f"{message}, got {bad[0]!r}")
    return codes


class Filters(BaseModel):
    """Hard constraints on the shortlist. By default only nano and micro creators (1k-100k followers)."""

    model_config = ConfigDict(extra="forbid")

    platforms: list[Platform] | None = Field(default=None, max_length=5)
    tiers: list[Tier] | None = Field(default=None, max_length=7,
                                     description="Default nano, micro and unknown reach, unless a follower "
                                     "range is given; 'unknown' names creators whose reach the data does not give.")
    min_followers: int | None = Field(default=None, ge=0)
    max_followers: int | None = Field(default=None, ge=0)
    countries: list[str] | None = Field(default=None, max_length=300, description="ISO 3166 alpha-2 codes.")
    languages: list[str] | None = Field(default=None, max_length=200, description="ISO 639-1 codes.")
    min_engagement_vs_tier: float | None = Field(default=None, ge=0, le=1)
    min_credibility: float | None = Field(default=None, ge=0, le=1)
    active_within_days: int | None = Field(default=None, ge=1, le=3650)
    exclude_creator_ids: list[str] = Field(default_factory=list, max_length=MAX_LIST)
    require_disclosure: bool = Field(default=False,
                                     description="Only creators who disclose every detected sponsored post.")

    @field_validator("countries")
    @classmethod
    def _countries(cls, value: list[str] | None) -> list[str] | None:
        return _codes(value, str.upper, "countries must be ISO 3166 alpha-2 codes such as US or GB")

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str] | None) -> list[str] | None:
        return _codes(value, str.lower, "languages must be ISO 639-1 codes such as en or de")

    @model_validator(mode="after")
    def _range(self) -> Filters:
        if self.min_followers is not None and self.max_followers is not None \
                and self.min_followers > self.max_followers:
            raise ValueError("min_followers is greater than max_followers")
        return self

    def effective_tiers(self) -> list[Tier] | None:
        """The tiers to keep: as given; none when a follower range is given; otherwise nano and micro."""
        if self.tiers is not None:
            return self.tiers
        if self.min_followers is not None or self.max_followers is not None:
            return None
        return list(DEFAULT_TIERS)


class Weights(BaseModel):
    """Blend weights of the score components; they are normalised to sum to 1."""

    model_config = ConfigDict(extra="forbid")

    fit: float = Field(default=0.55, ge=0, le=10, description="Semantic fit of the creator's content and bio.")
    engagement: float = Field(default=0.15, ge=0, le=10, description="Engagement against the creator's tier.")
    authenticity: float = Field(default=0.18, ge=0, le=10, description="How real the audience looks.")
    transparency: float = Field(default=0.05, ge=0, le=10, description="Share of sponsored posts disclosed.")
    activity: float = Field(default=0.04, ge=0, le=10, description="Recent and regular posting.")
    interactive: float = Field(default=0.03, ge=0, le=10, description="Live, shoppable and UGC formats.")

    @model_validator(mode="after")
    def _some_weight(self) -> Weights:
        if sum(self.as_dict().values()) <= 0:
            raise ValueError("at least one weight must be > 0")
        return self

    def as_dict(self) -> dict[str, float]:
        return {name: float(getattr(self, name)) for name in COMPONENTS}

    def normalised(self) -> dict[str, float]:
        total = sum(self.as_dict().values())
        return {k: v / total for k, v in self.as_dict().items()}


# The score components, in the order of Weights' fields.
COMPONENTS: tuple[str, ...] = tuple(Weights.model_fields)


class MatchRequest(BaseModel):
    """POST /match body."""

    model_config = ConfigDict(extra="forbid")

    brief: Brief
    filters: Filters = Field(default_factory=Filters)
    limit: int = Field(default=20, ge=1, le=100)
    offset: int = Field(default=0, ge=0, le=1000)
    weights: Weights = Field(default_factory=Weights)
    diversity: float = Field(default=0.0, ge=0, le=1,
                             description="0 = pure score order; up to 1 = spread across sub-niches (MMR).")


class Evidence(BaseModel):
    """A post of the creator that matches the brief."""

    post_id: str
    caption: str
    similarity: float
    posted_at: str | None
    format: str | None
    matched_terms: list[str] = Field(default_factory=list, description="Query words found in the caption.")


class CreatorResult(BaseModel):
    """One ranked creator with the parts of its score and the reasons behind it."""

    creator_id: str
    handle: str | None
    platform: str
    followers: int | None = Field(description="Followers or subscribers; null when the export does not say.")
    reach: int | None = Field(default=None, description="Followers where known, else median views per video.")
    reach_basis: str | None = Field(default=None, description="followers, views, or null when unknown.")
    tier: str | None = Field(description="Tier of the reach; null when reach is unknown.")
    country: str | None
    score: float
    components: dict[str, float]
    engagement_rate: float | None
    engagement_vs_tier: float | None
    audience_credibility: float | None
    authenticity_score: float | None
    authenticity_confidence: str | None
    evidence: list[Evidence]
    reasons: list[str]


class MatchResponse(BaseModel):
    """POST /match answer."""

    results: list[CreatorResult]
    total_candidates: int
    bundle_version: str
    took_ms: float


class SearchRequest(BaseModel):
    """GET /search: keywords, hashtags or phrases, with the /match filters."""

    model_config = ConfigDict(extra="forbid")

    q: str = Field(min_length=1, max_length=500, description="Keywords, #hashtags or phrases.")
    filters: Filters = Field(default_factory=Filters)
    limit: int = Field(default=20, ge=1, le=100)
    offset: int = Field(default=0, ge=0, le=1000)

    @field_validator("q")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("q is empty: give keywords, hashtags or a phrase")
        return value.strip()


class SearchResponse(BaseModel):
    """GET /search answer: /match-shaped results plus facet counts over everything that matched."""

    results: list[CreatorResult]
    facets: dict[str, dict[str, int]]
    total_candidates: int
    bundle_version: str
    took_ms: float


class SimilarResponse(BaseModel):
    """GET /creators/{id}/similar answer."""

    creator_id: str
    results: list[CreatorResult]
    bundle_version: str
    took_ms: float


def describe_errors(exc: ValidationError) -> str:
    """A validation error as one line naming each field: "filters.tiers.0: Input should be 'nano', ...; ..."."""
    return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())


def brand_request(brand: dict[str, object], limit: int = 20) -> MatchRequest:
    """The /match request for a brand row of the data contract: its text becomes the brief, its constraints
    the filters.

    Args:
        brand: a row of brands.* (brand_id, name, values, product, audience, keywords, platforms, tiers,
            countries, languages, min_followers, max_followers).
        limit: creators to return.

    Returns:
        The validated request.

    Raises:
        pydantic.ValidationError: when the brand has no text or a constraint is invalid.
    """
    brief = {"brand": brand.get("name"), "values": brand.get("values"), "product": brand.get("product"),
             "audience": brand.get("audience"), "keywords": brand.get("keywords") or []}
    filters = {key: brand.get(key) for key in ("platforms", "tiers", "countries", "languages", "min_followers",
                                               "max_followers") if brand.get(key) is not None}
    return MatchRequest.model_validate({"brief": brief, "filters": filters, "limit": limit})
