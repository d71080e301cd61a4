"""The report opens in headless Chromium without errors and shows its figures."""

import os
import shutil

import pytest

import pcflab
from tests.reporting._chromium import CHROMIUM_FLAGS

pytestmark = [pytest.mark.browser, pytest.mark.notebook, pytest.mark.slow]


@pytest.fixture(scope="module")
def chromium():
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs Debian's chromium package")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    return path


def test_report_renders_in_chromium(chromium, tmp_path):
    from playwright.sync_api import sync_playwright

    html = pcflab.run_report("steel/bf-bof-hot-rolled-coil", "steel", out_dir=tmp_path / "steel", n_samples=300, seed=3)
    errors, requests = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(html.as_uri(), wait_until="load")
        figures = page.locator('img[src^="data:image/svg+xml"]')
        n_figures = figures.count()
        decoded = page.evaluate("() => [...document.images].filter(i => i.complete && i.naturalWidth > 0).length")
        heading = page.locator("h2").first.inner_text()
        box = figures.first.bounding_box()
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        browser.close()
    assert errors == []
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert n_figures >= 2 and decoded == n_figures
    assert "Hot-rolled steel coil" in heading
    assert box is not None and box["width"] > 300 and box["height"] > 150
    assert (tmp_path / "report.png").stat().st_size > 20_000
