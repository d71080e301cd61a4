"""The emission-factor table: CSV sources in git, an ``xarray.Dataset`` in memory.

Each row of ``datasets/factors/factors.csv`` is one gas of one factor; a factor with
CO2, CH4 and N2O values has three rows under the same id. The schema is described in
``datasets/factors/README.md``.
"""

import csv
import hashlib
import importlib.resources
import math
import re
from pathlib import Path

import numpy as np
import xarray as xr

from pcflab.methods import GASES, GWP_SETS, gsd_from_pedigree, parse_pedigree

from ._errors import FactorTableError
from ._units import parse_unit, ureg

__all__ = ["default_factor_path", "load_factors"]

COLUMNS = (
    "id", "gas", "value", "unit", "per", "name_en", "name_zh", "region", "year", "gwp_set",
    "uncertainty", "gsd", "pedigree", "basic_uncertainty", "source", "publisher", "url",
    "tag", "traceability", "notes",
)
TAGS = ("P", "P-via", "S")
TRACEABILITY = ("measured-calibrated", "measured", "calculated", "literature", "default")
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._+-]*)+$")
_REGION = re.compile(r"^(GLO|[A-Z]{2}(-[A-Z0-9]{1,3})?)$")


def default_factor_path():
    """Path of the factor table shipped with pcflab."""
    return Path(str(importlib.resources.files("pcflab.datasets").joinpath("factors", "factors.csv")))


def _fail(path, line, field, message, hint):
    raise FactorTableError(message, file=path, line=line, field=field, hint=hint)


def _check_row(path, line, row):
    """Validate one CSV row; return the cleaned record."""
    fid = row["id"].strip()
    if not _ID.match(fid):
        _fail(path, line, "id", f"factor id {fid!r} is not a namespaced id",
              "write ids as lowercase words separated by '/', e.g. cn-sd/electricity/grid-co2/2023")
    gas = row["gas"].strip()
    if gas not in GASES:
        _fail(path, line, "gas", f"unknown gas {gas!r}", f"use one of {', '.join(GASES)}")
    try:
        value = float(row["value"])
    except ValueError:
        _fail(path, line, "value", f"value {row['value']!r} is not a number",
              "write a plain decimal number such as 0.6191")
    if not math.isfinite(value) or value <= 0:
        _fail(path, line, "value", f"value {value} must be finite and positive",
              "an emission factor is a positive amount of gas per unit of activity")
    for col in ("unit", "per"):
        try:
            unit = parse_unit(row[col])
        except ValueError as exc:
            _fail(path, line, col, str(exc), "use a unit pint understands: kg, t, kWh, TJ, t*km, m**3")
        if col == "unit" and unit.dimensionality != ureg.kilogram.dimensionality:
            _fail(path, line, col, f"unit {row[col]!r} is not a mass",
                  "'unit' is the mass of gas (kg, t or g); the activity unit goes in 'per'")
    region = row["region"].strip()
    if not _REGION.match(region):
        _fail(path, line, "region", f"region {region!r} is not an ISO 3166 code",
              "use GLO, a country code such as CN, or a subdivision such as CN-SD")
    try:
        year = int(row["year"])
    except ValueError:
        _fail(path, line, "year", f"year {row['year']!r} is not an integer", "write e.g. 2023")
    gwp_set = row["gwp_set"].strip()
    if gas == "co2e" and gwp_set not in (*GWP_SETS, "unstated"):
        _fail(path, line, "gwp_set", "a factor given as co2e must name its GWP set",
              f"write one of {', '.join(GWP_SETS)} or 'unstated'")
    if row["uncertainty"].strip() != "lognormal":
        _fail(path, line, "uncertainty", f"uncertainty {row['uncertainty']!r} is not supported",
              "write 'lognormal' and give gsd or pedigree")
    if row["gsd"].strip():
        try:
            gsd = float(row["gsd"])
        except ValueError:
            _fail(path, line, "gsd", f"gsd {row['gsd']!r} is not a number", "write e.g. 1.1")
        if not gsd >= 1.0:
            _fail(path, line, "gsd", f"gsd {gsd} must be >= 1", "a geometric SD is at least 1")
        pedigree = ""
    elif row["pedigree"].strip():
        try:
            scores = parse_pedigree(row["pedigree"])
            basic = float(row["basic_uncertainty"] or "nan")
            gsd = gsd_from_pedigree(scores, basic)
        except ValueError as exc:
            _fail(path, line, "pedigree", str(exc),
                  "give five scores R;C;T;G;Tech and a basic_uncertainty factor such as 1.05")
        pedigree = ";".join(str(s) for s in scores)
    else:
        _fail(path, line, "gsd", "neither gsd nor pedigree is given",
              "give the geometric SD, or pedigree scores with a basic_uncertainty")
    for col in ("source", "name_en"):
        if not row[col].strip():
            _fail(path, line, col, f"{col} is empty", "every factor needs a name and a source")
    if row["tag"].strip() not in TAGS:
        _fail(path, line, "tag", f"tag {row['tag']!r} is unknown", f"use one of {', '.join(TAGS)}")
    if row["traceability"].strip() not in TRACEABILITY:
        _fail(path, line, "traceability", f"traceability {row['traceability']!r} is unknown",
              f"use one of {', '.join(TRACEABILITY)}")
    rec = {k: (row[k] or "").strip() for k in COLUMNS}
    rec.update(id=fid, gas=gas, value=value, year=year, gsd=gsd, pedigree=pedigree)
    return rec


def load_factors(path=None):
    """Load and validate an emission-factor table.

    Parameters
    ----------
    path : str or Path, optional
        CSV file with the columns documented in ``datasets/factors/README.md``; the
        table shipped with pcflab by default.

    Returns
    -------
    xarray.Dataset
        Dimension ``row`` (one gas of one factor) with coordinates ``factor_id`` and
        ``gas`` and variables ``value`` [``unit`` of gas per ``per``], ``unit``, ``per``,
        ``gsd`` [dimensionless], names, region, year, provenance and data-quality
        columns. Attributes carry the file and its SHA-256 (``factors_sha256``).

    Raises
    ------
    FactorTableError
        Naming the file, line and column of the first invalid entry.
    """
    path = Path(path) if path is not None else default_factor_path()
    if not path.is_file():
        raise FactorTableError("factor table not found", file=path,
                               hint="pass the path of a CSV factor table")
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig")
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise FactorTableError(f"missing columns: {', '.join(missing)}", file=path, line=1,
                               hint="see datasets/factors/README.md for the columns")
    records, seen = [], {}
    for row in reader:
        line = reader.line_num
        if not any((v or "").strip() for v in row.values()):
            continue
        rec = _check_row(path, line, row)
        key = (rec["id"], rec["gas"])
        if key in seen:
            raise FactorTableError(f"duplicate factor {rec['id']} gas {rec['gas']}", file=path,
                                   line=line, field="id",
                                   hint=f"the same id and gas are already on line {seen[key]}")
        seen[key] = line
        records.append(rec)
    if not records:
        raise FactorTableError("the factor table has no rows", file=path)
    data = {}
    for col in COLUMNS:
        if col in ("id", "gas"):
            continue
        values = [r[col] for r in records]
        if col in ("value", "gsd"):
            data[col] = ("row", np.array(values, dtype=float))
        elif col == "year":
            data[col] = ("row", np.array(values, dtype=np.int64))
        else:
            data[col] = ("row", np.array(values, dtype=object).astype(str))
    ds = xr.Dataset(
        data,
        coords={
            "factor_id": ("row", np.array([r["id"] for r in records], dtype=str)),
            "gas": ("row", np.array([r["gas"] for r in records], dtype=str)),
        },
        attrs={
            "title": "pcflab emission factors",
            "source_file": str(path),
            "factors_sha256": hashlib.sha256(raw).hexdigest(),
            "n_factors": len({r["id"] for r in records}),
        },
    )
    ds["value"].attrs.update(long_name="emission factor", units="see 'unit' per 'per'")
    ds["gsd"].attrs.update(long_name="geometric standard deviation of the lognormal", units="1")
    return ds
