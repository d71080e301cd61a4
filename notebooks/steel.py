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
# (IPCC GWP100), and its uncertainty from a seeded Monte Carlo run. Run it with other
# parameters through papermill or `pcflab report MODEL --samples N --seed S`.

# %% tags=["parameters"]
model = "steel/bf-bof-hot-rolled-coil"  # model file or shipped model name
samples = 10_000  # Monte Carlo samples
seed = 42  # seed of the Monte Carlo run
gwp_set = "AR6"  # GWP100 set: AR4, AR5 or AR6
output_dir = "."  # where results.nc and summary.json are written

# %%
import json
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, Markdown, display
from matplotlib_inline.backend_inline import set_matplotlib_formats

import pcflab
from pcflab.methods import STAGE_NAMES_ZH, STAGES

set_matplotlib_formats("svg")
params = pcflab.ReportParameters(model=model, samples=samples, seed=seed, gwp_set=gwp_set, output_dir=output_dir)
factors = pcflab.load_factors()
system = pcflab.load_model(params.model)
compiled = pcflab.compile_model(system, factors)


def table(frame, digits=1):
    """Render a DataFrame as a plain HTML table."""
    return HTML(frame.to_html(classes="pcf-table", float_format=lambda v: f"{v:,.{digits}f}", border=0))


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
figure = pcflab.plot_stages(det).figure
display(figure)  # explicit, so the figure shows whatever MPLBACKEND says
plt.close(figure)

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
mc = pcflab.simulate(compiled, params.samples, params.seed, gwp_set=params.gwp_set)
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
figure = pcflab.plot_histogram(mc).figure
display(figure)
plt.close(figure)

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
    "provenance": provenance,
}
_ = (out / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
