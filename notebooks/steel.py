# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Carbon footprint report: steel
#
# A pcflab report of one product: the deterministic footprint by life-cycle stage and gas
# (IPCC GWP100); its uncertainty from a seeded Monte Carlo run; what drives the footprint
# and its uncertainty (contributions, tornado, rank correlations, Sobol indices); the data
# quality of the result; and the product's class under published and pcflab class schemes,
# with the probability of each class. Run it with other parameters through papermill or
# `pcflab report MODEL --samples N --seed S`.

# %% tags=["parameters"]
model = "steel/bf-bof-hot-rolled-coil"  # model file or shipped model name
samples = 10_000  # Monte Carlo samples
seed = 42  # seed of the Monte Carlo run
gwp_set = "AR6"  # GWP100 set: AR4, AR5 or AR6
output_dir = "."  # where results.nc and summary.json are written
sobol_n = 256  # Sobol base sample size (power of two; 0 leaves the Sobol section out)
schemes = [  # class schemes to grade the product under (pcflab.methods.list_schemes())
    "pcflab-percentile-steel",
    "responsiblesteel-progress-levels-2025",
    "espr-steel-hrc-2026-draft",
]

# %%
import json
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, SVG, Markdown, display
from matplotlib_inline.backend_inline import set_matplotlib_formats

import pcflab
from pcflab.methods import STAGE_NAMES_ZH, STAGES

set_matplotlib_formats("svg")
params = pcflab.ReportParameters(
    model=model,
    samples=samples,
    seed=seed,
    gwp_set=gwp_set,
    output_dir=output_dir,
    sobol_n=sobol_n,
    schemes=schemes,
)
factors = pcflab.load_factors()
system = pcflab.load_model(params.model)
compiled = pcflab.compile_model(system, factors)


def table(frame, digits=1):
    """Render a DataFrame as a plain HTML table."""
    return HTML(frame.to_html(classes="pcf-table", float_format=lambda v: f"{v:,.{digits}f}", border=0))


def show(axes):
    """Display a figure (explicitly, so it shows whatever MPLBACKEND says) and close it."""
    display(axes.figure)
    plt.close(axes.figure)


display(
    Markdown(f"""
## {system.name}

{system.name_zh or ""}

**Functional unit:** {system.functional_unit.amount:g} {system.functional_unit.unit},
{system.functional_unit.description}. **Region:** {system.region}. **Reference year:** {system.year}.
**GWP:** IPCC {params.gwp_set} GWP100.

{system.description}
""")
)

# %% [markdown]
# ## Deterministic footprint

# %%
det = pcflab.footprint(compiled, gwp_set=params.gwp_set)
det_total = float(det["gwp100"].sum())
by_stage = det["gwp100"].groupby("stage").sum().sum("gas").to_series().reindex(list(STAGES), fill_value=0.0)
stage_table = pd.DataFrame(
    {
        "stage (GB/T 24067)": [STAGE_NAMES_ZH[s] for s in STAGES],
        "kg CO2e": by_stage.values,
        "share %": 100 * by_stage.values / det_total,
    },
    index=[s.replace("_", " ") for s in STAGES],
)
display(Markdown(f"**Footprint: {det_total:,.1f} kg CO2e per functional unit.**"))
display(table(stage_table))

# %%
show(pcflab.plot_stages(det))

# %%
by_process = det["gwp100"].sum("gas").to_series()
process_table = pd.DataFrame(
    {
        "process": det["process_name"].values,
        "stage": det["stage"].values,
        "kg CO2e": by_process.values,
        "share %": 100 * by_process.values / det_total,
    },
    index=det["process"].values,
)
gas_totals = det["gwp100"].sum("process").to_series()
gas_table = pd.DataFrame(
    {
        "kg gas": det["mass"].sum("process").to_series(),
        "kg CO2e": gas_totals,
    }
)
gas_table = gas_table[gas_table["kg CO2e"] != 0]
display(Markdown("### By process"))
display(table(process_table))
display(Markdown("### By gas (`co2e`: factors published already characterised)"))
display(table(gas_table, digits=3))

# %% [markdown]
# ## Uncertainty (Monte Carlo)

# %%
mc = pcflab.simulate(compiled, params.samples, params.seed, gwp_set=params.gwp_set, record="all")
stats = pcflab.summary(mc)
stats_table = pd.DataFrame(
    {"kg CO2e": [det_total, stats["mean"], stats["median"], stats["sd"], stats["lower"], stats["upper"]]},
    index=["deterministic", "mean", "median", "standard deviation", "2.5 % quantile", "97.5 % quantile"],
)
display(
    Markdown(
        f"**{stats['mean']:,.1f} kg CO2e** (mean of {stats['n']:,} samples, seed {params.seed}); "
        f"95 % interval **{stats['lower']:,.1f} – {stats['upper']:,.1f} kg CO2e**; "
        f"{mc.attrs['n_uncertain']} uncertain quantities."
    )
)
display(table(stats_table))

# %%
show(pcflab.plot_histogram(mc))

# %% [markdown]
# ### Convergence
#
# The running mean with its 95 % band and the running quantiles: flat lines in a narrow
# band mean the sample count is enough for the figures above.

# %%
show(pcflab.plot_convergence(mc))
errors = pcflab.standard_errors(mc)
display(
    Markdown(
        f"Standard error of the mean: {errors['se_mean']:,.2f} kg CO2e "
        f"({100 * errors['se_mean'] / abs(errors['mean']):.2f} % of the mean)."
    )
)

# %% [markdown]
# ## What drives the footprint
#
# ### Contributions by emission factor
#
# Deterministic contributions of each emission factor (direct emissions of the processes
# together); negative values are credits.

# %%
by_factor = pcflab.contributions(compiled, by="factor", gwp_set=params.gwp_set)
factor_share = by_factor[["gwp100", "share"]].head(12).rename(columns={"gwp100": "kg CO2e"})
factor_share["share %"] = 100 * factor_share.pop("share")
display(table(factor_share))

# %% [markdown]
# ### Tornado: one quantity at a time between its 5th and 95th percentiles

# %%
swings = pcflab.tornado(compiled, gwp_set=params.gwp_set)
show(pcflab.plot_tornado(swings, top=12))

# %% [markdown]
# ### Share of the variance (squared rank correlation with the total)

# %%
shares = pcflab.variance_shares(mc, model=compiled)
show(pcflab.plot_variance_shares(shares, top=12))
display(
    Markdown(
        f"Σρ² = {shares.attrs['rho2_sum']:.2f}: the part of the variance (of the ranks) the quantities "
        "explain additively; well below one means interactions, and the Sobol indices below say more."
    )
)

# %% [markdown]
# ### Global sensitivity (Sobol indices, SALib)
#
# First-order (S1) and total (ST) indices with 95 % bootstrap intervals; ST well above S1
# means the quantity acts through interactions.

# %%
sobol = None
if params.sobol_n:
    sobol = pcflab.sensitivity(compiled, "sobol", n=params.sobol_n, seed=params.seed, gwp_set=params.gwp_set)
    show(pcflab.plot_sobol(sobol, top=12))
    top = sobol[["S1", "S1_conf", "ST", "ST_conf"]].to_dataframe()
    top = top[["process", "S1", "S1_conf", "ST", "ST_conf"]].head(10)
    display(
        Markdown(
            f"{sobol.attrs['runs']:,} model runs (N = {params.sobol_n}, {sobol.sizes['input']} quantities, "
            f"seed {params.seed})."
        )
    )
    display(table(top, digits=3))
else:
    display(Markdown("Left out (`sobol_n = 0`)."))

# %% [markdown]
# ## Data quality
#
# The product's data quality rating (DQR, PEF: 1 excellent … 5 very poor) as the
# contribution-weighted mean of its inputs' ratings; the shares of the footprint from
# primary (site) data and from metrologically traceable data; the share excluded by cut-off.

# %%
quality = pcflab.data_quality(compiled, gwp_set=params.gwp_set)
display(Markdown(f"**{quality}.**"))
for note in quality.notes:
    display(Markdown(f"- {note}"))
quality_table = quality.table
if not quality_table.empty:
    quality_table = quality_table.head(12).set_index("process")
    quality_table["share %"] = 100 * quality_table["abs_share"]
    quality_table = quality_table.rename(columns={"gwp100": "kg CO2e", "factor_dqr": "DQR", "factor_tag": "tag"})
    columns = ["target", "share %", "data_type", "traceability", "DQR", "tag"]
    display(table(quality_table[columns], digits=2))

# %% [markdown]
# ## Footprint class
#
# The product's class under each scheme, deterministic and with its probability from the
# Monte Carlo run (each sample's footprint against that sample's thresholds: a sliding
# scale moves with the sampled scrap share).

# %%
grades = [pcflab.grade(compiled, sid, n_samples=params.samples, seed=params.seed) for sid in params.schemes]
grade_table = pd.DataFrame(
    [
        {
            "status": g.scheme_status.replace("_", " "),
            "footprint": f"{g.value:,.4g} {g.units}",
            "deterministic class": g.deterministic_class,
            "Monte Carlo": g.sentence,
        }
        for g in grades
    ],
    index=[g.scheme_id for g in grades],
)
if grades:
    display(HTML(grade_table.to_html(classes="pcf-table", border=0)))
for g in grades:
    display(Markdown(f"#### {g.scheme_name}\n\n" + "\n".join(f"- {note}" for note in g.notes)))
    show(pcflab.plot_class_probabilities(g))
if grades:
    display(SVG(pcflab.class_label_svg(grades[0], product_name=system.name)))

# %% [markdown]
# ## One inventory, every standard's result
#
# The same model under each method profile (GWP set, allocation, recycling, electricity,
# CBAM boundary); see `datasets/models/README.md`.

# %%
methods = pcflab.compare_methods(system, factors)
methods_table = methods[["gwp_set", "allocation", "recycling", "electricity", "total"]].copy()
methods_table["total"] = methods_table["total"].map(lambda v: f"{v:,.1f}")
methods_table = methods_table.rename(columns={"total": "kg CO2e"})
display(HTML(methods_table.to_html(classes="pcf-table", border=0)))

# %% [markdown]
# ## Data and provenance

# %%
used = factors.sel(factor=compiled.factor_ids)
factor_table = pd.DataFrame(
    [
        {
            "factor": f,
            "gas": g,
            "value": float(used["published_value"].sel(factor=f, gas=g)),
            "unit": f"{used['published_unit'].sel(factor=f, gas=g).item()}/{used['per'].sel(factor=f).item()}",
            "GSD": float(used["gsd"].sel(factor=f, gas=g)),
            "DQR": float(used["dqr"].sel(factor=f, gas=g)),
            "tag": used["tag"].sel(factor=f, gas=g).item(),
            "source": used["source"].sel(factor=f, gas=g).item(),
        }
        for f in compiled.factor_ids
        for g, _, _ in factors.gases_of(f)
    ]
).set_index("factor")
display(Markdown("### Emission factors used"))
for res in compiled.resolutions:
    display(
        Markdown(
            f"- `{res.key}` for {res.region} {res.year} → `{res.factor_id}`"
            + (f" ({'; '.join(res.substitutions)})" if res.substitutions else "")
        )
    )
display(HTML(factor_table.to_html(classes="pcf-table", border=0, float_format=lambda v: f"{v:g}")))
provenance = {
    k: mc.attrs[k]
    for k in (
        "model_id",
        "model_sha256",
        "factor_release",
        "factors_sha256",
        "gwp_set",
        "seed",
        "n_samples",
        "sampler",
        "pcflab_version",
        "numpy_version",
        "numba_version",
        "python_version",
    )
}
display(HTML('<div class="pcf-provenance">' + "<br>".join(f"{k}: {v}" for k, v in provenance.items()) + "</div>"))

# %%
out = Path(params.output_dir)
results = mc.copy()
results["deterministic"] = det["gwp100"]
results["deterministic"].attrs.update(units="kg CO2e", long_name="deterministic GWP100 by process and gas")
results.to_netcdf(out / "results.nc", encoding={v: {"zlib": True} for v in results.data_vars})
summary = {
    "model_id": system.id,
    "functional_unit": det.attrs["functional_unit"],
    "units": "kg CO2e per functional unit",
    "deterministic_total": det_total,
    "deterministic_by_stage": {s: float(v) for s, v in by_stage.items()},
    "monte_carlo": stats,
    "method_profiles": {name: float(v) for name, v in methods["total"].items()},
    "contributions_by_factor": {k: float(v) for k, v in by_factor["gwp100"].items()},
    "tornado_swing": {k: float(v) for k, v in swings["swing"].items()},
    "variance_shares": {k: float(v) for k, v in shares["share"].items()},
    "sobol": None
    if sobol is None
    else {
        name: {v: float(sobol[v].sel(input=name)) for v in ("S1", "S1_conf", "ST", "ST_conf")}
        for name in sobol["input"].values
    },
    "data_quality": quality.summary() | {"data_quality_notes": quality.notes},
    "grades": [g.as_dict() for g in grades],
    "provenance": provenance,
}
_ = (out / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
