"""Reports: a parameterised notebook executed by papermill, rendered by nbconvert.

A report is written to a staging folder next to its destination,
``.<name>.staging-<pid>-<start>-*`` (the owner's process id and start time in its name),
and moved into place only when it succeeded, so a failed or killed run never leaves a
partial report at the destination; a failed run's notebook is kept in
``<out>/report.failed/`` (the previous report beside it untouched) and the next good run
replaces the whole folder. Each run first removes the staging folders of runs whose
process is gone. The notebook kernel is started by ``pcflab.reporting._kernel``, which dies
with the report process.
"""

import importlib.resources
import json
import os
import shutil
import tempfile
import warnings
from pathlib import Path

from pydantic import BaseModel, ConfigDict, model_validator

from pcflab.core import ReportError, renamed_arguments

__all__ = [
    "ReportParameters",
    "check_parameter_values",
    "clean_stale_staging",
    "default_output_dir",
    "notebook_path",
    "report_name",
    "resolve_report",
    "run_report",
]


def notebook_path(name):
    """Path of a shipped notebook (``steel``, ``product`` ...) or of a given ``.ipynb`` file."""
    p = Path(name)
    if p.suffix == ".ipynb" and p.is_file():
        return p
    shipped = Path(str(importlib.resources.files("pcflab.notebooks").joinpath(f"{name}.ipynb")))
    if shipped.is_file():
        return shipped
    raise ReportError(
        f"no notebook named {str(name)!r}",
        hint="give a shipped notebook name (steel, aluminium, tyres, textiles, product) or a .ipynb file",
    )


def report_name(model):
    """Folder name of a model's report: its id with '/' replaced by '-'."""
    from pcflab.models import ProductSystem, load_model

    m = model if isinstance(model, ProductSystem) else load_model(model)
    return m.id.replace("/", "-")


def _template_dir():
    return Path(str(importlib.resources.files("pcflab.reports").joinpath("templates")))


def _to_html(notebook_file, html_file):
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(notebook_file, as_version=4)
    exporter = HTMLExporter(template_name="pcflab", extra_template_basedirs=[str(_template_dir())])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(nb)
    html_file.write_text(body, encoding="utf-8")


def _start_time(pid):
    """Return a process's start time (clock ticks since boot on Linux), 0 where unknown, None if gone."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    return int(stat.rsplit(")", 1)[1].split()[19])


def _owner_tag():
    pid = os.getpid()
    return f"{pid}-{_start_time(pid)}"


def _owner_alive(tag):
    try:
        pid, start = (int(x) for x in tag.split("-")[:2])
    except ValueError:
        return False
    now = _start_time(pid)
    return now is not None and (start == 0 or now == 0 or now == start)


def clean_stale_staging(out_dir):
    """Remove the staging and backup folders of ``out_dir`` left by runs that are gone.

    A backup (the previous report, moved aside for the swap) of a run killed in the middle
    of the swap is put back when ``out_dir`` is missing.

    Parameters
    ----------
    out_dir : Path
        A report's destination folder.

    Returns
    -------
    list of Path
        The folders removed or put back.
    """
    done = []
    for kind in ("staging", "old"):
        for folder in sorted(out_dir.parent.glob(f".{out_dir.name}.{kind}-*")):
            if _owner_alive(folder.name.rsplit(f".{kind}-", 1)[1]):
                continue
            if kind == "old" and not out_dir.exists():
                os.replace(folder, out_dir)
            else:
                shutil.rmtree(folder, ignore_errors=True)
            done.append(folder)
    return done


def _swap_into_place(staging, out_dir):
    backup = None
    if out_dir.exists():
        backup = out_dir.with_name(f".{out_dir.name}.old-{_owner_tag()}-{staging.name.rsplit('-', 1)[1]}")
        os.replace(out_dir, backup)
    os.replace(staging, out_dir)
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)


def _keep_failed(staging, out_dir):
    """Move a failed run's staging folder to ``<out>/report.failed`` and return that path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    failed = out_dir / "report.failed"
    shutil.rmtree(failed, ignore_errors=True)
    os.replace(staging, failed)
    return failed


def _absolute_inputs(model, parameters):
    """Model and scheme files as absolute paths: the notebook runs in its staging folder."""
    if isinstance(model, str | os.PathLike) and Path(model).is_file():
        model = str(Path(model).resolve())
    if isinstance(parameters.get("schemes"), list | tuple):
        parameters["schemes"] = [str(Path(s).resolve()) if Path(s).is_file() else s for s in parameters["schemes"]]
    return model


def _json_typed(value, where):
    """Check that a parameter value is made of JSON types only (finite numbers, str keys)."""
    if value is None or isinstance(value, bool | int | str):
        return
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            _bad(where, value, "a finite number")
        return
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _json_typed(item, f"{where}[{i}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                _bad(where, value, "a mapping with string keys")
            _json_typed(item, f"{where}.{key}")
        return
    _bad(where, value, "a JSON value: null, true/false, a number, a string, a list or a mapping")


def check_parameter_values(parameters):
    """Check that notebook parameters can be written into a notebook as constants only.

    Names must be Python identifiers (not keywords) and values JSON-typed, so that
    papermill's injected cell holds nothing but ``name = constant`` lines.

    Parameters
    ----------
    parameters : dict
        Notebook parameters.

    Raises
    ------
    ReportError
        Naming the parameter (``field``).
    """
    import keyword

    for name, value in parameters.items():
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            raise ReportError(
                f"report parameter name {name!r} is not a Python identifier",
                field=str(name),
                hint="parameter names are letters, digits and '_', such as n_samples",
            )
        _json_typed(value, name)


def resolve_report(model, notebook=None, parameters=None):
    """Check a report's parameters and fill in what the model's sector decides.

    Everything is checked before anything runs: parameter names and values
    (``check_parameter_values``), the model, the notebook's declared parameters, each
    parameter's type and range (``ReportParameters``), the class schemes (by default
    those of the product's sector, ``default_schemes``; given ones must fit its sector and
    unit, ``check_schemes``) and the scenario (``scenario_model``).

    Parameters
    ----------
    model : str or Path
        Model file or shipped model name.
    notebook : str or Path, optional
        Shipped notebook name or ``.ipynb`` file; by default the notebook of the model's
        sector (``sector_notebook``).
    parameters : dict, optional
        Notebook parameters, ``n_samples`` and ``seed`` among them.

    Returns
    -------
    tuple of (Path, dict)
        The notebook file and the complete parameters (``model`` and ``schemes`` filled in).

    Raises
    ------
    ReportError
        One message naming the parameter that is wrong.
    """
    import papermill as pm

    from pcflab.models import load_model

    from ._levers import check_schemes, default_schemes, scenario_model, sector_notebook

    parameters = dict(parameters or {})
    check_parameter_values(parameters)
    if not isinstance(model, str | os.PathLike) or not str(model):
        _bad("model", model, "a model file or shipped model name")
    model = _absolute_inputs(model, parameters)
    try:
        system = load_model(model)
    except ReportError:
        raise
    except Exception as exc:
        raise ReportError(
            f"report parameter model={str(model)!r}: {str(exc).splitlines()[0]}",
            field="model",
            hint="give a model file or a shipped model name (pcflab models lists them)",
        ) from exc
    nb_file = notebook_path(notebook if notebook is not None else sector_notebook(system))
    params = {"model": str(model), **parameters}
    declared = pm.inspect_notebook(str(nb_file))
    if "n_samples" not in declared and "samples" in declared:  # a notebook of pcflab 0.1
        params["samples"] = params.pop("n_samples")
    unknown = sorted(set(params) - set(declared) - {"output_dir"})
    if unknown:
        raise ReportError(
            f"unknown notebook parameter(s): {', '.join(unknown)}",
            file=nb_file,
            field=unknown[0],
            hint=f"the notebook's parameters are: {', '.join(sorted(declared))}",
        )
    checked = {k: v for k, v in params.items() if k in ReportParameters.model_fields and k != "output_dir"}
    checked.setdefault("n_samples", params.get("samples", 10_000))
    checked.setdefault("seed", 42)
    ReportParameters(**checked, output_dir=".")
    if "schemes" in declared:
        if params.get("schemes") is None:
            params["schemes"] = default_schemes(system)
        else:
            check_schemes(params["schemes"], system)
    if params.get("scenario"):
        scenario_model(system, params["scenario"])
    return nb_file, params


@renamed_arguments("0.2", samples="n_samples")
def run_report(
    model="steel/bf-bof-hot-rolled-coil",
    notebook=None,
    out_dir=None,
    n_samples=10_000,
    seed=42,
    parameters=None,
    progress=False,
    kernel_name="python3",
):
    """Execute a parameterised notebook for a model and render it as HTML.

    Parameters
    ----------
    model : str
        Model file or shipped model name.
    notebook : str, optional
        Shipped notebook name or path to a ``.ipynb`` file; by default the notebook of
        the model's sector (``steel``, ``aluminium``, ``tyres``, ``textiles``; ``product``
        for the others).
    out_dir : str or Path, optional
        Destination folder; ``reports/<model id with '-'>`` in the working directory
        by default.
    n_samples : int
        Monte Carlo samples (``samples``, its old name, works with a
        ``DeprecationWarning`` until pcflab 0.3).
    seed : int
        Seed of the Monte Carlo run.
    parameters : dict, optional
        Further notebook parameters, checked before anything runs (``resolve_report``):
        names must be the notebook's, values JSON-typed and of the parameter's type. A
        ``samples`` key is taken as ``n_samples`` (with a ``DeprecationWarning``); a
        notebook that still declares ``samples`` instead of ``n_samples`` is given it
        under its old name. Class schemes default to those of the product's sector.
    progress : bool
        Show papermill's cell progress bar.
    kernel_name : str
        Jupyter kernel to execute with.

    Returns
    -------
    Path
        The ``report.html`` written.

    Raises
    ------
    ReportError
        For a bad parameter (before running) or a failed cell (the failed notebook is kept).
    """
    import papermill as pm

    parameters = dict(parameters or {})
    if "samples" in parameters:
        if "n_samples" in parameters:
            raise TypeError("run_report got both parameters 'samples' and 'n_samples': give 'n_samples' only")
        warnings.warn(
            "run_report(parameters={'samples': ...}) is deprecated since pcflab 0.2: use n_samples=...",
            DeprecationWarning,
            stacklevel=3,
        )
        n_samples = parameters.pop("samples")
    parameters = {"n_samples": n_samples, "seed": seed, **parameters}
    nb_file, params = resolve_report(model, notebook, parameters)
    model = params["model"]
    out_dir = Path(out_dir) if out_dir is not None else Path("reports") / report_name(model)
    out_dir = out_dir.resolve()
    if out_dir.exists() and not out_dir.is_dir():
        raise ReportError(f"the output folder {str(out_dir)!r} is a file", hint="give a folder with --out")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_staging(out_dir)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-{_owner_tag()}-", dir=out_dir.parent))
    staging.chmod(0o755)
    params["output_dir"] = str(staging)
    executed = staging / "report.ipynb"
    try:
        _execute(pm, nb_file, executed, params, kernel_name, staging, progress)
        _to_html(executed, staging / "report.html")
    except BaseException as exc:
        if not isinstance(exc, Exception):  # KeyboardInterrupt, SystemExit: no report, no staging
            shutil.rmtree(staging, ignore_errors=True)
            raise
        failed = _keep_failed(staging, out_dir)
        detail = getattr(exc, "evalue", None) or str(exc).strip().splitlines()[-1:]
        raise ReportError(
            f"the report of {model} failed: {detail}",
            file=failed / "report.ipynb",
            hint="open the failed notebook to see the cell that failed; "
            "the previous report (if any) was left untouched",
        ) from exc
    meta = {"model": str(model), "notebook": str(nb_file.name), "parameters": params | {"output_dir": "."}}
    (staging / "run.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    _swap_into_place(staging, out_dir)
    return out_dir / "report.html"


def _kernel_manager_class():
    from jupyter_client.manager import AsyncKernelManager

    class _DiesWithParent(AsyncKernelManager):
        """Starts ``python -m ipykernel_launcher`` kernels through ``pcflab.reporting._kernel``."""

        def format_kernel_cmd(self, extra_arguments=None):
            cmd = super().format_kernel_cmd(extra_arguments)
            if cmd[1:3] == ["-m", "ipykernel_launcher"]:
                cmd[1:3] = ["-m", "pcflab.reporting._kernel"]
            return cmd

    return _DiesWithParent


def _execute(pm, nb_file, executed, params, kernel_name, cwd, progress):
    """Execute the notebook with papermill in ``cwd``, its kernel bound to this process."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=RuntimeWarning, module="jupyter_client")
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="jupyter_client|zmq|nbclient")
        pm.execute_notebook(
            str(nb_file),
            str(executed),
            parameters=params,
            kernel_name=kernel_name,
            cwd=str(cwd),
            progress_bar=progress,
            log_output=False,
            kernel_manager_class=_kernel_manager_class(),
        )


def default_output_dir(model):
    """Where a notebook run by hand writes its results: never into ``notebooks/``.

    Parameters
    ----------
    model : str
        Model file or shipped model name.

    Returns
    -------
    Path
        ``$PCFLAB_OUTPUT_DIR/<name>`` when that variable is set, else
        ``<checkout>/reports/out/<name>`` when pcflab runs from its source checkout, else
        ``reports/out/<name>`` in the working directory (``<name>``: the model id with '/'
        replaced by '-', or the file's stem when the model cannot be read). The folder is
        created when the results are written.
    """
    try:
        name = report_name(model)
    except Exception:  # the notebook reports the bad model itself
        name = Path(str(model)).stem or "report"
    if os.environ.get("PCFLAB_OUTPUT_DIR"):
        return Path(os.environ["PCFLAB_OUTPUT_DIR"]) / name
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "pyproject.toml").is_file() and (checkout / "notebooks").is_dir():
        return checkout / "reports" / "out" / name
    return Path("reports") / "out" / name


_POSITIONAL = ("model", "n_samples", "seed", "gwp_set", "output_dir", "sobol_n", "schemes")


def _bad(name, value, must):
    raise ReportError(
        f"report parameter {name}={value!r} is invalid: it must be {must}",
        field=name,
        hint=f"give -p {name}=<value> (pcflab report) or fix the call",
    )


def _renamed_samples(data, stacklevel):
    if "samples" in data:
        if "n_samples" in data:
            raise TypeError("ReportParameters got both 'samples' and its new name 'n_samples': give 'n_samples' only")
        warnings.warn(
            "ReportParameters(samples=...) is deprecated since pcflab 0.2: use n_samples=...",
            DeprecationWarning,
            stacklevel=stacklevel + 1,
        )
        data = dict(data)
        data["n_samples"] = data.pop("samples")
    return data


_SAMPLERS = ("random", "lhs", "sobol")
_DISCLOSURES = ("verifier", "public")
_LANGUAGES = ("en",)


def _check_options(data):
    """Check the sampler, scenario, disclosure and language of a report's parameters."""
    sampler, scenario = data.get("sampler", "random"), data.get("scenario", {})
    if sampler not in _SAMPLERS:
        _bad("sampler", sampler, f"one of {', '.join(_SAMPLERS)}")
    if not isinstance(scenario, dict) or not all(isinstance(k, str) and k for k in scenario):
        _bad("scenario", scenario, '{} or a mapping such as {"scrap_share": 0.3} or {"<factor id>": "<factor id>"}')
    for key, value in scenario.items():
        if isinstance(value, bool) or not isinstance(value, int | float | str) or value != value:
            _bad(f"scenario.{key}", value, "a number (a parameter's value) or a string (a factor id)")
    if data.get("disclosure", "verifier") not in _DISCLOSURES:
        _bad("disclosure", data.get("disclosure"), f"one of {', '.join(_DISCLOSURES)}")
    if data.get("lang", "en") not in _LANGUAGES:
        _bad("lang", data.get("lang"), "'en' (Chinese reports come with the next release)")


class ReportParameters(BaseModel):
    """Validated parameters of a footprint report notebook.

    Parameters
    ----------
    model : str
        Model file or shipped model name.
    n_samples : int
        Monte Carlo samples (>= 100). ``samples`` is its deprecated name.
    seed : int
        Seed (0 <= seed < 2**64).
    gwp_set : {"AR4", "AR5", "AR6"}
        GWP100 set (``pcflab.methods.GWP_SETS``).
    output_dir : str or Path, optional
        Folder where the notebook writes its results files. Empty or left out: the
        default of ``default_output_dir`` (``$PCFLAB_OUTPUT_DIR/<model>``, else
        ``reports/out/<model>`` of the source checkout), never the notebook's folder;
        ``run_report`` passes its staging folder.
    sobol_n : int
        Sobol base sample size of the sensitivity section (a power of two >= 16; the model
        runs N (k + 2) times for k uncertain quantities), or 0 to leave the section out.
    schemes : sequence of str, optional
        Class schemes the product is graded under (ids of ``pcflab.methods.list_schemes()``
        or scheme files); ``None`` (default): the schemes of the product's sector
        (``default_schemes``).
    profile : str
        Method profile (a key of ``pcflab.methods.PROFILES``; ``iso14067`` by default).
    sampler : {"random", "lhs", "sobol"}
        Monte Carlo sampler.
    scenario : dict
        The sector's lever as a scenario: ``{}`` for the sector's own lever
        (``sector_lever``), ``{parameter: number}`` or ``{factor id: factor id}``
        (``scenario_model``).
    disclosure : {"verifier", "public"}
        ``verifier`` shows everything; ``public`` leaves out the activity data (parameter
        values and exchange amounts) and shows results, data quality and method.
    lang : {"en"}
        Language of the report (a placeholder: Chinese comes with the next issue).

    Raises
    ------
    ReportError
        Naming the parameter that is wrong and what it must be.
    """

    model_config = ConfigDict(extra="forbid")

    model: str
    n_samples: int
    seed: int
    gwp_set: str = "AR6"
    output_dir: Path = None
    sobol_n: int = 0
    schemes: list[str] | None = None
    profile: str = "iso14067"
    sampler: str = "random"
    scenario: dict = {}
    disclosure: str = "verifier"
    lang: str = "en"

    def __init__(self, *args, **data):
        if len(args) > len(_POSITIONAL):
            raise TypeError(f"ReportParameters takes at most {len(_POSITIONAL)} positional arguments")
        data = _renamed_samples(data, stacklevel=2)
        for name, value in zip(_POSITIONAL, args, strict=False):
            if name in data:
                raise TypeError(f"ReportParameters got multiple values for {name!r}")
            data[name] = value
        super().__init__(**data)

    @model_validator(mode="before")
    @classmethod
    def _check(cls, data):
        from pcflab.methods import GWP_SETS, PROFILES, list_schemes

        if not isinstance(data, dict):
            return data
        data = _renamed_samples(data, stacklevel=8)
        unknown = sorted(set(data) - set(cls.model_fields))
        if unknown:
            raise ReportError(
                f"unknown report parameter(s): {', '.join(unknown)}",
                field=unknown[0],
                hint=f"the parameters are: {', '.join(cls.model_fields)}",
            )
        model = data.get("model")
        n_samples, seed = data.get("n_samples"), data.get("seed")
        gwp_set, profile = data.get("gwp_set", "AR6"), data.get("profile", "iso14067")
        sobol_n, schemes = data.get("sobol_n", 0), data.get("schemes")
        if not isinstance(model, str) or not model:
            _bad("model", model, "a model file or shipped model name")
        if isinstance(n_samples, bool) or not isinstance(n_samples, int) or n_samples < 100:
            _bad("n_samples", n_samples, "an integer >= 100")
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**64:
            _bad("seed", seed, "an integer between 0 and 2**64 - 1")
        if gwp_set not in GWP_SETS:
            _bad("gwp_set", gwp_set, f"one of {', '.join(GWP_SETS)}")
        if not isinstance(profile, str) or profile not in PROFILES:
            _bad("profile", profile, f"one of {', '.join(PROFILES)}")
        is_int = isinstance(sobol_n, int) and not isinstance(sobol_n, bool)
        if not is_int or (sobol_n != 0 and (sobol_n < 16 or sobol_n & (sobol_n - 1))):
            _bad("sobol_n", sobol_n, "0 (no sensitivity section) or a power of two >= 16, such as 256")
        if schemes is not None:
            if isinstance(schemes, str) or not isinstance(schemes, list | tuple):
                _bad("schemes", schemes, "a list of scheme ids or scheme files")
            if not all(isinstance(x, str) for x in schemes):
                _bad("schemes", schemes, "a list of scheme ids or scheme files")
            known = set(list_schemes())
            for x in schemes:
                if x not in known and not Path(x).is_file():
                    _bad("schemes", x, f"a scheme file or one of the shipped schemes: {', '.join(sorted(known))}")
            schemes = list(schemes)
        _check_options(data)
        output_dir = data.get("output_dir")
        if output_dir is None or (isinstance(output_dir, str) and not output_dir.strip()):
            output_dir = default_output_dir(model)
        if not isinstance(output_dir, str | os.PathLike):
            _bad("output_dir", data["output_dir"], "a folder path")
        return data | {"schemes": schemes, "output_dir": output_dir}

    @property
    def samples(self):
        """Deprecated name of ``n_samples`` [1]."""
        warnings.warn(
            "ReportParameters.samples is deprecated since pcflab 0.2: use n_samples", DeprecationWarning, stacklevel=2
        )
        return self.n_samples
