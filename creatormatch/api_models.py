"""API models: requests and responses of /match, /search and lookalikes, shared by service, CLI and batch jobs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

Platform = Literal["instagram", "tiktok", "youtube", "twitter", "other"]
# The Literals spell out schemas.PLATFORMS and schemas.FILTER_TIERS for the OpenAPI schema; a test holds them equal.
Tier = Literal["sub_nano", "nano", "micro", "mid", "macro", "mega", "unknown"]
DEFAULT_TIERS: tuple[Tier, ...] = ("nano", "micro")
ALL_TIERS: tuple[Tier, ...] = get_args(Tier)
MAX_TEXT = 4000
MAX_KEYWORDS = 50
MAX_LIST = 1000
MAX_ID = 200  # creator and brand ids
MAX_BRANDS = 10_000  # hard ceiling of one job; the service's own limit is the max_brands_per_job setting
MAX_FOLLOWERS = 10_000_000_000  # above any real account; keeps follower filters inside 64-bit arithmetic
# Every string and list a client sends has a length limit, so no field can carry a large payload.
Keyword = Annotated[str, Field(max_length=100)]
Code = Annotated[str, Field(max_length=10)]
Id = Annotated[str, Field(max_length=MAX_ID)]
Word = Annotated[str, Field(max_length=20)]


class Brief(BaseModel):
    """What the brand wants: at least one field must be non-empty."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(default=None, max_length=MAX_TEXT, description="Free text about the campaign.")
    brand: str | None = Field(default=None, max_length=200, description="The brand's name.")
    values: str | None = Field(default=None, max_length=MAX_TEXT, description="The brand's value statement.")
    product: str | None = Field(default=None, max_length=MAX_TEXT, description="The product to promote.")
    audience: str | None = Field(default=None, max_length=MAX_TEXT, description="The audience to reach.")
    keywords: list[Keyword] = Field(default_factory=list, max_length=MAX_KEYWORDS,
                                    description="Niche keywords or hashtags (each at most 100 characters).")

    @field_validator("keywords")
    @classmethod
    def _keywords(cls, value: list[str]) -> list[str]:
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
    min_followers: int | None = Field(default=None, ge=0, le=MAX_FOLLOWERS)
    max_followers: int | None = Field(default=None, ge=0, le=MAX_FOLLOWERS)
    countries: list[Code] | None = Field(default=None, max_length=300, description="ISO 3166 alpha-2 codes.")
    languages: list[Code] | None = Field(default=None, max_length=200, description="ISO 639-1 codes.")
    min_engagement_vs_tier: float | None = Field(default=None, ge=0, le=1)
    min_credibility: float | None = Field(default=None, ge=0, le=1)
    active_within_days: int | None = Field(default=None, ge=1, le=3650)
    exclude_creator_ids: list[Id] = Field(default_factory=list, max_length=MAX_LIST)
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
    matched_terms: list[str] = Field(default_factory=list,
                                     description="Words of the caption that a query word matched (the word itself "
                                                 "or another form of it: \"trailer\" for \"trailers\").")


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
        # Without a letter or a digit ("#", "!!", emoji) there is nothing to search for: such a query ranked
        # every creator on the encoder's reading of punctuation. A word the keyword index leaves out ("fire",
        # "IT", "猫") is still searched by meaning.
        if not any(c.isalnum() for c in value):
            raise ValueError("q has no word to search for (no letter or digit): give keywords, hashtags or a phrase")
        return value.strip()


class SearchResponse(BaseModel):
    """GET /search answer: /match-shaped results plus facet counts over the ranked pool."""

    results: list[CreatorResult]
    facets: dict[str, dict[str, int]]
    total_candidates: int = Field(description="Creators ranked: the pool of best dense and keyword hits that pass "
                                              "the filters (up to about 2 x search_pool), not a count of matches.")
    keyword_matches: int = Field(default=0, description="Creators that pass the filters and use at least one of "
                                                        "the query's words (as indexed: stemmed, #folded).")
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


class Brand(BaseModel):
    """A brand as in brands.* files: its text becomes the brief, its constraints the filters."""

    model_config = ConfigDict(extra="forbid")

    brand_id: Id = Field(min_length=1, description="Unique within the job; names the brand's rows.")
    name: str | None = Field(default=None, max_length=200)
    values: str | None = Field(default=None, max_length=MAX_TEXT)
    product: str | None = Field(default=None, max_length=MAX_TEXT)
    audience: str | None = Field(default=None, max_length=MAX_TEXT)
    keywords: list[Keyword] | None = Field(default=None, max_length=MAX_KEYWORDS)
    platforms: list[Word] | None = Field(default=None, max_length=10)
    tiers: list[Word] | None = Field(default=None, max_length=10)
    countries: list[Code] | None = Field(default=None, max_length=300)
    languages: list[Code] | None = Field(default=None, max_length=200)
    min_followers: int | None = Field(default=None, ge=0, le=MAX_FOLLOWERS)
    max_followers: int | None = Field(default=None, ge=0, le=MAX_FOLLOWERS)


class ShortlistJobRequest(BaseModel):
    """POST /shortlists body: brands in the data contract's shape, and how long each shortlist is."""

    model_config = ConfigDict(extra="forbid")

    brands: list[Brand] = Field(min_length=1, max_length=MAX_BRANDS,
                                description="Brand objects, as in brands.* files (at most max_brands_per_job).")
    limit: int = Field(default=20, ge=1, le=100, description="Creators per brand.")
    max_per_creator: int | None = Field(default=None, ge=1, le=1000,
                                        description="No creator in more than N shortlists.")


JobStatus = Literal["queued", "running", "done", "failed", "cancelled"]


class ShortlistRow(BaseModel):
    """One (brand, creator) row of a finished job."""

    brand_id: str
    rank: int
    creator_id: str
    handle: str | None
    platform: str | None
    followers: int | None
    tier: str | None
    score: float
    fit: float | None
    engagement: float | None
    authenticity: float | None
    transparency: float | None
    activity: float | None
    interactive: float | None
    reasons: list[str] | None


class ShortlistReject(BaseModel):
    """A brand that cannot be ranked, with the reason."""

    brand_id: str | None
    position: int = Field(description="The brand's place in the submitted list, from 0.")
    reason: str


class ShortlistJobCreated(BaseModel):
    """POST /shortlists answer (202)."""

    job_id: str
    status: JobStatus
    total: int = Field(description="Brands in the job.")
    rejected: int = Field(description="Brands that cannot be ranked, known at once (see the job's rejects).")
    status_url: str


class ShortlistJob(BaseModel):
    """GET /shortlists/{job_id} answer: status, progress, rejects, and one page of the rows once done."""

    job_id: str
    status: JobStatus
    limit: int
    max_per_creator: int | None
    total: int
    done: int = Field(description="Brands ranked so far.")
    rejected: int
    progress: float = Field(description="Share of brands ranked or rejected, 0 to 1.")
    created_at: float = Field(description="Unix time.")
    updated_at: float
    finished_at: float | None
    expires_at: float | None = Field(description="When the finished job is deleted (Unix time); null if never.")
    error: str | None
    rejects: list[ShortlistReject]
    results: list[ShortlistRow] | None = Field(description="One page of the rows, in brand order then rank; null "
                                               "until the job is done.")
    results_total: int | None = Field(description="Rows in the finished job; null until done.")
    offset: int
    next_offset: int | None = Field(description="Offset of the next page; null on the last one.")


class ShortlistJobDeleted(BaseModel):
    """DELETE /shortlists/{job_id} answer."""

    job_id: str
    status: Literal["cancelled", "deleted"] = Field(description="cancelled: it was queued or running and stops; "
                                                    "deleted: it had finished and is gone with its rows.")


class Problem(BaseModel):
    """An error other than invalid input: what is wrong, in one line."""

    detail: str


class FieldProblem(BaseModel):
    """One invalid field."""

    field: str = Field(description="Dotted path of the field, e.g. filters.tiers.0; `body` for the whole body.")
    message: str
    type: str


class ValidationProblem(BaseModel):
    """422: one entry per invalid field."""

    detail: list[FieldProblem]
