"""The ``pcflab`` command."""

import argparse
import sys
import warnings

from pcflab._version import __version__
from pcflab.core import ModelWarning, PcfError

from ._factors import add_factor_commands

__all__ = ["main"]

DEMO_MODEL = "steel/bf-bof-hot-rolled-coil"
STRICT_HELP = "a process the reference product never reaches, an unused parameter or factor is an error"


def _cmd_demo(args):
    from pcflab.reporting import run_report

    print(f"pcflab demo: report of {DEMO_MODEL} ({args.samples} Monte Carlo samples, seed {args.seed})", flush=True)
    html = run_report(DEMO_MODEL, "steel", out_dir=args.out, n_samples=args.samples, seed=args.seed, progress=True)
    print(f"report written: {html}")
    return 0


def _cmd_report(args):
    from pcflab.reporting import run_report

    if args.strict:
        from pcflab.analysis import prepare

        prepare(args.model, strict=True)  # an unreached process or unused parameter stops the report
    html = run_report(
        args.model, args.notebook, out_dir=args.out, n_samples=args.samples, seed=args.seed, progress=not args.quiet
    )
    print(f"report written: {html}")
    return 0


def _cmd_run(args):
    from pcflab.analysis import footprint, prepare, report_categories, simulate, summary

    if args.profiles:
        if args.strict:
            prepare(args.model, args.factors, strict=True)
        return _run_profiles(args)
    cm = prepare(args.model, args.factors, profile=args.profile, strict=args.strict)
    det = footprint(cm, gwp_set=args.gwp)
    total = float(det["gwp100"].sum())
    print(f"{cm.model.name}\nfunctional unit: {det.attrs['functional_unit']}")
    print(f"method profile: {cm.profile.name} ({cm.profile.title})")
    for res in cm.resolutions:
        print(f"factor {res}")
    for note in cm.notes:
        print(f"note: {note}")
    print(f"deterministic footprint ({det.attrs['gwp_set']} GWP100): {total:,.1f} kg CO2e")
    by_stage = det["gwp100"].groupby("stage").sum()
    for stage in by_stage.stage.values:
        print(f"  {stage:<26} {float(by_stage.sel(stage=stage).sum()):>12,.1f}")
    if "electricity_location_based_total" in det.attrs:
        print(
            f"  electricity: market-based {det.attrs['electricity_market_based_total']:,.1f}, "
            f"location-based {det.attrs['electricity_location_based_total']:,.1f}"
        )
    cats = report_categories(det)
    print("  reported separately: " + ", ".join(f"{k} {v:,.1f}" for k, v in cats.items() if k != "total"))
    if args.samples:
        mc = simulate(cm, args.samples, args.seed, gwp_set=args.gwp, progress=True)
        s = summary(mc)
        print(
            f"Monte Carlo ({s['n']:,} samples, seed {args.seed}): mean {s['mean']:,.1f}, "
            f"median {s['median']:,.1f}, 95 % interval [{s['lower']:,.1f}, {s['upper']:,.1f}] kg CO2e"
        )
    return 0


def _run_profiles(args):
    import pandas as pd

    from pcflab.analysis import compare_methods, footprint
    from pcflab.methods import GASES, PROFILES

    names = list(PROFILES) if args.profiles == "all" else [p.strip() for p in args.profiles.split(",")]
    table = compare_methods(args.model, args.factors, profiles=names)
    by_gas = {}
    for name in names:
        det = footprint(args.model, args.factors, profile=name)
        by_gas[name] = det["gwp100"].sum("process").to_series()
    gas = pd.DataFrame(by_gas).T.reindex(columns=list(GASES))
    gas = gas.loc[:, (gas != 0).any(axis=0)]
    with pd.option_context("display.width", 200, "display.max_columns", None, "display.float_format", "{:,.1f}".format):
        print("Method profiles: " + ", ".join(f"{n} = {PROFILES[n].title}" if n in PROFILES else n for n in names))
        print("\nSettings:")
        print(table[["gwp_set", "allocation", "recycling", "electricity"]].to_string())
        print("\nBy life-cycle stage [kg CO2e per functional unit]:")
        stages = table[[c for c in table.columns if c.startswith("stage:")] + ["total"]]
        print(stages.rename(columns=lambda c: c.removeprefix("stage:")).to_string())
        print("\nBy gas [kg CO2e per functional unit]:")
        print(gas.to_string())
        print("\nReported separately [kg CO2e per functional unit]:")
        cats = table[[c for c in table.columns if c.startswith("category:")] + ["cutoff_excluded_share"]]
        print(cats.rename(columns=lambda c: c.removeprefix("category:")).to_string())
    return 0


def _cmd_models(args):
    import json

    if args.schema:
        from pcflab.models import model_schema

        print(json.dumps(model_schema(), indent=2, ensure_ascii=False))
        return 0

    from pcflab.models import shipped_models

    for name in shipped_models():
        print(name)
    return 0


def build_parser():
    """Build the argument parser of the ``pcflab`` command."""
    parser = argparse.ArgumentParser(
        prog="pcflab", description="pcflab: a research workbench for product carbon footprints."
    )
    parser.add_argument("--version", action="version", version=f"pcflab {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("demo", help="run the steel report on the shipped data (what 'make demo' does)")
    p.add_argument("--samples", type=int, default=20_000, help="Monte Carlo samples (default 20000)")
    p.add_argument("--seed", type=int, default=42, help="seed (default 42)")
    p.add_argument("--out", default=None, help="output folder (default reports/<model>)")
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser("report", help="run a notebook report for a model")
    p.add_argument("model", help="model file or shipped model name (see 'pcflab models')")
    p.add_argument("--notebook", default="steel", help="shipped notebook name or .ipynb path")
    p.add_argument("--samples", type=int, default=10_000, help="Monte Carlo samples")
    p.add_argument("--seed", type=int, default=42, help="seed")
    p.add_argument("--out", default=None, help="output folder (default reports/<model>)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--strict", action="store_true", help=STRICT_HELP)
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser("run", help="print the deterministic and Monte Carlo footprint of a model")
    p.add_argument("model", help="model file or shipped model name")
    p.add_argument("--samples", type=int, default=10_000, help="Monte Carlo samples (0: none)")
    p.add_argument("--seed", type=int, default=42, help="seed")
    p.add_argument("--gwp", default=None, choices=["AR4", "AR5", "AR6"], help="GWP100 set (default: the profile's)")
    p.add_argument("--profile", default="iso14067", help="method profile (iso14067, ghg-protocol, pas2050, pef, cbam)")
    p.add_argument("--profiles", default=None, help="compare profiles: 'all' or a comma-separated list")
    p.add_argument("--factors", default=None, help="factor table CSV (default: shipped)")
    p.add_argument("--strict", action="store_true", help=STRICT_HELP)
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser("models", help="list the shipped models")
    p.add_argument("--schema", action="store_true", help="print the JSON Schema of the model format instead")
    p.set_defaults(func=_cmd_models)

    add_factor_commands(sub)
    return parser


def main(argv=None):
    """Entry point of the ``pcflab`` command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            return args.func(args)
    except PcfError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


_default_showwarning = warnings.showwarning


def _show_warning(message, category, filename, lineno, file=None, line=None):
    """Write a ``ModelWarning`` as one ``warning:`` line (it names the model file), others as Python does."""
    if issubclass(category, ModelWarning):
        print(f"warning: {message}", file=sys.stderr)
    else:
        _default_showwarning(message, category, filename, lineno, file, line)
