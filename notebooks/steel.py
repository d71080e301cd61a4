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
# A pcflab report of one steel product (blast furnace - basic oxygen furnace, or electric arc
# furnace route): what the product and its boundary are, the inventory and where its data
# come from, the footprint by stage, process and gas, the same inventory under every method
# profile, its uncertainty, what drives it, the quality of its data, its class under the
# steel schemes and what more scrap in the charge (or another power source for an EAF) would
# change. Run it for any steel model with `pcflab report steel/<model> -p n_samples=20000`.

# %% tags=["parameters"]
model = "steel/bf-bof-hot-rolled-coil"  # steel model file or shipped model name
profile = "iso14067"  # method profile (pcflab.methods.PROFILES)
gwp_set = "AR6"  # GWP100 set: AR4, AR5 or AR6
n_samples = 10_000  # Monte Carlo samples, at least 100
seed = 42  # seed of every sampled section
sampler = "random"  # Monte Carlo sampler: random, lhs or sobol
schemes = None  # class schemes; None: those that fit the product (pcflab-percentile-steel, ESPR, ...)
scenario = {}  # {}: more scrap (BOF) or green power (EAF); or {"hot_metal_per_steel": 0.8}
disclosure = "verifier"  # verifier: everything; public: no activity data
lang = "en"  # report language (placeholder: Chinese comes next)
sobol_n = 256  # Sobol base sample size (power of two; 0 leaves the Sobol indices out)
output_dir = ""  # results folder; "": $PCFLAB_OUTPUT_DIR/<model> or reports/out/<model>

# %%
import pcflab

report = pcflab.ReportSections.from_namespace(globals())  # the parameters above, checked
report.product()

# %% [markdown]
# ## Inventory and data sources

# %%
report.inventory(
    """
    The processes of the steel works (coke oven, sinter plant, blast furnace, converter and
    rolling mill; or the arc furnace) with their life-cycle stage, the activity data (coke,
    coal, electricity and gas per tonne, each with its uncertainty and source) and the emission
    factors they are multiplied by, as published, with region, year and data quality. A
    public report leaves the activity data out.
    """
)

# %% [markdown]
# ## Footprint by stage, process and gas

# %%
report.footprint(
    """
    The footprint with every quantity at its nominal value. For BF-BOF steel nearly all of it
    is fossil CO₂ of the iron making (coke and coal in the blast furnace): the stage and
    process tables show how much; the gas table shows how little methane and nitrous oxide add.
    """
)

# %% [markdown]
# ## One inventory, every method profile

# %%
report.methods(
    """
    The same steel inventory under each method profile (GWP set, allocation of the works'
    gases and slag, recycling of scrap, electricity accounting, the CBAM boundary). The
    spread is what the choice of standard alone moves, before any question of data.
    """
)

# %% [markdown]
# ## Uncertainty (Monte Carlo) and convergence

# %%
report.monte_carlo(
    """
    Every uncertain quantity drawn from its distribution, seeded. The histogram is the range
    of footprints the data allow; the 95 % interval is where nineteen in twenty of them fall.
    The convergence figure shows the running mean and quantiles: flat lines in a narrow band
    mean the sample count is enough for the numbers above.
    """
)

# %% [markdown]
# ## What drives it

# %%
report.drivers(
    """
    Which emission factors make up the footprint (contributions), which quantities swing it
    most one at a time (tornado), and which explain its uncertainty (variance shares, Sobol
    indices): for steel, usually the coke and coal rates and the factors of the coal.
    """
)

# %% [markdown]
# ## Data quality

# %%
report.data_quality(
    """
    The data quality rating (DQR, PEF: 1 excellent … 5 very poor) of the result, weighted by
    what each input contributes; the share from site (primary) data and from traceable
    measurement; what the cut-off left out. A high rating says the number rests on
    literature averages rather than this works' own records.
    """
)

# %% [markdown]
# ## Class, with its probability

# %%
report.classes(
    """
    The product's class under each steel scheme that fits it (pcflab's percentile tiers,
    the EU ESPR draft classes, ResponsibleSteel and others), deterministic and as a
    probability from the Monte Carlo run above: a product near a threshold is in one class
    only with a probability, and a sliding scale moves with the sampled scrap share.
    """
)

# %% [markdown]
# ## The steel lever: scrap share or route, with paired uncertainty

# %%
report.scenario(
    """
    The same product with more scrap in the converter charge (BF-BOF) or with renewable power
    (EAF, whose route is electricity), simulated with the same seed: every uncertain quantity
    the two share draws the same values, so the difference below is the lever's effect, not
    noise of two independent runs. An interval that excludes zero means the lever changes the
    footprint beyond the uncertainty of the data.
    """
)

# %% [markdown]
# ## Compared with its family

# %%
report.compare(
    """
    The product beside the other steel products with its functional unit (crude steel, coil,
    sheet, long products), simulated together: factors and parameters they share (coke, ore,
    grid power, converter yields) draw the same values in every sample, so a difference whose
    interval excludes zero is a real difference between the routes, not noise of the data.
    """
)

# %% [markdown]
# ## Provenance and results files

# %%
_ = report.outputs(
    """
    The hashes and versions that reproduce this report; `results.nc` and `summary.json`
    beside it hold its numbers.
    """
)
