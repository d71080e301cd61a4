"""Releases of the factor database: open any release, and list what changed between two.

A release is identified by its version (``datasets/factors/release.yaml``) and its
content hash (``FactorDB.content_hash``), which does not depend on how the rows are split
into files or ordered. Results record both.
"""

import subprocess
import tempfile
from pathlib import Path

import pandas as pd

from pcflab.core import FactorTableError

from ._database import FactorDB, load_build, load_factors
from ._schema import COLUMNS

__all__ = ["diff_factors", "open_release"]


def open_release(spec):
    """Open a factor database release.

    Parameters
    ----------
    spec : str, Path or FactorDB
        A folder of factor CSV files, one CSV file, a NetCDF build (``.nc``), or
        ``git:REV`` for the shipped ``datasets/factors/`` at a git revision of the
        working tree's repository (``git:HEAD~1``, ``git:v0.1.0``).

    Returns
    -------
    FactorDB
    """
    if isinstance(spec, FactorDB):
        return spec
    spec = str(spec)
    if spec.startswith("git:"):
        return _from_git(spec[4:])
    path = Path(spec)
    if path.suffix == ".nc":
        return load_build(path)
    return load_factors(path, use_build=False)


def _from_git(rev, folder="datasets/factors"):
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=True
        ).stdout.strip()
        names = subprocess.run(
            ["git", "ls-tree", "--name-only", f"{rev}:{folder}"], capture_output=True, text=True, check=True, cwd=top
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        raise FactorTableError(
            f"cannot read {folder} at git revision {rev!r}: {detail.strip()}",
            hint="run inside the pcflab repository and give an existing revision",
        ) from None
    wanted = [n for n in names if n.endswith(".csv") or n == "release.yaml"]
    if not any(n.endswith(".csv") for n in wanted):
        raise FactorTableError(f"no factor tables in {folder} at {rev}")
    tmp = Path(tempfile.mkdtemp(prefix="pcflab-release-"))
    for name in wanted:
        blob = subprocess.run(
            ["git", "show", f"{rev}:{folder}/{name}"], capture_output=True, check=True, cwd=top
        ).stdout
        (tmp / name).write_bytes(blob)
    return load_factors(tmp, use_build=False)


def diff_factors(old, new):
    """Tell what changed between two releases of the factor database.

    Parameters
    ----------
    old, new : FactorDB or release spec
        The two releases, each a database or anything ``open_release`` opens.

    Returns
    -------
    pandas.DataFrame
        Columns ``change`` (``added``, ``removed``, ``changed``), ``id``, ``gas``,
        ``field`` and ``old`` / ``new`` values; one row per added or removed factor gas and
        one per changed field. Empty when the contents are identical.
    """
    a, b = open_release(old), open_release(new)
    rows_a = {(r["id"], r["gas"]): r for r in a.rows()}
    rows_b = {(r["id"], r["gas"]): r for r in b.rows()}
    out = []
    for key in sorted(set(rows_a) | set(rows_b)):
        ra, rb = rows_a.get(key), rows_b.get(key)
        if ra is None:
            out.append(
                {
                    "change": "added",
                    "id": key[0],
                    "gas": key[1],
                    "field": "value",
                    "old": "",
                    "new": f"{rb['value']} {rb['unit']}/{rb['per']}",
                }
            )
        elif rb is None:
            out.append(
                {
                    "change": "removed",
                    "id": key[0],
                    "gas": key[1],
                    "field": "value",
                    "old": f"{ra['value']} {ra['unit']}/{ra['per']}",
                    "new": "",
                }
            )
        else:
            for col in COLUMNS[2:]:
                va, vb = ra[col], rb[col]
                if col in ("value", "gsd", "basic_uncertainty") and va and vb:
                    same = float(va) == float(vb)
                else:
                    same = va == vb
                if not same:
                    out.append({"change": "changed", "id": key[0], "gas": key[1], "field": col, "old": va, "new": vb})
    return pd.DataFrame(out, columns=["change", "id", "gas", "field", "old", "new"])
