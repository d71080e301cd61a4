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
# # Carbon footprint report: textiles
#
# A pcflab report of one textile product (fibre, yarn, fabric, garment): its boundary, the
# inventory and its data sources, the footprint by stage, process and gas, the inventory
# under every method profile, its uncertainty, what drives it, its data quality, its class,
# and what another heat source for wet processing or another fibre would change.

# %% tags=["parameters"]
model = "textiles/cotton-t-shirt"  # textile model (file or shipped name)
scenario = {}  # {}: gas instead of coal boilers, or organic cotton; or {"<name>": value}
schemes = None  # None: pcflab-percentile-textiles for T-shirts; or scheme ids or files
profile = "iso14067"  # a key of pcflab.methods.PROFILES
gwp_set = "AR6"  # AR4 / AR5 / AR6
n_samples = 10_000  # Monte Carlo sample count, 100 or more
seed = 42  # seed
sampler = "random"  # random | lhs | sobol
sobol_n = 256  # Sobol indices' N, a power of two (0: none)
disclosure = "verifier"  # or "public" (no activity data)
lang = "en"  # language placeholder
output_dir = ""  # results folder ("": the default)

# %%
import pcflab

report = pcflab.ReportSections.from_namespace(globals())  # the parameters above, checked
report.product()

# %% [markdown]
# ## Inventory and data sources

# %%
report.inventory(
    """
    The chain from fibre to product (fibre, spinning, knitting or weaving, wet processing,
    making) with electricity and heat per kilogram at each step, their uncertainty and
    sources, and the factors they multiply. A public report leaves the activity data out.
    """
)

# %% [markdown]
# ## Footprint by stage, process and gas

# %%
report.footprint(
    """
    The footprint with every quantity at its nominal value. Fibre and the heat of wet
    processing (scouring, bleaching, dyeing, finishing) are usually the largest parts; the
    process table shows which.
    """
)

# %% [markdown]
# ## One inventory, every method profile

# %%
report.methods(
    """
    The same inventory under each method profile: the electricity accounting and the GWP set
    move a textile footprint less than its heat and fibre do.
    """
)

# %% [markdown]
# ## Uncertainty (Monte Carlo) and convergence

# %%
report.monte_carlo(
    """
    Every uncertain quantity drawn from its distribution, seeded: the histogram is the range
    of footprints the data allow and the 95 % interval where nineteen in twenty fall; flat,
    narrow convergence lines mean enough samples.
    """
)

# %% [markdown]
# ## What drives it

# %%
report.drivers(
    """
    Which factors make up the footprint, which quantities swing it one at a time and which
    explain its uncertainty: typically the fibre factor and the heat of dyeing.
    """
)

# %% [markdown]
# ## Data quality

# %%
report.data_quality(
    """
    The data quality rating (1 excellent … 5 very poor) weighted by contribution, with the
    shares of site and traceable data and what the cut-off left out.
    """
)

# %% [markdown]
# ## Class, with its probability

# %%
report.classes(
    """
    The product's class under the schemes that fit it (pcflab's percentile tiers of cotton
    T-shirts), deterministic and with its probability. Yarns, fabrics and other garments have
    no fitting scheme yet, and the section says so.
    """
)

# %% [markdown]
# ## The textile lever: fibre and the heat source of wet processing, with paired uncertainty

# %%
report.scenario(
    """
    The same product with the heat of wet processing from gas instead of coal boilers (where
    the model splits its boilers) or with organic instead of conventional cotton, simulated
    with the same seed so that every quantity the two share draws the same values. The
    interval of the difference says whether the change stands out of the data's uncertainty.
    """
)

# %% [markdown]
# ## Compared with its family

# %%
report.compare(
    """
    The product beside the other textile products with its functional unit, simulated
    together: fibre, dyeing and heat quantities they share draw the same values in every
    sample; a probability near 0.5 means the data cannot tell the two apart.
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
