"""Chinese text in a report is drawn with a CJK font, not as boxes ("tofu").

A report is rendered with the report template in headless Chromium, and two different Chinese
characters are screenshot one by one. Drawn with a CJK font, they differ; without one, both
are the same missing-glyph box. The same page rendered with a fontconfig set-up that hides
every CJK font shows that this check can fail.
"""

import os
import shutil
import subprocess

import nbformat
import numpy as np
import pytest

from pcflab.reporting._report import _to_html
from tests.reporting._chromium import CHROMIUM_FLAGS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHARACTERS = ("碳", "铝")  # carbon, aluminium


def _need(condition, what):
    if not condition:
        if os.environ.get("CI"):
            pytest.fail(f"{what} is missing; `make system` installs it")
        pytest.skip(f"{what} is not installed (`make system`)")


@pytest.fixture(scope="module")
def chromium():
    path = shutil.which("chromium")
    _need(path is not None, "Debian's chromium")
    families = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    _need("Noto Sans CJK" in families, "the font fonts-noto-cjk")
    return path


def _report_page(tmp_path):
    cells = "".join(f'<span id="c{i}" style="font-size:96px">{c}</span> ' for i, c in enumerate(CHARACTERS))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(f"## 产品碳足迹\n\n{cells}")])
    notebook = tmp_path / "page.ipynb"
    nbformat.write(nb, notebook)
    html = tmp_path / "page.html"
    _to_html(notebook, html)
    return html


def _glyphs(chromium, html, env=None):
    """The pixels of each character's box, as arrays."""
    from io import BytesIO

    from matplotlib.image import imread
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_FLAGS, env=env)
        page = browser.new_page(viewport={"width": 900, "height": 600})
        page.goto(html.as_uri(), wait_until="load")
        for i in range(len(CHARACTERS)):
            png = page.locator(f"#c{i}").screenshot()
            out.append(imread(BytesIO(png), format="png")[..., :3])
        browser.close()
    return out


def _same(a, b):
    return a.shape == b.shape and np.array_equal(a, b)


def test_chinese_text_is_drawn_with_a_cjk_font(chromium, tmp_path):
    html = _report_page(tmp_path)
    a, b = _glyphs(chromium, html)
    assert a.min() < 0.5 and b.min() < 0.5, "no dark pixels: nothing was drawn"
    assert not _same(a, b), "two different characters render alike: boxes, not glyphs"


def test_the_check_fails_without_a_cjk_font(chromium, tmp_path):
    """With fontconfig limited to DejaVu (no CJK font), both characters become the same box."""
    fonts = tmp_path / "fonts.conf"
    fonts.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        f"<fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{tmp_path / 'fc'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    if not os.path.isdir("/usr/share/fonts/truetype/dejavu"):
        pytest.skip("DejaVu fonts are not installed")
    html = _report_page(tmp_path)
    a, b = _glyphs(chromium, html, env=os.environ | {"FONTCONFIG_FILE": str(fonts)})
    assert _same(a, b)
