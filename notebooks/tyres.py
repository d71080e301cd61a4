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
# # Carbon footprint report: tyres
#
# A pcflab report of one tyre (passenger car, SUV, truck and bus, cradle to gate or to
# grave) or of reclaimed rubber: the product and its boundary, the bill of materials and the
# sources of its data, the footprint by stage, process and gas, the inventory under every
# method profile, its uncertainty, what drives it, its data quality, its class, and what
# another recipe (silica or carbon black in the tread) or another rubber source would change.

# %% tags=["parameters"]
model = "tyres/passenger-car-tyre"  # tyre model: file or shipped name
n_samples = 10_000  # samples of the Monte Carlo run (100 or more)
seed = 42  # the seed every sampled section uses
sampler = "random"  # "random", "lhs" or "sobol"
gwp_set = "AR6"  # AR4, AR5 or AR6 GWP100
profile = "iso14067"  # see pcflab.methods.PROFILES
schemes = None  # None: pcflab-percentile-tyres for passenger-car tyres; or ids/files
scenario = {}  # {}: carbon-black tread (silica models) or more natural rubber; or your own
sobol_n = 256  # base N of the Sobol design, 0 for none
disclosure = "verifier"  # "public": results without the recipe's amounts
lang = "en"  # only "en" for now
output_dir = ""  # where results.nc and summary.json go ("": the default folder)

# %%
import pcflab

report = pcflab.ReportSections.from_namespace(globals())  # the parameters above, checked
report.product()

# %% [markdown]
# ## Inventory and data sources

# %%
report.inventory(
    """
    The materials of the tyre (natural and synthetic rubber, carbon black, silica, steel cord,
    textile cord, oils, zinc oxide, sulphur) and its manufacturing, each share per kilogram of
    tyre with its uncertainty and source, and the factors they multiply. A public report
    leaves the recipe's amounts out.
    """
)

# %% [markdown]
# ## Footprint by stage, process and gas

# %%
report.footprint(
    """
    The footprint with every quantity at its nominal value. Synthetic rubber and carbon black
    usually make most of a new tyre's footprint; a cradle-to-grave model adds the use phase
    (rolling resistance) and end of life.
    """
)

# %% [markdown]
# ## One inventory, every method profile

# %%
report.methods(
    """
    The same tyre under each method profile; the recycling rule matters most for the
    cradle-to-grave tyres and for reclaimed rubber.
    """
)

# %% [markdown]
# ## Uncertainty (Monte Carlo) and convergence

# %%
report.monte_carlo(
    """
    Every uncertain share and factor drawn from its distribution, seeded: the histogram is the
    range of footprints the data allow, the interval where nineteen in twenty fall; flat lines
    in a narrow band mean enough samples.
    """
)

# %% [markdown]
# ## What drives it

# %%
report.drivers(
    """
    The factors that make up the footprint, the quantities that swing it one at a time, and
    those that explain its uncertainty: often the rubber and carbon-black factors, which come
    from few published sources.
    """
)

# %% [markdown]
# ## Data quality

# %%
report.data_quality(
    """
    The data quality rating (1 excellent … 5 very poor) of the result, weighted by
    contribution, with the shares of site and traceable data and the cut-off. Literature
    recipes rate worse than a plant's bill of materials.
    """
)

# %% [markdown]
# ## Class, with its probability

# %%
report.classes(
    """
    The tyre's class under the schemes that fit it (pcflab's percentile tiers of the shipped
    passenger-car tyres), deterministic and with its probability. Truck tyres and reclaimed
    rubber have no fitting scheme yet, and the section says so.
    """
)

# %% [markdown]
# ## The tyre lever: recipe and rubber source, with paired uncertainty

# %%
report.scenario(
    """
    The same tyre with carbon black instead of silica in the tread (silica models) or with
    more natural rubber in place of synthetic, simulated with the same seed so that every
    quantity the two share draws the same values. The difference and its interval are the
    lever's effect; an interval that excludes zero means the recipe change matters beyond the
    data's uncertainty.
    """
)

# %% [markdown]
# ## Compared with its family

# %%
report.compare(
    """
    The tyre beside the other tyres with its functional unit, simulated together: the rubbers,
    fillers and curing energy they share draw the same values in every sample, so P(this <
    other) answers whether a recipe is really lower, not only lower on average.
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
