"""Settings: handing the command line's choices to worker processes through their environment."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from pydantic import ValidationError

from creatormatch.config import Settings, export_for_workers

WORKER_VARIABLES = ("CREATORMATCH_BUNDLE_PATH", "CREATORMATCH_WORKERS", "CREATORMATCH_ENCODER_THREADS")


@pytest.fixture(autouse=True)
def restored_environment() -> Iterator[None]:
    """The environment as it was after the test, whatever it exported (the variables start unset)."""
    with mock.patch.dict(os.environ):
        for variable in WORKER_VARIABLES:
            os.environ.pop(variable, None)
        yield


def test_workers_read_the_overrides_and_one_encoder_thread_each() -> None:
    export_for_workers(Settings(), bundle_path=Path("indexes/v3"), workers=4)
    assert {v: os.environ[v] for v in WORKER_VARIABLES} == {
        "CREATORMATCH_BUNDLE_PATH": "indexes/v3", "CREATORMATCH_WORKERS": "4", "CREATORMATCH_ENCODER_THREADS": "1"}
    workers = Settings()
    assert (workers.bundle_path, workers.workers, workers.encoder_threads) == (Path("indexes/v3"), 4, 1)


def test_an_encoder_thread_count_the_user_chose_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREATORMATCH_ENCODER_THREADS", "0")
    export_for_workers(Settings(), workers=2)
    assert os.environ["CREATORMATCH_ENCODER_THREADS"] == "0"


def test_unknown_settings_and_bad_values_are_refused_before_anything_is_exported() -> None:
    with pytest.raises(ValueError, match="unknown settings: bundle"):
        export_for_workers(Settings(), bundle=Path("x"))
    with pytest.raises(ValidationError, match="workers"):
        export_for_workers(Settings(), workers=0)
    assert not any(v in os.environ for v in WORKER_VARIABLES)
