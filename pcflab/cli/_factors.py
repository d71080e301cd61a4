"""``pcflab factors ...``: the factor database on the command line."""

import numpy as np
import pandas as pd

from pcflab.core import format_unit

__all__ = ["add_factor_commands"]


def _print_table(frame, max_width=60):
    if frame.empty:
        print("(nothing)")
        return
    with pd.option_context(
        "display.width", 200, "display.max_colwidth", max_width, "display.max_rows", None, "display.max_columns", None
    ):
        print(frame.to_string(index=False))


def _per_unit(unit, per):
    """Return ``unit`` per ``per`` readably: ``kg``, ``m**3`` -> ``kg/m³``; ``kg``, ``t*km`` -> ``kg/(t·km)``."""
    return format_unit(f"{unit}/({per})")


def _readable_unit(text):
    """Return a ``unit/per`` text readably, the whole of what follows the first ``/`` as the per unit."""
    unit, slash, per = str(text).partition("/")
    return _per_unit(unit, per) if slash else format_unit(unit)


def _by_name_region_year(frame, name="key"):
    """Sort a factor listing by name (the key: family/item), region, then year; ties keep their order."""
    return frame.sort_values([name, "region", "year"], kind="stable") if not frame.empty else frame


def _db(args):
    from pcflab.factors import load_factors

    return load_factors(getattr(args, "path", None))


def _list(args):
    db = _db(args)
    ds = db.ds
    rows = []
    for i, fid in enumerate(db.factor_ids):
        if args.key and str(ds["key"].values[i]) != args.key:
            continue
        if args.region and str(ds["region"].values[i]) != args.region:
            continue
        gases = ", ".join(f"{g}={v:.6g}" for g, v, _ in db.gases_of(fid))
        rows.append(
            {
                "id": fid,
                "key": str(ds["key"].values[i]),
                "region": str(ds["region"].values[i]),
                "year": int(ds["year"].values[i]),
                "per": format_unit(str(ds["per"].values[i])),
                "kg gas per unit": gases,
            }
        )
    listing = _by_name_region_year(pd.DataFrame(rows))
    _print_table(listing.drop(columns="key", errors="ignore"), max_width=70)
    print(f"\n{len(rows)} of {len(db)} factors; release {db.version}, sha256 {db.content_hash[:12]}")
    return 0


def _show(args):
    from pcflab.core import UnknownFactorError

    db = _db(args)
    if args.id not in db:
        raise UnknownFactorError(f"no factor {args.id!r}", hint="see 'pcflab factors list'")
    row = db.ds.sel(factor=args.id)
    print(
        f"{args.id}\n  key: {row['key'].item()}   region: {row['region'].item()}   year: {int(row['year'])}"
        f"   activity unit: {format_unit(row['per'].item())}   file: {row['source_file'].item()}"
    )
    for gas, value, gsd in db.gases_of(args.id):
        r = row.sel(gas=gas)
        ped = ";".join(str(int(s)) for s in r["pedigree"].values) if r["pedigree"].values.min() > 0 else "-"
        dqr = float(r["dqr"])
        dqr_text = (
            f"{dqr:.2f}" + (" (derived from pedigree)" if int(r["dqr_derived"]) else "") if np.isfinite(dqr) else "-"
        )
        print(
            f"\n  {gas}: {value:.6g} {_per_unit('kg', row['per'].item())}  (published "
            f"{float(r['published_value']):g} {_per_unit(r['published_unit'].item(), row['per'].item())})"
        )
        print(f"    name: {r['name_en'].item()} / {r['name_zh'].item()}")
        print(f"    uncertainty: lognormal GSD {gsd:.4g}; pedigree {ped}; PEF DQR {dqr_text}")
        print(f"    source [{r['tag'].item()}, {r['traceability'].item()}]: {r['source'].item()}")
        if r["publisher"].item():
            print(f"    publisher: {r['publisher'].item()}")
        if r["url"].item():
            print(f"    url: {r['url'].item()}")
        if r["gwp_set"].item():
            print(f"    GWP set of the CO2e value: {r['gwp_set'].item()}")
        if r["notes"].item():
            print(f"    notes: {r['notes'].item()}")
    return 0


def _validate(args):
    from pcflab.factors import factor_source_files, read_factor_rows

    files = factor_source_files(args.path)
    records, problems = read_factor_rows(files)
    for p in problems:
        print(p)
    n_ids = len({r["id"] for r in records})
    if problems:
        print(f"\n{len(problems)} problem(s) in {len(files)} file(s)")
        return 1
    print(f"OK: {len(files)} file(s), {n_ids} factors, {len(records)} gas rows, no problems")
    return 0


def _compare(args):
    from pcflab.factors import compare_factors

    pairs, factors = compare_factors(_db(args), key=args.key)
    if pairs.empty:
        print("no key has two or more factors to compare")
        return 0
    shown = factors if args.all else factors[factors["flag"].isin(["outlier", "conflict"]) | factors["selected"]]
    print("Pairs (log_ratio = ln(a/b); overlap of 95 % ranges; comparable = same region or a GLO default):")
    p = pairs.assign(log_ratio=pairs["log_ratio"].round(3))
    _print_table(p[["key", "gas", "factor_a", "factor_b", "log_ratio", "overlap", "comparable"]], max_width=48)
    print("\nFactors (flag: ok, outlier, conflict, single; selected: the selection policy's choice per region):")
    f = _by_name_region_year(shown).assign(
        unit=lambda t: t["unit"].map(_readable_unit),
        value=shown["value"].map(lambda v: f"{v:.6g}"),
        low=shown["low"].map(lambda v: f"{v:.4g}"),
        high=shown["high"].map(lambda v: f"{v:.4g}"),
    )
    _print_table(f[["key", "gas", "factor", "value", "low", "high", "unit", "flag", "selected"]], max_width=48)
    if args.out:
        pairs.to_csv(args.out.with_suffix(".pairs.csv"), index=False)
        factors.to_csv(args.out.with_suffix(".factors.csv"), index=False)
        print(f"\nwritten: {args.out.with_suffix('.pairs.csv')} and {args.out.with_suffix('.factors.csv')}")
    n_bad = int(factors["flag"].isin(["outlier", "conflict"]).sum())
    print(f"\n{len(pairs)} pairs, {n_bad} factor(s) flagged")
    return 0


def _diff(args):
    from pcflab.factors import diff_factors, open_release

    a, b = open_release(args.old), open_release(args.new)
    d = diff_factors(a, b)
    print(f"{args.old}: release {a.version}, sha256 {a.content_hash[:12]}")
    print(f"{args.new}: release {b.version}, sha256 {b.content_hash[:12]}\n")
    _print_table(d, max_width=50)
    counts = d.groupby("change").size().to_dict() if not d.empty else {}
    print(
        f"\n{counts.get('added', 0)} added, {counts.get('removed', 0)} removed, "
        f"{d[d['change'] == 'changed'][['id', 'gas']].drop_duplicates().shape[0]} changed gas rows"
    )
    return 0


def _build(args):
    from pcflab.factors import load_factors

    db = load_factors(args.path, use_build=False)
    out = db.to_netcdf(args.out)
    print(f"built {out}: {len(db)} factors, release {db.version}, sha256 {db.content_hash}")
    return 0


def _export(args):
    db = _db(args)
    if not (args.csv or args.netcdf):
        print("nothing to do: give --csv PATH and/or --netcdf PATH")
        return 2
    if args.csv:
        print(f"written: {db.to_csv(args.csv)}")
    if args.netcdf:
        print(f"written: {db.to_netcdf(args.netcdf)}")
    return 0


def _import(args):
    from pcflab.factors import import_factors

    done = import_factors(args.template, into=args.into, database=args.database, replace=args.replace)
    print(f"imported {len(done)} gas row(s) of {len({i for i, _ in done})} factor(s)")
    return 0


def _resolve(args):
    from pcflab.factors import resolve

    res = resolve(_db(args), args.key, args.region, args.year)
    print(res)
    if res.alternatives:
        print("  also available for the same region and year (ranked lower): " + ", ".join(res.alternatives))
    return 0


def add_factor_commands(sub):
    """Add ``pcflab factors ...`` to the command's subparsers.

    Parameters
    ----------
    sub : argparse._SubParsersAction
        The subparsers of the ``pcflab`` command, from ``add_subparsers``.
    """
    from pathlib import Path

    p = sub.add_parser("factors", help="the emission-factor database")
    fs = p.add_subparsers(dest="factors_command", metavar="ACTION")

    def with_path(q):
        q.add_argument("--path", default=None, help="factor CSV file or folder (default: shipped database)")
        return q

    q = with_path(fs.add_parser("list", help="list factors"))
    q.add_argument("--key", help="only this key (family/item)")
    q.add_argument("--region", help="only this region (ISO 3166)")
    q.set_defaults(func=_list)
    q = with_path(fs.add_parser("show", help="one factor with its sources and data quality"))
    q.add_argument("id")
    q.set_defaults(func=_show)
    q = fs.add_parser("validate", help="check factor files and report every problem")
    q.add_argument("path", nargs="?", default=None, help="file or folder (default: shipped database)")
    q.set_defaults(func=_validate)
    q = with_path(fs.add_parser("compare", help="cross-validate factors that measure the same quantity"))
    q.add_argument("--key", help="only this key")
    q.add_argument("--all", action="store_true", help="show every factor, not only flagged and selected")
    q.add_argument("--out", type=Path, help="also write the tables as OUT.pairs.csv and OUT.factors.csv")
    q.set_defaults(func=_compare)
    q = fs.add_parser("diff", help="added, removed and changed factors between two releases")
    q.add_argument("old", help="folder, CSV file, .nc build or git:REV")
    q.add_argument("new", help="folder, CSV file, .nc build or git:REV")
    q.set_defaults(func=_diff)
    q = with_path(fs.add_parser("build", help="write the derived NetCDF build"))
    q.add_argument("--out", type=Path, default=Path("build/factors.nc"), help="output file (default build/factors.nc)")
    q.set_defaults(func=_build)
    q = with_path(fs.add_parser("export", help="export the database to CSV and/or NetCDF"))
    q.add_argument("--csv", type=Path)
    q.add_argument("--netcdf", type=Path)
    q.set_defaults(func=_export)
    q = fs.add_parser("import", help="validate a filled import template and add its rows")
    q.add_argument("template")
    q.add_argument("--into", type=Path, help="target CSV (default: imported.csv in the database folder)")
    q.add_argument("--database", type=Path, help="database folder (default: shipped)")
    q.add_argument("--replace", action="store_true", help="replace rows of the target with the same id and gas")
    q.set_defaults(func=_import)
    q = with_path(fs.add_parser("resolve", help="the factor used for a key, region and year"))
    q.add_argument("key", help="family/item, e.g. electricity/grid-co2")
    q.add_argument("--region", default="CN-SD")
    q.add_argument("--year", type=int, default=2023)
    q.set_defaults(func=_resolve)
    p.set_defaults(func=lambda a: (p.print_help(), 2)[1])
