"""The class label: a scheme that is not in force says so where a reader looks first."""

import xml.etree.ElementTree as ET

import pytest

from pcflab.analysis._grade import grade
from pcflab.reporting._label import class_label_svg

BOF = "steel/bf-bof-hot-rolled-coil"
N = 400
SVG = "{http://www.w3.org/2000/svg}"


def _parts(svg):
    root = ET.fromstring(svg.encode("utf-8"))  # noqa: S314 (our own output)
    texts = ["".join(e.itertext()) for e in root.iter(f"{SVG}text")]
    return root.find(f"{SVG}title").text, texts


@pytest.mark.parametrize(
    ("scheme", "status", "banner"),
    [
        ("espr-steel-hrc-2026-draft", "draft", "DRAFT SCHEME"),
        ("pcflab-percentile-steel", "draft", "DRAFT SCHEME"),
        ("fmc-near-zero-steel-2022", "withdrawn", "WITHDRAWN SCHEME"),
        ("nrc-steel-hot-rolled-sheet-2025", "in_force", None),
    ],
)
def test_a_label_of_a_scheme_not_in_force_says_so_in_its_banner_and_title(scheme, status, banner):
    r = grade(BOF, scheme, n_samples=N, seed=3)
    assert r.scheme_status == status  # the scheme's metadata
    title, texts = _parts(class_label_svg(r))
    marked = [t for t in texts if t.endswith("SCHEME")]
    if banner is None:
        assert marked == [] and "scheme)" not in title
        assert not any("draft" in t.lower() for t in texts[:3])
    else:
        assert marked == [banner]
        assert texts.index(banner) == 1  # right after the heading, before the product and the class
        assert title.endswith(f"({status} scheme)")


def test_the_label_writes_its_unit_readably():
    r = grade(BOF, "espr-steel-hrc-2026-draft", n_samples=N, seed=3)
    assert r.units == "t CO2e/t"
    _, texts = _parts(class_label_svg(r))
    assert any(t.endswith(" t CO₂e/t") for t in texts)
    assert not any("CO2" in t for t in texts)
