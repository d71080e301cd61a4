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
# # Carbon footprint report: electrolytic aluminium
#
# A pcflab report of one aluminium product (alumina, primary ingot from the Hall-Héroult
# cells, billet or secondary ingot): the product and its boundary, the inventory and its
# sources, the footprint by stage, process and gas, the inventory under every method
# profile, its uncertainty, what drives it, its data quality, its class, and what another
# power source or a larger green-electricity share would change. Electricity of the pots is
# most of a primary ingot's footprint, so the power source is this sector's lever.

# %% tags=["parameters"]
model = "aluminium/primary-ingot"  # aluminium model file or shipped model name
gwp_set = "AR6"  # IPCC GWP100 values (AR4, AR5, AR6); PFCs weigh heavily here
profile = "iso14067"  # method profile of pcflab.methods.PROFILES
n_samples = 10_000  # Monte Carlo samples, at least 100
seed = 42  # one seed for the Monte Carlo run, the Sobol design and the scenario
sampler = "random"  # random, lhs or sobol
sobol_n = 256  # Sobol N (a power of two); 0 skips the Sobol indices
schemes = None  # None: pcflab-percentile-aluminium where it fits; or a list of scheme ids
scenario = {}  # {}: green share to 1, or hydropower for the grid; {"<factor>": "<factor>"}
disclosure = "verifier"  # "public" hides activity data such as the smelter's kWh per t
lang = "en"  # language; Chinese is the next issue's
output_dir = ""  # "" writes to $PCFLAB_OUTPUT_DIR/<model> or reports/out/<model>

# %%
import pcflab

report = pcflab.ReportSections.from_namespace(globals())  # the parameters above, checked
report.product()

# %% [markdown]
# ## Inventory and data sources

# %%
report.inventory(
    """
    Bauxite, alumina refining, anodes and the electrolysis cells with their stages; the
    activity data (AC electricity per tonne of metal, alumina and anode consumption, each with
    its uncertainty and source) and the factors they multiply, with region, year and quality.
    A public report leaves the activity data out.
    """
)

# %% [markdown]
# ## Footprint by stage, process and gas

# %%
report.footprint(
    """
    The footprint with every quantity at its nominal value. For a primary ingot on a coal-heavy
    grid the electrolysis dominates: its electricity, the anode CO₂ and the perfluorocarbons of
    anode effects, which the gas table shows apart from CO₂.
    """
)

# %% [markdown]
# ## One inventory, every method profile

# %%
report.methods(
    """
    The same inventory under each method profile. Location-based and market-based electricity
    accounting differ most where the smelter buys green electricity; the GWP set moves the
    PFCs.
    """
)

# %% [markdown]
# ## Uncertainty (Monte Carlo) and convergence

# %%
report.monte_carlo(
    """
    Every uncertain quantity drawn from its distribution, seeded. The histogram is the range
    the data allow and the 95 % interval where nineteen in twenty footprints fall; flat,
    narrow convergence lines mean enough samples.
    """
)

# %% [markdown]
# ## What drives it

# %%
report.drivers(
    """
    Which factors make up the footprint, which quantities swing it one at a time, and which
    explain its uncertainty: for aluminium, the grid factor and the kWh per tonne usually lead.
    """
)

# %% [markdown]
# ## Data quality

# %%
report.data_quality(
    """
    The data quality rating (1 excellent … 5 very poor) weighted by contribution; the shares
    from site data and from traceable measurement; what the cut-off left out. A smelter's own
    metered electricity would lower (improve) it most.
    """
)

# %% [markdown]
# ## Class, with its probability

# %%
report.classes(
    """
    The ingot's class under the schemes that fit it (pcflab's percentile tiers of the shipped
    primary ingots), deterministic and as a probability over the Monte Carlo samples. Products
    of another kind (alumina, billet, secondary ingot) have no fitting scheme yet, and the
    section says so.
    """
)

# %% [markdown]
# ## The aluminium lever: power source and green-electricity share, with paired uncertainty

# %%
report.scenario(
    """
    The same product powered otherwise: all electricity under the green contract where the
    model has one, else the grid replaced by hydropower. Both runs share the seed and every
    uncertain quantity they have in common draws the same values, so the difference is the
    lever's alone. An interval that excludes zero means the change is beyond the data's
    uncertainty.
    """
)

# %% [markdown]
# ## Compared with its family

# %%
report.compare(
    """
    The ingot beside the other aluminium products with its functional unit, simulated
    together: the alumina, anode and electricity quantities they share draw the same values in
    every sample. The ranks say how often each product is the lowest; a power source changes a
    rank only when its difference interval excludes zero.
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
