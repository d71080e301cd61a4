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
# # Carbon footprint report: a product of any sector
#
# The general pcflab report, for a model of any sector without a notebook of its own
# (cement, glass, chemicals, beer, appliances, auto parts, furniture, agriculture ...): the
# product and its boundary, the inventory and its sources, the footprint by stage, process
# and gas, the inventory under every method profile, its uncertainty, what drives it, its
# data quality, its class where a scheme fits, and green electricity as a scenario.

# %% tags=["parameters"]
model = "cement/po-42-5-cement"  # any model: file or shipped name (pcflab models)
disclosure = "verifier"  # who reads it: "verifier" (all) or "public" (no activity data)
lang = "en"  # "en" (other languages later)
gwp_set = "AR6"  # which IPCC GWP100 values
profile = "iso14067"  # which method profile
n_samples = 10_000  # how many Monte Carlo samples
seed = 42  # which seed
sampler = "random"  # which sampler
sobol_n = 256  # how large a Sobol design (0: none)
schemes = None  # which class schemes (None: those that fit the product)
scenario = {}  # which scenario ({}: green electricity where the model buys electricity)
output_dir = ""  # which folder for the results files

# %%
import pcflab

report = pcflab.ReportSections.from_namespace(globals())  # the parameters above, checked
report.product()

# %% [markdown]
# ## Inventory and data sources

# %%
report.inventory(
    """
    The processes of the model with their life-cycle stage, its activity data with their
    uncertainty and sources, and the emission factors they multiply, with region, year and
    quality. A public report leaves the activity data out.
    """
)

# %% [markdown]
# ## Footprint by stage, process and gas

# %%
report.footprint(
    """
    The footprint with every quantity at its nominal value, by stage (with the GB/T 24067
    stage names), by process and by gas; shares are of the total.
    """
)

# %% [markdown]
# ## One inventory, every method profile

# %%
report.methods(
    """
    The same inventory under each method profile (GWP set, allocation, recycling, electricity,
    CBAM boundary): what the choice of standard alone moves.
    """
)

# %% [markdown]
# ## Uncertainty (Monte Carlo) and convergence

# %%
report.monte_carlo(
    """
    Every uncertain quantity drawn from its distribution, seeded: the histogram is the range
    the data allow, the 95 % interval where nineteen in twenty footprints fall; flat lines in
    a narrow band mean enough samples.
    """
)

# %% [markdown]
# ## What drives it

# %%
report.drivers(
    """
    Which factors make up the footprint, which quantities swing it one at a time, and which
    explain its uncertainty.
    """
)

# %% [markdown]
# ## Data quality

# %%
report.data_quality(
    """
    The data quality rating (1 excellent … 5 very poor) weighted by contribution, with the
    shares of site and traceable data and the cut-off.
    """
)

# %% [markdown]
# ## Class, with its probability

# %%
report.classes(
    """
    The product's class under each scheme that fits its sector and unit, with its
    probability; where none fits, the section says so.
    """
)

# %% [markdown]
# ## Scenario: green electricity, with paired uncertainty

# %%
report.scenario(
    """
    The same product with its purchased electricity from wind power, simulated with the same
    seed so that every quantity the two share draws the same values: the difference and its
    interval are the lever's effect.
    """
)

# %% [markdown]
# ## Compared with its family

# %%
report.compare(
    """
    The product beside the other shipped products of its sector with the same functional unit,
    simulated together with shared draws of what they share; where the sector has no other
    product, the section says so.
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
