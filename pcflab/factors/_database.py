"""The factor database: CSV sources in git, an ``xarray.Dataset`` in memory, a NetCDF build.

The build on disk is derived. ``load_factors()`` reads every ``*.csv`` of ``datasets/factors/`` (or the file or folder
given), validates each row, and returns a :class:`FactorDB`: a thin object around an
``xarray.Dataset`` with dimensions ``factor`` x ``gas``, values in kg of gas per unit of
activity, and the provenance and data-quality columns alongside. The build is a cache,
never a source: it is keyed by the bytes of the CSV files and rebuilt when they change or
when it cannot be read.
"""

import hashlib
import importlib.resources
import json
import os
import warnings
from pathlib import Path

import numpy as np
import xarray as xr
from ruamel.yaml import YAML

from pcflab.core import FactorTableError, atomic_write, atomic_write_text
from pcflab.methods import DQR_CRITERIA, GASES, PEDIGREE_INDICATORS

from ._schema import COLUMNS, read_factor_rows

__all__ = ["FactorDB", "default_factor_dir", "factor_source_files", "load_build", "load_factors"]

SCHEMA_VERSION = "2"
_STRING_VARS = (
    "name_en",
    "name_zh",
    "gwp_set",
    "source",
    "publisher",
    "url",
    "tag",
    "traceability",
    "certificate",
    "notes",
    "factor_kind",
    "published_unit",
)


def default_factor_dir():
    """Folder of the factor tables shipped with pcflab."""
    return Path(str(importlib.resources.files("pcflab.datasets").joinpath("factors")))


def factor_source_files(path=None):
    """List the CSV files of a factor database: a file, or every ``*.csv`` of a folder (sorted)."""
    path = Path(path) if path is not None else default_factor_dir()
    if path.is_dir():
        files = sorted(p for p in path.glob("*.csv") if p.is_file())
        if not files:
            raise FactorTableError(
                "the folder has no factor tables (*.csv)",
                file=path,
                hint="point to a folder of factor CSV files or to one file",
            )
        return files
    if path.is_file():
        return [path]
    raise FactorTableError("factor table not found", file=path, hint="pass the path of a CSV file or folder")


def _release_info(files):
    """Release name, version and date from ``release.yaml`` next to the CSV files."""
    release = Path(files[0]).parent / "release.yaml"
    info = {"release_name": "unreleased", "release_version": "0", "release_date": ""}
    if release.is_file():
        doc = YAML(typ="safe").load(release.read_text(encoding="utf-8")) or {}
        info = {
            "release_name": str(doc.get("name", "unreleased")),
            "release_version": str(doc.get("version", "0")),
            "release_date": str(doc.get("date", "")),
        }
    return info


def _sources_digest(files):
    h = hashlib.sha256(f"pcflab-factors-schema-{SCHEMA_VERSION}".encode())
    for f in files:
        h.update(Path(f).name.encode())
        h.update(hashlib.sha256(Path(f).read_bytes()).digest())
    release = Path(files[0]).parent / "release.yaml"
    if release.is_file():
        h.update(release.read_bytes())
    return h.hexdigest()


#: Columns hashed by the value they were read as, not their text (so that a rewrite keeps the hash).
_NUMBER_COLUMNS = ("value", "year", "range_low", "range_high")


def _content_hash(records):
    """SHA-256 of the table's content, independent of file split and row order."""
    canon = sorted(
        json.dumps([repr(r[c]) if c in _NUMBER_COLUMNS else r[c] for c in COLUMNS], ensure_ascii=False) for r in records
    )
    return hashlib.sha256("\n".join(canon).encode("utf-8")).hexdigest()


def _dataset(records, files, release):
    """Lay the validated records out as the factor x gas dataset, with the database's attrs."""
    ids = list(dict.fromkeys(r["id"] for r in records))
    grid, first = _factor_gas_arrays(records, ids)
    dqr_scores = grid["dqr_scores"]
    dqr = np.where(dqr_scores.min(axis=2) > 0, dqr_scores.mean(axis=2), np.nan)

    def per_factor(col):
        return ("factor", np.array([str(first[f][col]) for f in ids], dtype=object))

    ds = xr.Dataset(
        {
            **_data_variables(grid, dqr, per=per_factor("per")),
            "source_file": per_factor("file"),
            **{k: (("factor", "gas"), grid[k]) for k in _STRING_VARS},
        },
        coords={
            "factor": ("factor", np.array(ids, dtype=object)),
            "gas": ("gas", np.array(GASES, dtype=object)),
            "pedigree_indicator": ("pedigree_indicator", np.array(PEDIGREE_INDICATORS, dtype=object)),
            "dqr_criterion": ("dqr_criterion", np.array(DQR_CRITERIA, dtype=object)),
            "key": ("factor", np.array(["/".join(f.split("/")[1:3]) for f in ids], dtype=object)),
            "region": per_factor("region"),
            "year": ("factor", np.array([first[f]["year"] for f in ids], dtype=np.int32)),
        },
        attrs={
            "title": "pcflab emission factor database",
            "conventions": "values in kg of gas per unit of activity; see datasets/factors/README.md",
            **release,
            "content_sha256": _content_hash(records),
            "sources_sha256": _sources_digest(files),
            "source_files": json.dumps([Path(f).name for f in files]),
            "schema_version": SCHEMA_VERSION,
            "n_factors": len(ids),
            "n_rows": len(records),
        },
    )
    ds["source_file"].values = np.array([Path(s).name for s in ds["source_file"].values], dtype=object)
    return ds


def _factor_gas_arrays(records, ids):
    """Fill the factor x gas arrays from the records; (arrays by name, first record of each factor)."""
    fi = {f: i for i, f in enumerate(ids)}
    gi = {g: i for i, g in enumerate(GASES)}
    nf, ng = len(ids), len(GASES)
    grid = {
        "value": np.full((nf, ng), np.nan),
        "published_value": np.full((nf, ng), np.nan),
        "gsd": np.full((nf, ng), np.nan),
        "basic_uncertainty": np.full((nf, ng), np.nan),
        "range_low": np.full((nf, ng), np.nan),
        "range_high": np.full((nf, ng), np.nan),
        "pedigree": np.zeros((nf, ng, 5), dtype=np.int8),
        "dqr_scores": np.zeros((nf, ng, 4), dtype=np.int8),
        "dqr_derived": np.zeros((nf, ng), dtype=np.int8),
        "line": np.zeros((nf, ng), dtype=np.int32),
        **{k: np.full((nf, ng), "", dtype=object) for k in _STRING_VARS},
    }
    first = {}
    for r in records:
        i, j = fi[r["id"]], gi[r["gas"]]
        first.setdefault(r["id"], r)
        grid["value"][i, j] = r["value_kg"]
        grid["published_value"][i, j] = r["value"]
        grid["gsd"][i, j] = r["gsd"]
        grid["basic_uncertainty"][i, j] = r["basic_uncertainty"]
        grid["range_low"][i, j] = r["range_low"]
        grid["range_high"][i, j] = r["range_high"]
        if r["pedigree"]:
            grid["pedigree"][i, j] = r["pedigree"]
        if r["dqr"]:
            grid["dqr_scores"][i, j] = r["dqr"]
        grid["dqr_derived"][i, j] = r["dqr_derived"]
        grid["line"][i, j] = r["line"]
        for k in _STRING_VARS:
            grid[k][i, j] = r["unit"] if k == "published_unit" else r[k]
    return grid, first


def _data_variables(grid, dqr, per):
    """Describe the numeric data variables (factor x gas) and ``per``, in the dataset's order."""
    fg = ("factor", "gas")
    return {
        "value": (
            fg,
            grid["value"],
            {"long_name": "emission factor", "units": "kg (of the gas) per unit of activity ('per')"},
        ),
        "per": per + ({"long_name": "unit of activity (reference unit)"},),
        "published_value": (fg, grid["published_value"], {"long_name": "value as published, in published_unit"}),
        "gsd": (fg, grid["gsd"], {"long_name": "geometric standard deviation of the lognormal", "units": "1"}),
        "basic_uncertainty": (
            fg,
            grid["basic_uncertainty"],
            {"long_name": "ecoinvent basic uncertainty U = GSD^2", "units": "1"},
        ),
        "range_low": (
            fg,
            grid["range_low"],
            {"long_name": "2.5 % point of the source's 95 % range, in published_unit (NaN: none published)"},
        ),
        "range_high": (
            fg,
            grid["range_high"],
            {"long_name": "97.5 % point of the source's 95 % range, in published_unit (NaN: none published)"},
        ),
        "pedigree": (
            ("factor", "gas", "pedigree_indicator"),
            grid["pedigree"],
            {"long_name": "pedigree scores (1 best ... 5 worst; 0 not given)"},
        ),
        "dqr_scores": (
            ("factor", "gas", "dqr_criterion"),
            grid["dqr_scores"],
            {"long_name": "PEF data-quality scores (1 best ... 5 worst; 0 not given)"},
        ),
        "dqr": (fg, dqr, {"long_name": "PEF data-quality rating (TeR+GeR+TiR+P)/4", "units": "1"}),
        "dqr_derived": (
            fg,
            grid["dqr_derived"],
            {"long_name": "1 where the PEF scores were derived from the pedigree scores"},
        ),
        "line": (fg, grid["line"], {"long_name": "line in the source file"}),
    }


class FactorDB:
    """The emission-factor database: an ``xarray.Dataset`` with lookup and release tools.

    Lookup, resolution, cross-validation and releases work on it. ``db.ds`` is the
    dataset (dimensions ``factor`` x ``gas``); ``db.sel(...)``, ``db["value"]`` and the
    other dataset operations are forwarded to it.
    """

    def __init__(self, ds):
        self.ds = ds

    # -- the dataset, forwarded --------------------------------------------------
    def sel(self, *args, **kwargs):
        """``xarray.Dataset.sel`` on the database (``db.sel(factor=ID, gas="co2_fossil")``)."""
        return self.ds.sel(*args, **kwargs)

    def __getitem__(self, name):
        return self.ds[name]

    def __contains__(self, factor_id):
        return factor_id in self.ds.indexes["factor"]

    def __len__(self):
        return self.ds.sizes["factor"]

    @property
    def attrs(self):
        """Attributes of the database (release, hashes, source files)."""
        return self.ds.attrs

    @property
    def factor_ids(self):
        """The factor ids, in file order."""
        return [str(f) for f in self.ds["factor"].values]

    @property
    def content_hash(self):
        """SHA-256 of the content, independent of how it is split into files."""
        return self.ds.attrs["content_sha256"]

    @property
    def version(self):
        """Release version (``release.yaml``)."""
        return self.ds.attrs["release_version"]

    def __repr__(self):
        a = self.ds.attrs
        return (
            f"<FactorDB {a['release_name']} {a['release_version']}: {a['n_factors']} factors, "
            f"{a['n_rows']} gas rows, sha256 {a['content_sha256'][:12]}>"
        )

    def _repr_html_(self):
        return self.ds._repr_html_()

    def gases_of(self, factor_id):
        """(gas, value [kg per ``per``], gsd) of every gas given for a factor."""
        row = self.ds.sel(factor=factor_id)
        return [
            (str(g), float(v), float(s))
            for g, v, s in zip(row["gas"].values, row["value"].values, row["gsd"].values, strict=True)
            if np.isfinite(v)
        ]

    def rows(self):
        """Return the database as schema rows (dicts with the CSV columns), in file order."""
        ds = self.ds
        out = []
        gas_names = [str(g) for g in ds["gas"].values]
        for i, fid in enumerate(self.factor_ids):
            for j, gas in enumerate(gas_names):
                if not np.isfinite(ds["value"].values[i, j]):
                    continue
                ped = ds["pedigree"].values[i, j]
                dq = ds["dqr_scores"].values[i, j]
                gsd_val = float(ds["gsd"].values[i, j])
                low, high = float(ds["range_low"].values[i, j]), float(ds["range_high"].values[i, j])
                ranged = np.isfinite(low)
                row = {
                    "id": fid,
                    "gas": gas,
                    "value": repr(float(ds["published_value"].values[i, j])),
                    "unit": str(ds["published_unit"].values[i, j]),
                    "per": str(ds["per"].values[i]),
                    "region": str(ds["region"].values[i]),
                    "year": str(int(ds["year"].values[i])),
                    "uncertainty": "none" if gsd_val == 1.0 and ped.min() == 0 else "lognormal",
                    "gsd": "" if ped.min() > 0 or ranged or gsd_val == 1.0 else repr(gsd_val),
                    "range_low": repr(low) if ranged else "",
                    "range_high": repr(high) if ranged else "",
                    "pedigree": ";".join(str(int(s)) for s in ped) if ped.min() > 0 else "",
                    "basic_uncertainty": repr(float(ds["basic_uncertainty"].values[i, j])) if ped.min() > 0 else "",
                    "dqr": ";".join(str(int(s)) for s in dq)
                    if dq.min() > 0 and not ds["dqr_derived"].values[i, j]
                    else "",
                }
                for k in _STRING_VARS:
                    if k != "published_unit":
                        row[k] = str(ds[k].values[i, j])
                out.append({c: row[c] for c in COLUMNS})
        return out

    # -- writing -----------------------------------------------------------------
    def to_netcdf(self, path):
        """Write the database as NetCDF (atomically: a failed write leaves nothing half-done)."""
        atomic_write(path, lambda tmp: self.ds.to_netcdf(tmp, engine="netcdf4"))
        return Path(path)

    def to_csv(self, path):
        """Write the database as one CSV file in the schema of ``datasets/factors/README.md``."""
        import csv
        import io

        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(self.rows())
        atomic_write_text(path, buf.getvalue())
        return Path(path)


def _raise_problems(problems):
    first = problems[0]
    more = (
        f" (and {len(problems) - 1} more problems: run 'pcflab factors validate' to see them all)"
        if len(problems) > 1
        else ""
    )
    err = FactorTableError(
        f"{first.message} [{first.rule}]{more}", file=first.file, line=first.line, field=first.column, hint=first.hint
    )
    err.problems = problems
    raise err


def _cache_dir():
    return Path(os.environ.get("PCFLAB_CACHE_DIR") or Path.home() / ".cache" / "pcflab")


def load_build(path):
    """Open a NetCDF build of the factor database (never unpickles anything).

    Parameters
    ----------
    path : str or Path
        The ``.nc`` file written by ``pcflab factors build``.

    Returns
    -------
    FactorDB
        The database, its text variables as Python strings.

    Raises
    ------
    FactorTableError
        If the file is missing, truncated or not a pcflab factor build.
    """
    path = Path(path)
    try:
        with xr.open_dataset(path, engine="netcdf4") as opened:
            ds = opened.load()
    except Exception as exc:  # netCDF4 raises OSError, ValueError, RuntimeError on corrupt files
        raise FactorTableError(
            f"the factor build cannot be read ({type(exc).__name__}: {exc})",
            file=path,
            hint="delete it, or run 'pcflab factors build' to rebuild it from the CSV sources",
        ) from None
    if ds.attrs.get("title") != "pcflab emission factor database" or "value" not in ds:
        raise FactorTableError(
            "the file is not a pcflab factor build", file=path, hint="run 'pcflab factors build' to make one"
        )
    for name in ds.variables:
        if ds[name].dtype == object:
            ds[name] = ds[name].astype(str).astype(object)
    return FactorDB(ds)


def load_factors(path=None, *, use_build=True):
    """Load and validate the emission-factor database.

    Parameters
    ----------
    path : str or Path, optional
        A factor CSV file or a folder of them (every ``*.csv``); the shipped
        ``datasets/factors/`` by default.
    use_build : bool
        Reuse the NetCDF build in the cache folder (``$PCFLAB_CACHE_DIR`` or
        ``~/.cache/pcflab``) when it was made from exactly these CSV files; a build
        that cannot be read is reported with a warning and rebuilt.

    Returns
    -------
    FactorDB
        ``db.ds`` is an ``xarray.Dataset`` (``factor`` x ``gas``) with ``value`` [kg gas
        per unit of activity ``per``], uncertainty (``gsd``, ``pedigree``), data quality
        (``dqr``), provenance (``source``, ``publisher``, ``url``, ``tag``,
        ``traceability``) and the release and content hash in ``attrs``.

    Raises
    ------
    FactorTableError
        Naming file, line and column of the first problem; ``err.problems`` lists all.
    """
    files = factor_source_files(path)
    build = None
    if use_build:
        build = _cache_dir() / f"factors-{_sources_digest(files)[:24]}.nc"
        if build.is_file():
            try:
                db = load_build(build)
                if db.attrs.get("sources_sha256") == _sources_digest(files):
                    return db
            except FactorTableError as exc:
                warnings.warn(f"{exc}; rebuilt from the CSV sources", stacklevel=2)
    records, problems = read_factor_rows(files)
    if problems:
        _raise_problems(problems)
    if not records:
        raise FactorTableError("the factor table has no rows", file=files[0])
    db = FactorDB(_dataset(records, files, _release_info(files)))
    if build is not None:
        try:
            db.to_netcdf(build)
        except OSError as exc:  # a read-only cache must not stop the work
            warnings.warn(f"could not write the factor build {build}: {exc}", stacklevel=2)
    return db
