"""Display-ready tables of analysis results: the tables a report shows.

Each function takes the result of one analysis of ``pcflab.analysis`` and returns a
``pandas.DataFrame`` ready to show: labelled rows, the unit of every quantity column in
its name (``kg CO₂e`` is per functional unit, ``share %`` is a percentage of the
deterministic total) and in ``frame.attrs["units"]`` (column name -> unit).
``html_table`` renders a table as the plain HTML table of pcflab's report template.
"""

import re

import pandas as pd

from pcflab.core import format_unit
from pcflab.methods import STAGE_NAMES_ZH, STAGES

__all__ = [
    "contribution_table",
    "factor_table",
    "gas_table",
    "grade_table",
    "html_table",
    "method_table",
    "process_table",
    "quality_table",
    "sobol_table",
    "stage_table",
    "stage_totals",
    "statistics_table",
]

_CO2E = format_unit("kg CO2e per functional unit")
#: The column of a footprint [kg CO2e per functional unit]: ``kg CO₂e``.
_KG = format_unit("kg CO2e")


def _with_units(frame, **units):
    frame.attrs["units"] = units
    return frame


def stage_totals(deterministic):
    """Sum the GWP100 of each life-cycle stage, every stage of ``STAGES`` in order.

    Parameters
    ----------
    deterministic : xarray.Dataset
        A footprint (``pcflab.footprint``) with ``gwp100`` by process and gas.

    Returns
    -------
    pandas.Series
        GWP100 [kg CO2e per functional unit] by stage id; 0 for a stage without processes.
    """
    by_stage = deterministic["gwp100"].groupby("stage").sum().sum("gas").to_series()
    return by_stage.reindex(list(STAGES), fill_value=0.0)


def stage_table(deterministic):
    """Tabulate the footprint by life-cycle stage, with the GB/T 24067 Chinese stage names.

    Parameters
    ----------
    deterministic : xarray.Dataset
        A footprint (``pcflab.footprint``).

    Returns
    -------
    pandas.DataFrame
        One row per stage of ``pcflab.methods.STAGES`` (index: the stage id with spaces):
        ``stage (GB/T 24067)`` (Chinese name, ``STAGE_NAMES_ZH``), ``kg CO₂e`` [kg CO2e per
        functional unit] and ``share %`` [% of the total].
    """
    by_stage = stage_totals(deterministic)
    total = float(deterministic["gwp100"].sum())
    frame = pd.DataFrame(
        {
            "stage (GB/T 24067)": [STAGE_NAMES_ZH[s] for s in STAGES],
            _KG: by_stage.values,
            "share %": 100 * by_stage.values / total,
        },
        index=[s.replace("_", " ") for s in STAGES],
    )
    return _with_units(frame, **{_KG: _CO2E, "share %": "% of the total"})


def process_table(deterministic):
    """Tabulate the footprint by process.

    Parameters
    ----------
    deterministic : xarray.Dataset
        A footprint (``pcflab.footprint``).

    Returns
    -------
    pandas.DataFrame
        One row per process (index: the process id, in model order): ``process`` (its
        name), ``stage``, ``kg CO₂e`` [kg CO2e per functional unit] and ``share %`` [% of
        the total].
    """
    total = float(deterministic["gwp100"].sum())
    by_process = deterministic["gwp100"].sum("gas").to_series()
    frame = pd.DataFrame(
        {
            "process": deterministic["process_name"].values,
            "stage": deterministic["stage"].values,
            _KG: by_process.values,
            "share %": 100 * by_process.values / total,
        },
        index=deterministic["process"].values,
    )
    return _with_units(frame, **{_KG: _CO2E, "share %": "% of the total"})


def gas_table(deterministic):
    """Tabulate the footprint by gas, leaving out the gases without GWP100.

    Parameters
    ----------
    deterministic : xarray.Dataset
        A footprint (``pcflab.footprint``).

    Returns
    -------
    pandas.DataFrame
        One row per gas with a non-zero GWP100 (index: the gas; ``co2e`` holds the factors
        published already characterised): ``kg gas`` [kg of the gas per functional unit]
        and ``kg CO₂e`` [kg CO2e per functional unit].
    """
    frame = pd.DataFrame(
        {
            "kg gas": deterministic["mass"].sum("process").to_series(),
            _KG: deterministic["gwp100"].sum("process").to_series(),
        }
    )
    frame = frame[frame[_KG] != 0]
    return _with_units(frame, **{"kg gas": "kg of the gas per functional unit", _KG: _CO2E})


def statistics_table(deterministic, stats):
    """Tabulate the deterministic footprint next to the Monte Carlo statistics.

    Parameters
    ----------
    deterministic : xarray.Dataset
        A footprint (``pcflab.footprint``).
    stats : dict
        Monte Carlo statistics (``pcflab.summary``): ``mean``, ``median``, ``sd``,
        ``lower``, ``upper`` [kg CO2e per functional unit] and ``interval`` (the interval's
        level, e.g. 0.95).

    Returns
    -------
    pandas.DataFrame
        One column ``kg CO₂e`` [kg CO2e per functional unit]; rows ``deterministic``,
        ``mean``, ``median``, ``standard deviation`` and the quantiles that bound the
        interval (``2.5 % quantile`` and ``97.5 % quantile`` for a 95 % interval).
    """
    tail = 100 * (1 - stats["interval"]) / 2
    values = [float(deterministic["gwp100"].sum()), *(stats[k] for k in ("mean", "median", "sd", "lower", "upper"))]
    frame = pd.DataFrame(
        {_KG: values},
        index=[
            "deterministic",
            "mean",
            "median",
            "standard deviation",
            f"{tail:g} % quantile",
            f"{100 - tail:g} % quantile",
        ],
    )
    return _with_units(frame, **{_KG: _CO2E})


def contribution_table(contributions, top=12):
    """Tabulate the largest contributions (by factor, process, ... as computed).

    Parameters
    ----------
    contributions : pandas.DataFrame
        ``pcflab.contributions`` (``gwp100`` [kg CO2e] and ``share`` [1], largest first).
    top : int
        Number of rows kept.

    Returns
    -------
    pandas.DataFrame
        Same index; ``kg CO₂e`` [kg CO2e per functional unit] and ``share %`` [% of the
        total; negative for credits].
    """
    frame = contributions[["gwp100", "share"]].head(top).rename(columns={"gwp100": _KG})
    frame["share %"] = 100 * frame.pop("share")
    return _with_units(frame, **{_KG: _CO2E, "share %": "% of the total"})


def sobol_table(sobol, top=10):
    """Tabulate the Sobol indices of the quantities that matter most.

    An index whose confidence interval includes 0 (``|index| <= half-width``) is not
    distinguishable from 0 at the result's confidence level: the column ``reading`` says
    so, in words, for S1, ST or both.

    Parameters
    ----------
    sobol : xarray.Dataset
        ``pcflab.sensitivity(..., "sobol")``, inputs ranked most important first.
    top : int
        Number of inputs kept.

    Returns
    -------
    pandas.DataFrame
        Index ``input``; ``process``, the first-order and total indices ``S1``, ``ST``
        with the half-widths ``S1_conf``, ``ST_conf`` of their bootstrap intervals [1], and
        ``reading`` ("S1 not distinguishable from 0", "S1 and ST not distinguishable from
        0", or empty). ``frame.attrs["precision"]`` holds the result's precision note when
        its sample size was chosen for a target (``sensitivity(..., target_ci=...)``).
    """
    frame = sobol[["S1", "S1_conf", "ST", "ST_conf"]].to_dataframe()
    frame = frame[["process", "S1", "S1_conf", "ST", "ST_conf"]].head(top)
    zero = {v: (frame[v].abs() <= frame[f"{v}_conf"]).to_numpy() for v in ("S1", "ST")}
    readings = []
    for s1, st in zip(zero["S1"], zero["ST"], strict=True):
        which = " and ".join(v for v, z in (("S1", s1), ("ST", st)) if z)
        readings.append(f"{which} not distinguishable from 0" if which else "")
    frame["reading"] = readings
    frame = _with_units(frame, **dict.fromkeys(("S1", "S1_conf", "ST", "ST_conf"), "1"))
    if "precision" in sobol.attrs:
        frame.attrs["precision"] = str(sobol.attrs["precision"])
    return frame


def quality_table(quality, top=12):
    """Tabulate the data quality of the inputs that weigh most in the footprint.

    Parameters
    ----------
    quality : DataQuality
        ``pcflab.data_quality``.
    top : int
        Number of rows kept.

    Returns
    -------
    pandas.DataFrame
        Index ``process``; ``target`` (factor or gas), ``share %`` [% of the absolute
        contributions], ``data_type``, ``traceability``, the PEF DQR (1 excellent ... 5
        poor) in its two parts and combined: ``activity DQR`` (of the exchange's activity
        data, from its parameters' pedigree scores), ``dataset DQR`` (of the factor) and
        ``DQR`` (PEF's combination: TeR and GeR of the dataset, P of the activity data, TiR
        the mean of both; see ``pcflab.data_quality``), NaN where not rated; and ``tag`` of
        the factor (the product's three DQRs are in ``str(quality)`` and
        ``quality.summary()``). Empty (no columns) if the model has no inputs.
    """
    frame = quality.table
    if frame.empty:
        return _with_units(pd.DataFrame())
    frame = frame.head(top).set_index("process")
    frame["share %"] = 100 * frame["abs_share"]
    frame = frame.rename(
        columns={"activity_dqr": "activity DQR", "factor_dqr": "dataset DQR", "dqr": "DQR", "factor_tag": "tag"}
    )
    dqrs = ("activity DQR", "dataset DQR", "DQR")
    frame = frame[["target", "share %", "data_type", "traceability", *dqrs, "tag"]].copy()
    for col in dqrs:
        frame[col] = pd.to_numeric(frame[col], errors="coerce")
    units = {"share %": "% of the absolute contributions"} | dict.fromkeys(dqrs, "1 (excellent) to 5")
    return _with_units(frame, **units)


def grade_table(grades):
    """Tabulate the product's class under each scheme, deterministic and under uncertainty.

    Parameters
    ----------
    grades : sequence of GradeResult
        ``pcflab.grade`` of each scheme.

    Returns
    -------
    pandas.DataFrame
        Index: the scheme ids; ``status`` (in force, draft, ...), ``footprint`` (the
        value in the scheme's units, as text), ``deterministic class`` and ``Monte Carlo``
        (the sentence of the class and its probability).
    """
    frame = pd.DataFrame(
        [
            {
                "status": g.scheme_status.replace("_", " "),
                "footprint": f"{g.value:,.4g} {format_unit(g.units)}",
                "deterministic class": g.deterministic_class,
                "Monte Carlo": g.sentence,
            }
            for g in grades
        ],
        index=[g.scheme_id for g in grades],
    )
    return _with_units(frame)


def method_table(methods):
    """Tabulate the footprint under each method profile.

    Parameters
    ----------
    methods : pandas.DataFrame
        ``pcflab.compare_methods``.

    Returns
    -------
    pandas.DataFrame
        Index: the profiles; ``gwp_set``, ``allocation``, ``recycling``, ``electricity``
        and ``kg CO₂e`` [kg CO2e per functional unit].
    """
    frame = methods[["gwp_set", "allocation", "recycling", "electricity", "total"]].copy()
    frame = frame.rename(columns={"total": _KG})
    return _with_units(frame, **{_KG: _CO2E})


def _factor_name(factor_id):
    """Return the name part of a factor id: ``cn-sd/electricity/grid-co2/2021`` -> ``electricity/grid-co2``.

    Factor ids are ``region/category/name/version``; an id of fewer than three parts is its
    own name.
    """
    parts = str(factor_id).split("/")
    return "/".join(parts[1:-1]) if len(parts) >= 3 else str(factor_id)


def factor_table(compiled, factors=None):
    """Tabulate the emission factors a compiled model uses, one row per factor and gas.

    Parameters
    ----------
    compiled : CompiledModel
        ``pcflab.compile_model``; its ``factor_ids`` are the factors listed, in order.
    factors : FactorDB, optional
        The factor database (the one the model was compiled against by default).

    Returns
    -------
    pandas.DataFrame
        Index ``factor``, sorted by name (the id without its region and version), region,
        then year; ``gas``, ``value`` as published [``unit``], ``unit`` (published unit of
        the gas per unit of activity, readable: ``kg/m³``, ``kg/(t·km)``), ``region`` and
        ``year`` of the data,
        ``GSD`` (geometric standard deviation of its lognormal uncertainty [1]), ``DQR``
        (data quality rating, 1 excellent ... 5 very poor), ``tag`` (source tag) and
        ``source``.
    """
    factors = compiled.factor_table if factors is None else factors
    used = factors.sel(factor=list(compiled.factor_ids))
    rows = []
    for f in compiled.factor_ids:
        row = used.sel(factor=f)
        for g, _, _ in factors.gases_of(f):
            cell = row.sel(gas=g)
            rows.append(
                {
                    "factor": f,
                    "gas": g,
                    "value": float(cell["published_value"]),
                    "unit": format_unit(f"{cell['published_unit'].item()}/({row['per'].item()})"),
                    "region": str(row["region"].item()),
                    "year": int(row["year"].item()),
                    "GSD": float(cell["gsd"]),
                    "DQR": float(cell["dqr"]),
                    "tag": cell["tag"].item(),
                    "source": cell["source"].item(),
                }
            )
    columns = ["factor", "gas", "value", "unit", "region", "year", "GSD", "DQR", "tag", "source"]
    frame = pd.DataFrame(rows, columns=columns)
    # by name, region, then year; the gases of a factor stay in their order
    frame["_name"] = frame["factor"].map(_factor_name)
    frame["_gas"] = range(len(frame))
    frame = frame.sort_values(["_name", "region", "year", "factor", "_gas"], kind="stable")
    frame = frame.drop(columns=["_name", "_gas"]).set_index("factor")
    return _with_units(frame, value="the row's unit", GSD="1", DQR="1 (excellent) to 5")


def html_table(frame, digits=1):
    """Render a table as plain HTML (class ``pcf-table``), numbers with thousands separators.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table (one of this module's).
    digits : int or None
        Decimals of the floats; None writes them in the shortest general format (``:g``).

    Returns
    -------
    str
        An HTML ``<table>``; integers and text are written as they are. The row labels
        may break after a ``/`` (``<wbr>``), so that a table of factor ids fits the page.
    """
    if digits is None:

        def fmt(v):
            return f"{v:g}"
    else:

        def fmt(v):
            return f"{v:,.{digits}f}"

    html = frame.to_html(classes="pcf-table", float_format=fmt, border=0)
    head, sep, body = html.partition("<tbody>")
    body = re.sub(r"<th>([^<]*)</th>", lambda m: "<th>" + m[1].replace("/", "/<wbr>") + "</th>", body)
    return head + sep + body
