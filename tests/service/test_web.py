"""The web page, end to end in a real browser (Debian's chromium driven by Playwright) against a real server."""

from __future__ import annotations

import csv
import io
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from creatormatch.config import Settings
from creatormatch.encoder import Encoder
from service.main import create_app

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (.ci/run installs it)")


@pytest.fixture(scope="module")
def base_url(real_bundle: Path, real_encoder: Encoder, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = Settings(jobs_path=tmp_path_factory.mktemp("web") / "jobs.sqlite")
    app = create_app(settings, bundle_path=real_bundle, encoder=real_encoder, load_in_background=False)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "server did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_search_filter_open_shortlist_and_export(base_url: str, tmp_path: Path) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_page(accept_downloads=True, viewport={"width": 1400, "height": 900})
        page.goto(base_url + "/")
        assert page.title() == "creatormatch"

        page.fill("#q", "sourdough")
        page.click("#go")
        page.wait_for_selector(".card")
        assert page.locator(".card").count() == 20
        assert page.locator(".card mark").count() > 0  # the matching words are highlighted

        with page.expect_response(lambda r: "/search?" in r.url and "platforms=instagram" in r.url):
            page.check("input[name=platforms][value=instagram]")
        page.wait_for_selector(".card")
        metas = page.locator(".card .meta").all_inner_texts()
        assert metas and all(m.startswith("instagram") for m in metas)

        page.locator(".card .open").first.click()
        page.wait_for_selector("#lookalikes li")
        assert page.locator("#detail h2").inner_text().startswith("@")
        assert page.locator("#lookalikes li").count() == 5

        handles = page.locator(".card h3 span:first-child").all_inner_texts()[:2]
        page.locator(".card .add").nth(0).click()
        page.locator(".card .add").nth(1).click()
        assert page.locator("#shortlist-count").inner_text() == "2"
        with page.expect_download() as download:
            page.click("#export")
        saved = tmp_path / "shortlist.csv"
        download.value.save_as(saved)
        rows = list(csv.DictReader(io.StringIO(saved.read_text())))
        assert ["@" + r["handle"] for r in rows] == handles

        screenshot = tmp_path / "page.png"
        page.screenshot(path=str(screenshot), full_page=False)
        browser.close()

    from PIL import Image

    with Image.open(screenshot) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 100  # not a blank page


def test_brief_mode_calls_match(base_url: str) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_page()
        page.goto(base_url + "/")
        page.check("input[name=mode][value=brief]")
        page.fill("#brief", "Plant-based protein snacks for marathon runners")
        with page.expect_response(lambda r: r.url.endswith("/match") and r.status == 200):
            page.click("#go")
        page.wait_for_selector(".card")
        assert page.locator(".card .reasons li").count() > 0
        browser.close()
