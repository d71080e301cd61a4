"""The ``pcflab`` command."""

import argparse
import os
import sys
import warnings
from pathlib import Path

import pcflab.cli._args as a
from pcflab._version import __version__
from pcflab.core import ModelWarning, PcfError, format_unit

from ._factors import add_factor_commands

__all__ = ["main"]

DEMO_MODEL = "steel/bf-bof-hot-rolled-coil"
STRICT_HELP = "a process the reference product never reaches, an unused parameter or factor is an error"
_KG = format_unit("kg CO2e")  # kg CO₂e
_PER_FU = format_unit("kg CO2e per functional unit")


def _functional_unit(model):
    """Return the functional unit as a line shows it: ``1 m² tempered side glass ...``."""
    fu = model.functional_unit
    return f"{fu.amount:g} {format_unit(fu.unit)} {fu.description}"


def _printable_streams():
    """Let a terminal that cannot show ``₂``, ``³`` or ``·`` print ``?`` instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        try:
            "CO₂e m³ t·km".encode(getattr(stream, "encoding", None) or "ascii")
        except (UnicodeEncodeError, LookupError):
            if hasattr(stream, "reconfigure"):
                stream.reconfigure(errors="replace")


def _cmd_demo(args):
    from pcflab.reporting import run_report

    print(f"pcflab demo: report of {DEMO_MODEL} ({args.samples} Monte Carlo samples, seed {args.seed})", flush=True)
    html = run_report(DEMO_MODEL, "steel", out_dir=args.out, n_samples=args.samples, seed=args.seed, progress=True)
    print(f"report written: {html}")
    return 0


def _cmd_report(args):
    from pcflab.reporting import run_report

    a.check_model(args.model)
    if args.notebook and args.notebook.endswith(".ipynb"):
        a.check_path(args.notebook, "notebook (.ipynb)")
    parameters = dict(args.parameter or ())
    given = {"gwp_set": args.gwp, "profile": args.profile, "schemes": args.schemes}
    for name, value in given.items():
        if value is not None and name in parameters and parameters[name] != value:
            raise a.UsageError(f"pcflab report: {name} given twice (an option and -p {name}=...): give it once")
        if value is not None:
            parameters[name] = value
    n_samples = parameters.pop("n_samples", args.samples)
    seed = parameters.pop("seed", args.seed)
    if args.strict:
        from pcflab.analysis import prepare

        prepare(args.model, strict=True)  # an unreached process or unused parameter stops the report
    html = run_report(
        args.model,
        args.notebook,
        out_dir=args.out,
        n_samples=n_samples,
        seed=seed,
        parameters=parameters,
        progress=not args.quiet,
    )
    print(f"report written: {html}")
    return 0


def _cmd_run(args):
    from pcflab.analysis import footprint, prepare, report_categories, simulate, summary

    a.check_model(args.model)
    if args.factors is not None:
        a.check_path(args.factors, "factor table (CSV file or folder)", folder_ok=True)
    if args.profiles:
        if args.strict:
            prepare(args.model, args.factors, strict=True)
        return _run_profiles(args)
    cm = prepare(args.model, args.factors, profile=args.profile, strict=args.strict)
    det = footprint(cm, gwp_set=args.gwp)
    total = float(det["gwp100"].sum())
    print(f"{cm.model.name}\nfunctional unit: {_functional_unit(cm.model)}")
    print(f"method profile: {cm.profile.name} ({cm.profile.title})")
    for res in cm.resolutions:
        print(f"factor {res}")
    for note in cm.notes:
        print(f"note: {note}")
    print(f"deterministic footprint ({det.attrs['gwp_set']} GWP100): {total:,.1f} {_KG}")
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
            f"median {s['median']:,.1f}, 95 % interval [{s['lower']:,.1f}, {s['upper']:,.1f}] {_KG}"
        )
    return 0


def _run_profiles(args):
    import pandas as pd

    from pcflab.analysis import compare_methods, footprint
    from pcflab.methods import GASES, PROFILES

    names = list(PROFILES) if args.profiles == "all" else [p.strip() for p in args.profiles.split(",")]
    table = compare_methods(args.model, args.factors, profiles="all" if args.profiles == "all" else names)
    names = [n for n in names if n in table.index]  # "all" leaves out a profile that does not apply
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
        print(f"\nBy life-cycle stage [{_PER_FU}]:")
        stages = table[[c for c in table.columns if c.startswith("stage:")] + ["total"]]
        print(stages.rename(columns=lambda c: c.removeprefix("stage:")).to_string())
        print(f"\nBy gas [{_PER_FU}]:")
        print(gas.to_string())
        print(f"\nReported separately [{_PER_FU}]:")
        cats = table[[c for c in table.columns if c.startswith("category:")] + ["cutoff_excluded_share"]]
        print(cats.rename(columns=lambda c: c.removeprefix("category:")).to_string())
        for name, why in table.attrs.get("not_applicable", {}).items():
            print(f"\n{name}: not applicable ({why})")
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


def _cmd_validation(args):
    from pcflab.analysis import validation_markdown, validation_table
    from pcflab.core import atomic_write_text

    table = validation_table()
    if args.md:
        atomic_write_text(args.md, validation_markdown(table))
        print(f"validation table written: {Path(args.md).resolve()}")
    width = max(len(m) for m in table["model"])
    print(f"{'model':<{width}}  {'pcflab':>12}  {'published':>12}  ratio  band   (kg CO₂e per functional unit)")
    for r in table.itertuples():
        flag = "" if r.within else "  OUTSIDE"
        print(
            f"{r.model:<{width}}  {r.pcflab:>12,.1f}  {r.published:>12,.1f}  {r.ratio:5.2f}  "
            f"{r.band_low:g}-{r.band_high:g}{flag}"
        )
    outside = int((~table["within"]).sum())
    print(f"{len(table)} entries, {table['model'].nunique()} models, {outside} outside their band")
    return 1 if outside else 0


def _cmd_warmup(args):
    from pcflab.analysis import warm_up

    seconds = warm_up()
    print(f"numba kernels ready in {seconds:.1f} s (compiled now, or loaded from the cache)")
    return 0


def build_parser():
    """Build the argument parser of the ``pcflab`` command."""
    parser = a.OneLineParser(
        prog="pcflab",
        description="pcflab: a research workbench for product carbon footprints.",
        epilog=a.EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"pcflab {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the Python traceback of an error")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("demo", help="run the steel report on the shipped data (what 'make demo' does)")
    p.add_argument("--samples", type=a.report_samples, default=20_000, help="Monte Carlo samples (default 20000)")
    p.add_argument("--seed", type=a.seed, default=42, help="seed (default 42)")
    p.add_argument("--out", default=None, help="output folder (default reports/<model>)")
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser("report", help="run a notebook report for a model")
    p.add_argument("model", help="model file or shipped model name (see 'pcflab models')")
    p.add_argument(
        "--notebook",
        default=None,
        help="shipped notebook name or .ipynb path (default: the model's sector: steel, aluminium, tyres, "
        "textiles; product for the others)",
    )
    p.add_argument(
        "-p",
        "--parameter",
        action="append",
        type=a.notebook_parameter,
        metavar="NAME=VALUE",
        help="a notebook parameter, the value read as JSON or else as text (repeatable): -p sampler=lhs "
        "-p scenario='{\"green_share\": 1}'",
    )
    p.add_argument("--samples", type=a.report_samples, default=10_000, help="Monte Carlo samples (>= 100)")
    p.add_argument("--seed", type=a.seed, default=42, help="seed")
    p.add_argument("--gwp", type=a.gwp_set, default=None, help="GWP100 set: AR4, AR5 or AR6 (default AR6)")
    p.add_argument("--profile", type=a.profile, default=None, help="method profile (default iso14067)")
    p.add_argument(
        "--schemes",
        type=a.schemes,
        default=None,
        help="comma-separated class schemes or scheme files (default: those that fit the product's sector and unit)",
    )
    p.add_argument("--out", default=None, help="output folder (default reports/<model>)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--strict", action="store_true", help=STRICT_HELP)
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser("run", help="print the deterministic and Monte Carlo footprint of a model")
    p.add_argument("model", help="model file or shipped model name")
    p.add_argument("--samples", type=a.count, default=10_000, help="Monte Carlo samples (0: none)")
    p.add_argument("--seed", type=a.seed, default=42, help="seed")
    p.add_argument("--gwp", type=a.gwp_set, default=None, help="GWP100 set: AR4, AR5 or AR6 (default: the profile's)")
    p.add_argument("--profile", type=a.profile, default="iso14067", help="method profile (pcflab.methods.PROFILES)")
    p.add_argument("--profiles", type=a.profiles, default=None, help="compare profiles: 'all' or a list: pef,cbam")
    p.add_argument("--factors", default=None, help="factor table CSV (default: shipped)")
    p.add_argument("--strict", action="store_true", help=STRICT_HELP)
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser("models", help="list the shipped models")
    p.add_argument("--schema", action="store_true", help="print the JSON Schema of the model format instead")
    p.set_defaults(func=_cmd_models)

    p = sub.add_parser("validation", help="each shipped model's footprint beside its published values")
    p.add_argument("--md", default=None, help="also write the table as Markdown (datasets/models/VALIDATION.md)")
    p.set_defaults(func=_cmd_validation)

    p = sub.add_parser("warmup", help="compile the numba kernels into the cache (make install runs it)")
    p.set_defaults(func=_cmd_warmup)

    add_factor_commands(sub)
    return parser


def main(argv=None):
    """Entry point of the ``pcflab`` command; returns the exit code."""
    _printable_streams()
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    debug = "--debug" in argv  # accepted anywhere on the line
    argv = [x for x in argv if x != "--debug"]
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return 2
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            return args.func(args)
    except (a.UsageError, PcfError) as exc:
        if debug:
            raise
        print("error: " + "; ".join(line.strip() for line in str(exc).splitlines() if line.strip()), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of stdout went away (`pcflab run ... | head`): stop quietly, as Unix tools
        # do. Python would report the pipe again when it flushes stdout at exit: point stdout
        # at /dev/null first.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except Exception as exc:
        if debug:
            raise
        print(f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)", file=sys.stderr)
        return 1


_default_showwarning = warnings.showwarning


def _show_warning(message, category, filename, lineno, file=None, line=None):
    """Write a ``ModelWarning`` as one ``warning:`` line (it names the model file), others as Python does."""
    if issubclass(category, ModelWarning):
        print(f"warning: {message}", file=sys.stderr)
    else:
        _default_showwarning(message, category, filename, lineno, file, line)
