"""Fuzzing the OpenAPI schema with schemathesis, a bounded number of requests per route: no 5xx, no schema misfit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from creatormatch.config import Settings
from creatormatch.encoder import Encoder
from creatormatch.ranking import Ranker
from creatormatch.shortlist import ShortlistStore, run_job
from service.main import create_app

# Examples per operation and per kind (valid, invalid): 10 operations x 2 x 40 requests, under a minute here.
# derandomize: the same examples on every run, so a failure is reproducible, never a flake.
EXAMPLES = 40
DONE_JOB = "fuzz-done-job"


@pytest.fixture(scope="module")
def api_schema(real_bundle: Path, real_encoder: Encoder, ranker: Ranker, small_sample_dir: Path,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[schemathesis.BaseSchema]:
    jobs = tmp_path_factory.mktemp("fuzz") / "jobs.sqlite"
    store = ShortlistStore(jobs)  # a finished job, so the job routes are fuzzed on real rows too
    store.create(DONE_JOB, pl.read_parquet(small_sample_dir / "brands.parquet").head(3).to_dicts(), limit=5,
                 max_per_creator=None)
    run_job(store, DONE_JOB, ranker)
    store.close()
    settings = Settings(jobs_path=jobs, allowed_hosts=["testserver"])  # the Host schemathesis sends
    app = create_app(settings, bundle_path=real_bundle, encoder=real_encoder, load_in_background=False)
    # schemathesis runs the app's lifespan (the bundle loads) on the first request and keeps it up.
    yield schemathesis.openapi.from_asgi("/openapi.json", app)
    from schemathesis.python.asgi import shutdown_lifespans

    shutdown_lifespans()  # stops the app's job runner


# Every operation of the schema, listed so each is a test of its own (a test below holds the list complete).
OPERATIONS = [("GET", "/healthz"), ("GET", "/readyz"), ("POST", "/match"), ("GET", "/creators/{creator_id}"),
              ("GET", "/creators/{creator_id}/similar"), ("POST", "/shortlists"), ("GET", "/shortlists/{job_id}"),
              ("DELETE", "/shortlists/{job_id}"), ("GET", "/shortlists/{job_id}/export"), ("GET", "/search"),
              ("POST", "/admin/reload")]


def test_every_operation_is_fuzzed(api_schema: schemathesis.BaseSchema) -> None:
    found = {(r.ok().method.upper(), r.ok().path) for r in api_schema.get_all_operations()}
    assert found == set(OPERATIONS)


VALID, INVALID = GenerationMode.POSITIVE, GenerationMode.NEGATIVE
CASES = [(method, path, mode) for method, path in OPERATIONS for mode in (VALID, INVALID)
         if mode is VALID or path not in ("/healthz", "/readyz", "/admin/reload")]  # these take no input at all


@pytest.mark.parametrize(("method", "path", "mode"), CASES,
                         ids=[f"{m} {p} {'valid' if g is VALID else 'invalid'}" for m, p, g in CASES])
def test_no_route_answers_5xx_or_off_its_schema(api_schema: schemathesis.BaseSchema, ranker: Ranker, method: str,
                                                path: str, mode: GenerationMode) -> None:
    operation = api_schema[path][method]
    cases = operation.as_strategy(generation_mode=mode)
    if mode is VALID and "{creator_id}" in path:
        # Random ids are all unknown (404); half the valid cases use real creators, so their answers are checked.
        real = st.sampled_from(sorted(ranker.bundle.row_of)[:200]).flatmap(
            lambda creator_id: operation.as_strategy(generation_mode=mode, path_parameters={"creator_id": creator_id}))
        cases = st.one_of(real, cases)
    if mode is VALID and "{job_id}" in path and method == "GET":
        cases = st.one_of(operation.as_strategy(generation_mode=mode, path_parameters={"job_id": DONE_JOB}), cases)

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck), phases=[Phase.generate])
    @given(case=cases)
    def call(case: schemathesis.Case) -> None:
        case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])

    call()
