# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.7
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
n_samples = 10_000  # Monte Carlo samples
seed = 42  # seed of the Monte Carlo run
gwp_set = "AR6"  # GWP100 set: AR4, AR5 or AR6
profile = "iso14067"  # method profile (pcflab.methods.PROFILES)
output_dir = ""  # results folder; "": $PCFLAB_OUTPUT_DIR/<model> or reports/out/<model>
sobol_n = 256  # Sobol base sample size (power of two; 0 leaves the Sobol section out)
schemes = [  # class schemes to grade the product under (pcflab.methods.list_schemes())
    "pcflab-percentile-steel",
    "responsiblesteel-progress-levels-2025",
    "espr-steel-hrc-2026-draft",
]

# %%
import matplotlib.pyplot as plt
from IPython.display import HTML, SVG, Markdown, display
from matplotlib_inline.backend_inline import set_matplotlib_formats

import pcflab

set_matplotlib_formats("svg")
params = pcflab.ReportParameters(
    model=model,
    n_samples=n_samples,
    seed=seed,
    gwp_set=gwp_set,
    profile=profile,
    output_dir=output_dir,
    sobol_n=sobol_n,
    schemes=schemes,
)
factors = pcflab.load_factors()
system = pcflab.load_model(params.model)
compiled = pcflab.compile_model(system, factors, params.profile)


KG = pcflab.format_unit("kg CO2e")  # kg CO₂e, as every table and figure writes it


def table(frame, digits=1):
    """Display a table of pcflab (``pcflab.*_table``) as a plain HTML table."""
    display(HTML(pcflab.html_table(frame, digits=digits)))


def show(axes):
    """Display a figure (explicitly, so it shows whatever MPLBACKEND says) and close it."""
    display(axes.figure)
    plt.close(axes.figure)


display(
    Markdown(f"""
## {system.name}

{system.name_zh or ""}

**Functional unit:** {system.functional_unit.amount:g} {pcflab.format_unit(system.functional_unit.unit)},
{system.functional_unit.description}. **Region:** {system.region}. **Reference year:** {system.year}.
**GWP:** IPCC {params.gwp_set} GWP100.

{system.description}
""")
)

# %% [markdown]
# ## Deterministic footprint
#
# The footprint with every quantity at its nominal value, by life-cycle stage (with the
# GB/T 24067 stage names), by process and by gas; shares are of the total.

# %%
det = pcflab.footprint(compiled, gwp_set=params.gwp_set)
det_total = float(det["gwp100"].sum())
display(Markdown(f"**Footprint: {det_total:,.1f} {KG} per functional unit.**"))
table(pcflab.stage_table(det))

# %%
show(pcflab.plot_stages(det))

# %%
display(Markdown("### By process"))
table(pcflab.process_table(det))
display(Markdown("### By gas (`co2e`: factors published already characterised)"))
table(pcflab.gas_table(det), digits=3)

# %% [markdown]
# ## Uncertainty (Monte Carlo)
#
# The distribution of the footprint when every uncertain quantity is drawn from its
# distribution; the table puts its statistics beside the deterministic value.

# %%
mc = pcflab.simulate(compiled, params.n_samples, params.seed, gwp_set=params.gwp_set, record="all")
stats = pcflab.summary(mc)
display(
    Markdown(
        f"**{stats['mean']:,.1f} {KG}** (mean of {stats['n']:,} samples, seed {params.seed}); "
        f"95 % interval **{stats['lower']:,.1f} – {stats['upper']:,.1f} {KG}**; "
        f"{mc.attrs['n_uncertain']} uncertain quantities."
    )
)
table(pcflab.statistics_table(det, stats))

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
        f"Standard error of the mean: {errors['se_mean']:,.2f} {KG} "
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
table(pcflab.contribution_table(by_factor, top=12))

# %% [markdown]
# ### Tornado: one quantity at a time between its 5th and 95th percentiles

# %%
swings = pcflab.tornado(compiled, gwp_set=params.gwp_set)
show(pcflab.plot_tornado(swings, top=12))

# %% [markdown]
# ### Share of the variance (squared rank correlation with the total)

# %%
shares = pcflab.variance_shares(compiled, gwp_set=params.gwp_set, result=mc)
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
    sobol = pcflab.sensitivity(compiled, "sobol", gwp_set=params.gwp_set, n_samples=params.sobol_n, seed=params.seed)
    show(pcflab.plot_sobol(sobol, top=12))
    display(
        Markdown(
            f"{sobol.attrs['runs']:,} model runs (N = {params.sobol_n}, {sobol.sizes['input']} quantities, "
            f"seed {params.seed})."
        )
    )
    table(pcflab.sobol_table(sobol, top=10), digits=3)
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
quality_table = pcflab.quality_table(quality, top=12)
if not quality_table.empty:
    table(quality_table, digits=2)

# %% [markdown]
# ## Footprint class
#
# The product's class under each scheme, deterministic and with its probability from the
# Monte Carlo run above, reused rather than run again (each sample's footprint against that
# sample's thresholds: a sliding scale moves with the sampled scrap share).

# %%
grades = [pcflab.grade(compiled, sid, gwp_set=params.gwp_set, result=mc) for sid in params.schemes]
if grades:
    table(pcflab.grade_table(grades))
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
table(pcflab.method_table(methods))

# %% [markdown]
# ## Data and provenance
#
# The emission factors the model uses: how each was chosen for the model's region and
# year, and its value as published, with the region and year of the data, its uncertainty
# (GSD of a lognormal), its data quality rating (DQR), source tag and source. Below them,
# the hashes and versions that reproduce this report; `results.nc` and `summary.json`
# next to it hold its numbers.

# %%
display(Markdown("### Emission factors used"))
for res in compiled.resolutions:
    display(
        Markdown(
            f"- `{res.key}` for {res.region} {res.year} → `{res.factor_id}`"
            + (f" ({'; '.join(res.substitutions)})" if res.substitutions else "")
        )
    )
table(pcflab.factor_table(compiled, factors), digits=None)
provenance = pcflab.report_provenance(mc)
display(HTML('<div class="pcf-provenance">' + "<br>".join(f"{k}: {v}" for k, v in provenance.items()) + "</div>"))

# %%
summary = pcflab.report_summary(
    det,
    mc,
    method_profiles=methods,
    contributions_by_factor=by_factor,
    tornado_swing=swings,
    variance_shares=shares,
    data_quality=quality,
    sobol=sobol,
    grades=grades,
)
_ = pcflab.write_report_outputs(params.output_dir, summary, mc, det)
