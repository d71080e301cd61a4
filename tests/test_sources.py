"""Sources a reader can open: every source in datasets/ names a publication, not a local file.

A factor row, a model's .sources.md or a class scheme that cites a path outside the
repository (the project's research notes, ``../``) cannot be checked by a reader of the
repository alone (issue 15, point 11).
"""

import csv
import re
from pathlib import Path

import pytest

DATASETS = Path(__file__).resolve().parents[1] / "datasets"
#: a path outside the repository, or a pointer into the project's research notes by name
#: (``FIGURES-energy-china-rules.md §4b``, ``REF-S §1f``) that a reader of the repository cannot open
OUTSIDE = re.compile(r"shared/reference|\.\./shared|(?<![\w.])\.\./|\bFIGURES[-\w]*\.md|\bREF-[A-Z]\b")
#: files whose sources are still being rewritten (this list only shrinks)
PENDING: set[str] = set()
FILES = sorted(p for ext in ("csv", "yaml", "md") for p in DATASETS.rglob(f"*.{ext}"))


def _name(path):
    return str(path.relative_to(DATASETS))


@pytest.mark.parametrize("path", [p for p in FILES if _name(p) not in PENDING], ids=_name)
def test_no_source_points_outside_the_repository(path):
    hits = [
        f"line {i}: {line.strip()[:120]}"
        for i, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert hits == [], "cite the publication itself (title, publisher, year, table or page, URL or DOI)"


def test_pending_files_still_exist_and_still_need_work():
    names = {_name(p) for p in FILES}
    done = [n for n in PENDING if n not in names or not OUTSIDE.search((DATASETS / n).read_text("utf-8"))]
    assert done == [], "remove these from PENDING"


@pytest.mark.parametrize("path", sorted(DATASETS.glob("factors/*.csv")), ids=_name)
def test_every_factor_row_names_a_publication(path):
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    thin = [f"line {i}: {r['id']}" for i, r in enumerate(rows, 2) if len((r.get("source") or "").strip()) < 25]
    assert thin == [], "a source names title, publisher, year and table or page"


@pytest.mark.parametrize(
    ("text", "points_outside"),
    [
        ("read via ghgpy efs.py; shared/reference/FIGURES.md §2a", True),
        ("(TTW CO2 basis, FIGURES-steel-aluminium-transport.md §3d)", True),
        ("Sinter per t hot metal: REF-S §1f", True),
        ("see ../notes.md", True),
        ("IPCC (2006) Vol. 2 Ch. 2, Table 2.3, https://www.ipcc-nggip.iges.or.jp/", False),
        ("datasets/factors/notes/energy.md; CPCD row 17300X0112025C", False),
    ],
)
def test_the_check_sees_a_pointer_into_research_notes(text, points_outside):
    assert bool(OUTSIDE.search(text)) is points_outside
