"""Hot bundle reload: POST /admin/reload and SIGHUP swap in a checked bundle with no failed request, refuse a
damaged one while the old one keeps serving, and survive the served folder being deleted."""

from __future__ import annotations

import gc
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from creatormatch.bundle import SERVING_PREFIX, point_current
from creatormatch.config import Settings
from creatormatch.encoder import Encoder
from creatormatch.manifest import MANIFEST
from service.main import create_app

ROOT = Path(__file__).resolve().parents[2]
LOCAL = "http://localhost"
KEY = {"X-API-Key": "admin-key"}
BRIEF = {"brief": {"product": "sourdough starter kits", "keywords": ["#sourdough", "baking"]}, "limit": 5}


def add_version(root: Path, source: Path, version: str) -> Path:
    """A copy of a bundle under root as `version` (the manifest says so too; it is not among the checksums)."""
    bundle = root / version
    shutil.copytree(source, bundle)
    manifest = json.loads((bundle / MANIFEST).read_text())
    manifest["version"] = version
    (bundle / MANIFEST).write_text(json.dumps(manifest))
    return bundle


def damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.fixture
def root(real_bundle: Path, tmp_path: Path) -> Path:
    """An indexes folder with one bundle, v1, that `current` names."""
    indexes = tmp_path / "indexes"
    indexes.mkdir()
    add_version(indexes, real_bundle, "v1")
    point_current(indexes, "v1")
    return indexes


def service(root: Path, encoder: Encoder, tmp_path: Path, keys: list[str] | None = None,
            headers: dict[str, str] | None = None, **options: Any) -> TestClient:
    """The app over root/current, with the admin key set (and sent with every request unless told otherwise)."""
    settings = Settings(jobs_path=tmp_path / "jobs.sqlite", api_keys=["admin-key"] if keys is None else keys)
    app = create_app(settings, bundle_path=root / "current", encoder=encoder, load_in_background=False, **options)
    return TestClient(app, base_url=LOCAL, headers=KEY if headers is None else headers)


def test_reload_needs_a_key_even_when_the_other_routes_are_open(root: Path, real_encoder: Encoder,
                                                                tmp_path: Path) -> None:
    with service(root, real_encoder, tmp_path, keys=[], headers={}) as client:
        assert client.post("/match", json=BRIEF).status_code == 200  # open: no keys are set
        refused = client.post("/admin/reload")
        assert refused.status_code == 403 and "set CREATORMATCH_API_KEYS" in refused.json()["detail"]
        assert client.post("/admin/reload", headers=KEY).status_code == 403  # no key is right when none is set
    with service(root, real_encoder, tmp_path, headers={}) as client:
        assert client.post("/admin/reload").status_code == 401
        assert client.post("/admin/reload", headers={"X-API-Key": "wrong"}).status_code == 401
        answer = client.post("/admin/reload", headers=KEY)
        assert answer.status_code == 200
        assert answer.json() | {"took_ms": 0} == {"outcome": "unchanged", "bundle_version": "v1",
                                                  "previous_version": "v1", "took_ms": 0}


@dataclass
class Traffic:
    """Clients sending /match, /search and /creators in a loop until stopped, keeping every answer."""

    client: TestClient
    answers: list[tuple[float, float, str, int, str | None]] = field(default_factory=list)  # start, end, ...
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self, clients: int) -> list[threading.Thread]:
        creator = self.client.post("/match", json=BRIEF).json()["results"][0]["creator_id"]
        calls: list[tuple[str, Callable[[], httpx.Response]]] = [
            ("match", lambda: self.client.post("/match", json=BRIEF)),
            ("search", lambda: self.client.get("/search", params={"q": "#sourdough", "limit": 5})),
            ("creators", lambda: self.client.get(f"/creators/{creator}")),
        ]

        def loop(offset: int) -> None:
            turn = offset
            while not self.stop.is_set():
                name, call = calls[turn % len(calls)]
                turn += 1
                started = time.monotonic()
                try:
                    response = call()
                    status, body = response.status_code, response.json()
                except Exception as exc:  # a failed request, whatever failed
                    status, body = 0, {"error": repr(exc)}
                version = body.get("bundle_version") if isinstance(body, dict) else None
                with self.lock:
                    self.answers.append((started, time.monotonic(), name, status, version))

        threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
        for thread in threads:
            thread.start()
        return threads

    def wait_for(self, count: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while len(self.answers) < count:
            assert time.monotonic() < deadline, f"only {len(self.answers)} answers in {timeout} s"
            time.sleep(0.05)


def test_a_rebuild_then_reload_serves_the_new_version_with_no_failed_request(
        real_bundle: Path, real_encoder: Encoder, small_sample_dir: Path, tmp_path: Path) -> None:
    from training.build import build_bundle

    indexes = tmp_path / "indexes"
    shutil.copytree(real_bundle, indexes / real_bundle.name)
    point_current(indexes, real_bundle.name)
    cache = tmp_path / "cache.sqlite"  # the session build's embeddings: the rebuild is warm, as after a small change
    shutil.copy(real_bundle.parent.parent / "cache.sqlite", cache)
    with service(indexes, real_encoder, tmp_path) as client:
        traffic = Traffic(client)
        threads = traffic.run(clients=4)
        try:
            traffic.wait_for(10)
            rebuilt = build_bundle(small_sample_dir, indexes, Settings(cache_path=cache), encoder=real_encoder)
            new = rebuilt.manifest.version
            assert new != real_bundle.name and (indexes / "current").resolve().name == new
            swap_started = time.monotonic()
            reload = client.post("/admin/reload")
            swap_ended = time.monotonic()
            assert reload.status_code == 200, reload.text
            assert reload.json()["outcome"] == "reloaded" and reload.json()["bundle_version"] == new
            assert reload.json()["previous_version"] == real_bundle.name
            traffic.wait_for(len(traffic.answers) + 12)
        finally:
            traffic.stop.set()
            for thread in threads:
                thread.join()
        assert client.get("/readyz").json()["bundle_version"] == new
    failed = [a for a in traffic.answers if a[3] != 200]
    assert failed == [], failed[:5]
    during = [a for a in traffic.answers if a[0] < swap_ended and a[1] > swap_started]
    assert during, "no request ran while the new bundle loaded and was swapped in"
    versions = {a[4] for a in traffic.answers if a[2] != "creators"}
    assert versions == {real_bundle.name, new}
    # Every request that started after the swap was answered from the new bundle.
    assert {a[4] for a in traffic.answers if a[0] > swap_ended and a[2] != "creators"} == {new}


def test_a_damaged_next_bundle_is_refused_and_the_old_one_keeps_serving(root: Path, real_bundle: Path,
                                                                        real_encoder: Encoder, tmp_path: Path) -> None:
    with service(root, real_encoder, tmp_path) as client:
        damaged = add_version(root, real_bundle, "v2")
        damage(damaged / "index.faiss")
        point_current(root, "v2")
        refused = client.post("/admin/reload")
        assert refused.status_code == 409
        detail = refused.json()["detail"]
        assert detail.startswith("bundle v2 refused: index.faiss: sha256 ") and detail.endswith("still serving v1")
        assert str(tmp_path) not in detail
        ready = client.get("/readyz")
        assert ready.status_code == 200 and ready.json()["bundle_version"] == "v1"
        assert ready.json()["refused"]["version"] == "v2"
        assert ready.json()["refused"]["reason"].startswith("index.faiss: sha256 ")
        assert str(tmp_path) not in ready.text
        assert client.post("/match", json=BRIEF).json()["bundle_version"] == "v1"
        assert 'creatormatch_bundle_info{model="sentence-transformers/all-MiniLM-L6-v2",version="v1"} 1.0' in \
            client.get("/metrics").text
        # A good bundle next: served, the refusal forgotten, the marks moved, the metrics updated.
        add_version(root, real_bundle, "v3")
        point_current(root, "v3")
        reloaded = client.post("/admin/reload")
        assert reloaded.status_code == 200 and reloaded.json()["bundle_version"] == "v3"
        assert client.get("/readyz").json()["refused"] is None
        assert client.post("/match", json=BRIEF).json()["bundle_version"] == "v3"
        metrics = client.get("/metrics").text
        assert 'version="v3"} 1.0' in metrics and 'version="v1"' not in metrics
        assert sorted(p.name for p in root.glob(f"{SERVING_PREFIX}*")) == [f"{SERVING_PREFIX}{os.getpid()}-v3"]
    assert list(root.glob(f"{SERVING_PREFIX}*")) == []  # removed at shutdown


def test_the_bundle_before_is_freed_once_swapped_out(root: Path, real_bundle: Path, real_encoder: Encoder,
                                                     tmp_path: Path) -> None:
    with service(root, real_encoder, tmp_path) as client:
        assert client.post("/match", json=BRIEF).status_code == 200
        state = client.app.state.creatormatch  # type: ignore[attr-defined]
        before = weakref.ref(state.ranker.bundle)
        add_version(root, real_bundle, "v2")
        point_current(root, "v2")
        assert client.post("/admin/reload").json()["outcome"] == "reloaded"
        assert client.post("/match", json=BRIEF).json()["bundle_version"] == "v2"
        # The last request's thread may let go of it a moment after its answer.
        deadline = time.monotonic() + 10
        while gc.collect() is not None and before() is not None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert before() is None, "something still holds the bundle that was swapped out"


def test_each_bundle_swapped_in_is_frozen_out_of_the_garbage_collectors_sight(
        root: Path, real_bundle: Path, real_encoder: Encoder, tmp_path: Path) -> None:
    gc.unfreeze()
    try:
        with service(root, real_encoder, tmp_path) as client:
            assert gc.get_freeze_count() > 10_000, "start-up left the loaded bundle and modules to full collections"
            add_version(root, real_bundle, "v2")
            point_current(root, "v2")
            gc.unfreeze()
            assert client.post("/admin/reload").json()["outcome"] == "reloaded"
            assert gc.get_freeze_count() > 10_000, "the reload did not freeze what it loaded"
            gc.unfreeze()
            assert client.post("/admin/reload").json()["outcome"] == "unchanged"
            assert gc.get_freeze_count() == 0  # nothing was loaded, so nothing is frozen again
    finally:
        gc.unfreeze()


def test_deleting_the_served_bundle_folder_keeps_it_serving_and_the_next_reload_is_refused(
        root: Path, real_encoder: Encoder, tmp_path: Path) -> None:
    with service(root, real_encoder, tmp_path) as client:
        first = client.post("/match", json=BRIEF).json()["results"][0]["creator_id"]
        shutil.rmtree(root / "v1")
        # Everything was read into memory, and the memory-mapped vectors stay valid on Linux once their file is
        # unlinked: the bundle serves on.
        assert client.post("/match", json={**BRIEF, "diversity": 0.5}).status_code == 200
        assert client.get("/search", params={"q": "#sourdough"}).status_code == 200
        assert client.get(f"/creators/{first}").status_code == 200
        assert client.get(f"/creators/{first}/similar").status_code == 200
        refused = client.post("/admin/reload")
        assert refused.status_code == 409
        assert refused.json()["detail"] == "bundle v1 refused: no such bundle folder; still serving v1"
        ready = client.get("/readyz").json()
        assert ready["bundle_version"] == "v1" and ready["refused"]["reason"] == "no such bundle folder"


def test_a_damaged_bundle_at_start_up_says_why_and_a_reload_recovers(root: Path, real_bundle: Path,
                                                                     real_encoder: Encoder, tmp_path: Path) -> None:
    damage(root / "v1" / "creators.parquet")
    with service(root, real_encoder, tmp_path) as client:
        assert client.get("/healthz").status_code == 200  # alive; not ready, and says why
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["detail"].startswith("bundle refused: v1: creators.parquet: sha256 ")
        assert client.post("/match", json=BRIEF).json()["detail"] == ready.json()["detail"]
        assert str(tmp_path) not in ready.text
        add_version(root, real_bundle, "v2")
        point_current(root, "v2")
        reloaded = client.post("/admin/reload").json()
        assert reloaded["outcome"] == "reloaded" and reloaded["previous_version"] is None
        assert client.get("/readyz").json()["bundle_version"] == "v2"


def test_shutdown_waits_for_a_load_in_flight(root: Path, real_encoder: Encoder, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """close() (the lifespan's last step) returns only once a load running on another thread has finished: the
    interpreter must not exit under a thread reading a bundle in native code, and the load's serving mark must not
    be left behind."""
    from service.state import AppState

    state = AppState(settings=Settings(jobs_path=tmp_path / "jobs.sqlite"), bundle_path=root / "current",
                     encoder=real_encoder)
    entered, release = threading.Event(), threading.Event()
    load = state._ranker_for

    def slow_load(bundle: Path) -> Any:
        entered.set()
        release.wait(30)
        return load(bundle)

    monkeypatch.setattr(state, "_ranker_for", slow_load)
    loading = state.reload_in_background()
    assert entered.wait(30)
    closing = threading.Thread(target=state.close)
    closing.start()
    closing.join(0.5)
    assert closing.is_alive(), "close() returned while the load was still running"
    release.set()
    closing.join(60)
    loading.join(60)
    assert not closing.is_alive() and state.ranker is not None
    assert list(root.glob(f"{SERVING_PREFIX}*")) == []
    add_version(root, root / "v1", "v2")
    point_current(root, "v2")
    assert state.reload().outcome == "unchanged"  # a late SIGHUP after shutdown loads and marks nothing
    assert state.ranker.bundle.version == "v1" and list(root.glob(f"{SERVING_PREFIX}*")) == []


def test_a_worker_of_several_leaves_reloading_to_its_parent(root: Path, real_encoder: Encoder,
                                                            tmp_path: Path) -> None:
    with service(root, real_encoder, tmp_path, worker=True) as client:
        refused = client.post("/admin/reload")
        assert refused.status_code == 409 and f"kill -HUP {os.getppid()}" in refused.json()["detail"]


# The command line: SIGHUP to `creatormatch serve`, in one process and with several workers.

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., tuple[subprocess.Popen[str], str]]]:
    """Starts `creatormatch serve` over a bundle and waits until it is ready; stops it afterwards."""
    started: list[subprocess.Popen[str]] = []

    def start(bundle: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
        port = free_port()
        env = {**os.environ, "CREATORMATCH_JOBS_PATH": str(tmp_path / "jobs.sqlite"), "CREATORMATCH_LOG_LEVEL":
               "WARNING"}
        process = subprocess.Popen([sys.executable, "-m", "cli", "serve", "--bundle", str(bundle), "--port",
                                    str(port), *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True)
        started.append(process)
        url = f"http://127.0.0.1:{port}"
        wait_until(lambda: ready_version(url) is not None, what="the service to be ready")
        return process, url

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=60)


def ready_version(url: str) -> str | None:
    try:
        answer = httpx.get(f"{url}/readyz", timeout=5)
    except httpx.HTTPError:
        return None
    return str(answer.json()["bundle_version"]) if answer.status_code == 200 else None


def wait_until(condition: Callable[[], bool], timeout: float = 180, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def test_sighup_reloads_a_single_process_service(root: Path, real_bundle: Path,
                                                 serve: Callable[..., tuple[subprocess.Popen[str], str]]) -> None:
    process, url = serve(root / "current")
    add_version(root, real_bundle, "v2")
    point_current(root, "v2")
    process.send_signal(signal.SIGHUP)
    wait_until(lambda: ready_version(url) == "v2", what="v2 to be served")
    assert process.poll() is None


def worker_pids(parent: int) -> list[int]:
    """The worker processes uvicorn started for `serve --workers N` (not multiprocessing's resource tracker)."""
    pids = []
    for task in Path(f"/proc/{parent}/task").iterdir():
        for pid in (task / "children").read_text().split():
            try:
                if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    pids.append(int(pid))
            except OSError:
                continue  # ended meanwhile
    return sorted(pids)


def versions_served(url: str, asks: int = 12) -> set[str | None]:
    """The versions that several fresh connections are answered with (each may reach another worker)."""
    return {ready_version(url) for _ in range(asks)}


def test_every_worker_serves_the_version_the_parent_chose_and_sighup_moves_them_all(
        root: Path, real_bundle: Path, serve: Callable[..., tuple[subprocess.Popen[str], str]]) -> None:
    process, url = serve(root / "current", "--workers", "2")
    wait_until(lambda: len(worker_pids(process.pid)) == 2, what="two workers")
    # A build moves `current`; a worker that restarts (here: killed) still serves what the parent chose.
    add_version(root, real_bundle, "v2")
    point_current(root, "v2")
    killed = worker_pids(process.pid)[0]
    os.kill(killed, signal.SIGKILL)
    wait_until(lambda: killed not in worker_pids(process.pid) and len(worker_pids(process.pid)) == 2,
               what="the killed worker to be replaced")
    wait_until(lambda: versions_served(url) == {"v1"}, what="both workers to answer")
    # SIGHUP: the parent checks v2 and replaces the workers one at a time.
    process.send_signal(signal.SIGHUP)
    wait_until(lambda: versions_served(url) == {"v2"}, what="every worker to serve v2")
    # The new workers answer while the last old one may still be exiting: the snapshot below is of the two.
    wait_until(lambda: len(worker_pids(process.pid)) == 2, what="the replaced workers to exit")
    # A damaged bundle is refused by the parent; the workers keep serving v2.
    damage(add_version(root, real_bundle, "v3") / "posts.arrow")
    point_current(root, "v3")
    before = worker_pids(process.pid)
    process.send_signal(signal.SIGHUP)
    time.sleep(3)
    assert versions_served(url) == {"v2"} and worker_pids(process.pid) == before
    process.terminate()
    _, stderr = process.communicate(timeout=60)
    assert "reload refused" in stderr and "v3" in stderr and "posts.arrow: sha256" in stderr
