"""The sections of a footprint report, shared by every notebook.

A notebook builds one ``ReportSections`` from its parameters cell and calls one method
per section; each method displays its tables, figures and a sentence of what they show,
and keeps its results for the ``summary.json`` and ``results.nc`` that ``outputs`` writes.
The notebooks hold the prose of their sector; the code is here, once.

``paired_scenario`` runs a model and its scenario (``scenario_model``) with the same
seed: both keep the model's id, so every uncertain quantity they share draws the same
random numbers, and the difference of the two footprints is computed sample by sample.
"""

import numpy as np
import pandas as pd

import pcflab.reporting._label as label
import pcflab.reporting._plots as plots
import pcflab.reporting._summary as summaries
import pcflab.reporting._tables as tables
from pcflab import analysis
from pcflab.core import ReportError, format_unit
from pcflab.factors import load_factors
from pcflab.models import compile_model, load_model

from ._levers import check_schemes, default_schemes, scenario_model, sector_lever
from ._report import ReportParameters

_KG = format_unit("kg CO2e")


def _quantiles(x):
    lo, hi = np.quantile(x, [0.025, 0.975])
    return float(lo), float(hi)


def _drawn(cm):
    """Ids of the quantities a compiled model draws (neither fixed nor computed by a formula)."""
    from pcflab.kernel import FIXED

    return {q for q, kind in zip(cm.parameter_ids, cm.kinds, strict=True) if kind != FIXED}


def paired_scenario(base, alternative, n_samples, seed, *, gwp_set=None, sampler="random", result=None):
    """Simulate a model and a scenario of it with paired draws, and their difference.

    Parameters
    ----------
    base, alternative : CompiledModel
        The model and its scenario (``scenario_model``: same model id).
    n_samples : int
        Monte Carlo samples.
    seed : int
        Seed of both runs.
    gwp_set : str, optional
        GWP100 set.
    sampler : {"random", "lhs", "sobol"}
        Sampler of both runs.
    result : xarray.Dataset, optional
        An existing ``analysis.simulate(base, ..., record="all")`` result with the same seed,
        sample count and sampler, reused.

    Returns
    -------
    dict
        ``base`` and ``alternative`` (sample totals [kg CO2e per functional unit]),
        ``difference`` (alternative - base, per sample), its ``mean``, ``lower`` and
        ``upper`` (95 % interval), ``p_lower`` (probability that the scenario's footprint
        is below the base's), ``shared`` (the number of quantities both draw) and
        ``identical_draws`` (whether every shared quantity drew the same values).
    """
    if result is None:
        result = analysis.simulate(base, n_samples, seed, gwp_set=gwp_set, sampler=sampler, record="all")
    alt = analysis.simulate(alternative, n_samples, seed, gwp_set=gwp_set, sampler=sampler, record="all")
    shared = sorted(_drawn(base) & _drawn(alternative))
    identical = bool(
        all(np.array_equal(result["theta"].sel(quantity=q).values, alt["theta"].sel(quantity=q).values) for q in shared)
    )
    b, a = result["total"].values, alt["total"].values
    d = a - b
    lower, upper = _quantiles(d)
    return {
        "base": b,
        "alternative": a,
        "difference": d,
        "mean": float(d.mean()),
        "se_mean": float(d.std(ddof=1) / np.sqrt(d.size)),
        "lower": lower,
        "upper": upper,
        "p_lower": float(np.mean(a < b)),
        "shared": len(shared),
        "identical_draws": identical,
        "alternative_result": alt,
    }


def _decimals(spread):
    """Decimals that show a spread [kg CO2e] to about three digits: at least 1, at most 4."""
    spread = abs(float(spread))
    return 1 if spread == 0 or not np.isfinite(spread) else int(min(4, max(1, 2 - np.floor(np.log10(spread)))))


def _plot_paired(pair, ax=None):
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.4), layout="constrained")
    d = pair["difference"]
    ax.hist(d, bins=60, color="#56B4E9", edgecolor="white", linewidth=0.4)
    ax.axvspan(pair["lower"], pair["upper"], color="#E69F00", alpha=0.25, label="95 % interval of the difference")
    ax.axvline(0.0, color="#2c3e50", lw=1.2, ls="--", label="no change")
    ax.axvline(pair["mean"], color="#D55E00", lw=1.6, label=f"mean {pair['mean']:,.1f}")
    ax.set_xlabel(f"scenario − base [{format_unit('kg CO2e per functional unit')}]")
    ax.set_ylabel("samples")
    ax.set_title("Paired difference, sample by sample (same seed, shared draws)")
    ax.legend(fontsize=8, frameon=False)
    return ax


def _show(axes):
    import matplotlib.pyplot as plt
    from IPython.display import display
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    set_matplotlib_formats("svg")  # figures as SVG, whatever MPLBACKEND says
    display(axes.figure)
    plt.close(axes.figure)


def _md(text):
    import textwrap

    from IPython.display import Markdown, display

    text = textwrap.dedent(text).strip()
    if text:
        display(Markdown(text))


def _table(frame, digits=1):
    from IPython.display import HTML, display

    display(HTML(tables.html_table(frame, digits=digits)))


class ReportSections:
    """The sections of a report of one model, with the results they share.

    Every section method but ``product`` takes ``text``: what the section shows and what
    it means, in the words of the notebook's sector, shown above its tables and figures.

    Parameters
    ----------
    **parameters
        The notebook's parameters (``ReportParameters``); ``schemes=None`` grades under the
        schemes of the product's sector, ``scenario={}`` takes the sector's own lever.

    Raises
    ------
    ReportError
        Naming the parameter that is wrong, before anything is computed.
    """

    def __init__(self, **parameters):

        self.params = p = ReportParameters(**parameters)
        self.factors = load_factors()
        self.system = load_model(p.model)
        self.compiled = compile_model(self.system, self.factors, p.profile)
        if p.schemes is None:
            self.schemes = default_schemes(self.system)
        else:
            check_schemes(p.schemes, self.system)
            self.schemes = list(p.schemes)
        if p.scenario:
            self.lever = (dict(p.scenario), "as given: " + ", ".join(f"{k} → {v}" for k, v in p.scenario.items()))
        else:
            self.lever = sector_lever(self.system, self.factors, p.profile)
        self.public = p.disclosure == "public"
        self.det = self.mc = self.stats = self.methods_table = self.by_factor = None
        self.swings = self.shares = self.sobol = self.quality = None
        self.grades, self.pair, self.comparison = [], None, None

    @classmethod
    def from_namespace(cls, namespace):
        """Build the sections from a notebook's namespace: its parameters cell's names.

        Parameters
        ----------
        namespace : dict
            ``globals()`` of the notebook; the names of ``ReportParameters`` are taken.

        Returns
        -------
        ReportSections
        """
        fields = ReportParameters.model_fields
        return cls(**{k: v for k, v in namespace.items() if k in fields})

    @property
    def kg(self):
        """The unit of every footprint of the report, as written: kg CO₂e."""
        return _KG

    def product(self):
        """Show the product and its boundary: name, functional unit, region, year, method."""
        s, p = self.system, self.params
        fu = s.functional_unit
        stages = sorted({proc.stage.replace("_", " ") for proc in s.processes.values()})
        facts = [
            f"## {s.name}",
            s.name_zh or "",
            f"**Functional unit:** {fu.amount:g} {format_unit(fu.unit)}, {fu.description}. **Region:** {s.region}. "
            f"**Reference year:** {s.year}. **Sector:** {s.sector}.",
            f"**Method:** {self.compiled.profile.title} (profile `{p.profile}`), IPCC {p.gwp_set} GWP100. "
            f"**Boundary:** {len(s.processes)} processes in the life-cycle stages {', '.join(stages)}; "
            f"the reference process is `{s.reference_process}`.",
            s.description or "",
        ]
        _md("\n\n".join(facts))

    def inventory(self, text=""):
        """Show the inventory and data sources: processes, parameters (verifier only), factors."""
        _md(text)
        s = self.system
        rows = [
            {"process": name, "stage": proc.stage, "product": proc.reference_product.name, "source": proc.source or ""}
            for name, proc in s.processes.items()
        ]
        if not any(r["source"] for r in rows):
            rows = [{k: v for k, v in r.items() if k != "source"} for r in rows]
        _md("### Processes")
        _table(pd.DataFrame(rows).set_index("process"), digits=None)
        if self.public:
            _md(
                "### Activity data\n\nLeft out of this **public** report (disclosure level `public`): the "
                f"activity data of the model ({len(s.parameters)} parameters and the exchange amounts) are for "
                "the verifier's report."
            )
        else:
            params = [
                {
                    "parameter": name,
                    "value": "formula: " + q.formula if q.formula else f"{q.value:g}",
                    "unit": format_unit(q.unit),
                    "uncertainty": q.uncertainty.distribution
                    if q.uncertainty
                    else "from its inputs"
                    if q.formula
                    else "fixed",
                    "source": q.source or "",
                }
                for name, q in s.parameters.items()
            ]
            if params:
                _md("### Activity data (parameters)")
                _table(pd.DataFrame(params).set_index("parameter"), digits=None)
        _md("### Emission factors used")
        for res in self.compiled.resolutions:
            extra = f" ({'; '.join(res.substitutions)})" if res.substitutions else ""
            _md(f"- `{res.key}` for {res.region} {res.year} → `{res.factor_id}`{extra}")
        _table(tables.factor_table(self.compiled, self.factors), digits=None)

    def footprint(self, text=""):
        """Show the deterministic footprint by life-cycle stage, process and gas."""
        _md(text)
        self.det = det = analysis.footprint(self.compiled, gwp_set=self.params.gwp_set)
        total = float(det["gwp100"].sum())
        stages = tables.stage_totals(det)
        top = stages.abs().idxmax() if len(stages) else None
        share = (
            f" The largest stage is **{top.replace('_', ' ')}** ({100 * stages[top] / total:.0f} % of the total)."
            if total
            else ""
        )
        _md(f"**Footprint: {total:,.1f} {_KG} per functional unit.**{share if top is not None else ''}")
        _table(tables.stage_table(det))
        _show(plots.plot_stages(det))
        _md("### By process")
        _table(tables.process_table(det))
        _md("### By gas (`co2e`: factors published already characterised)")
        _table(tables.gas_table(det), digits=3)

    def methods(self, text=""):
        """Show one inventory under every method profile."""
        _md(text)
        self.methods_table = table = analysis.compare_methods(self.system, self.factors)
        _table(tables.method_table(table))
        totals = table["total"]
        _md(
            f"Across the {len(totals)} profiles the footprint runs from **{totals.min():,.1f}** "
            f"(`{totals.idxmin()}`) to **{totals.max():,.1f} {_KG}** (`{totals.idxmax()}`): the same inventory, "
            "different accounting rules."
        )

    def monte_carlo(self, text=""):
        """Show the Monte Carlo distribution, its 95 % interval and convergence."""
        _md(text)
        p = self.params
        self.mc = mc = analysis.simulate(
            self.compiled, p.n_samples, p.seed, gwp_set=p.gwp_set, sampler=p.sampler, record="all"
        )
        self.stats = stats = analysis.summary(mc)
        errors = analysis.standard_errors(mc)
        width = 100 * (stats["upper"] - stats["lower"]) / 2 / abs(stats["mean"]) if stats["mean"] else float("nan")
        _md(
            f"**{stats['mean']:,.1f} {_KG}** (mean of {stats['n']:,} samples, {p.sampler} sampler, seed {p.seed}); "
            f"95 % interval **{stats['lower']:,.1f} – {stats['upper']:,.1f} {_KG}**, about ±{width:.0f} % of the "
            f"mean; {mc.attrs['n_uncertain']} uncertain quantities."
        )
        _table(tables.statistics_table(self.det, stats))
        _show(plots.plot_histogram(mc))
        _md("### Convergence")
        _show(plots.plot_convergence(mc))
        _md(
            f"Standard error of the mean: {errors['se_mean']:,.2f} {_KG} "
            f"({100 * errors['se_mean'] / abs(errors['mean']):.2f} % of the mean): the mean is known to about "
            f"±{1.96 * errors['se_mean']:,.1f} {_KG} from this many samples."
        )

    def drivers(self, text=""):
        """Show what drives the footprint: contributions, tornado, variance shares, Sobol indices."""
        _md(text)
        p = self.params
        self.by_factor = analysis.contributions(self.compiled, by="factor", gwp_set=p.gwp_set)
        _md("### Contributions by emission factor")
        _table(tables.contribution_table(self.by_factor, top=12))
        self.swings = analysis.tornado(self.compiled, gwp_set=p.gwp_set)
        _md("### Tornado: one quantity at a time between its 5th and 95th percentiles")
        _show(plots.plot_tornado(self.swings, top=12))
        self.shares = shares = analysis.variance_shares(self.compiled, gwp_set=p.gwp_set, result=self.mc)
        _md("### Share of the variance (squared rank correlation with the total)")
        _show(plots.plot_variance_shares(shares, top=12))
        _md(
            f"Σρ² = {shares.attrs['rho2_sum']:.2f}: the part of the variance (of the ranks) the quantities "
            "explain additively; well below one means interactions, and the Sobol indices say more."
        )
        _md("### Global sensitivity (Sobol indices, SALib)")
        if not p.sobol_n:
            _md("Left out (`sobol_n = 0`).")
            return
        self.sobol = sobol = analysis.sensitivity(
            self.compiled, "sobol", gwp_set=p.gwp_set, n_samples=p.sobol_n, seed=p.seed
        )
        _show(plots.plot_sobol(sobol, top=12))
        _md(f"{sobol.attrs['runs']:,} model runs (N = {p.sobol_n}, {sobol.sizes['input']} quantities, seed {p.seed}).")
        _table(tables.sobol_table(sobol, top=10), digits=3)

    def data_quality(self, text=""):
        """Show the data quality: the product's DQR, primary, traceable and cut-off shares."""
        _md(text)
        self.quality = quality = analysis.data_quality(self.compiled, gwp_set=self.params.gwp_set)
        _md(f"**{quality}.**")
        for note in quality.notes:
            _md(f"- {note}")
        table = tables.quality_table(quality, top=12)
        if not table.empty:
            _table(table, digits=2)

    def classes(self, text=""):
        """Show the product's class under each scheme, deterministic and with its probability."""
        from IPython.display import SVG, display

        _md(text)

        if not self.schemes:
            _md(
                f"No shipped class scheme fits this product (sector {self.system.sector}, functional unit "
                f"{format_unit(self.system.functional_unit.unit)}): a scheme grades one kind of product per one "
                "unit. Give a scheme file that does with the `schemes` parameter."
            )
            return
        gwp_set = self.params.gwp_set
        self.grades = grades = [
            analysis.grade(self.compiled, sid, gwp_set=gwp_set, result=self.mc) for sid in self.schemes
        ]
        _table(tables.grade_table(grades))
        for g in grades:
            _md(f"#### {g.scheme_name}\n\n" + "\n".join(f"- {note}" for note in g.notes))
            _show(plots.plot_class_probabilities(g))
        display(SVG(label.class_label_svg(grades[0], product_name=self.system.name)))

    def scenario(self, text=""):
        """Show the sector's lever as a scenario, with paired uncertainty."""
        _md(text)
        p = self.params
        if self.lever is None:
            _md(
                "None of the sector's levers applies to this model (or none moves its footprint); give one with "
                'the `scenario` parameter, such as `{"<parameter>": 0.3}` or `{"<factor id>": "<factor id>"}`.'
            )
            return
        changes, words = self.lever
        alt = compile_model(scenario_model(self.system, changes), self.factors, p.profile)
        self.pair = pair = paired_scenario(
            self.compiled, alt, p.n_samples, p.seed, gwp_set=p.gwp_set, sampler=p.sampler, result=self.mc
        )
        base, other = float(np.mean(pair["base"])), float(np.mean(pair["alternative"]))
        d = _decimals(pair["upper"] - pair["lower"])
        verdict = (
            "lower than" if pair["upper"] < 0 else "higher than" if pair["lower"] > 0 else "not distinguishable from"
        )
        _md(
            f"**Scenario:** {words}.\n\n"
            f"Mean footprint {base:,.{d}f} → **{other:,.{d}f} {_KG}**; difference (scenario − base) "
            f"**{pair['mean']:,.{d}f} {_KG}** (± {1.96 * pair['se_mean']:,.{d}f} Monte Carlo precision), 95 % interval "
            f"**{pair['lower']:,.{d}f} – {pair['upper']:,.{d}f}**; P(scenario < base) = **{pair['p_lower']:.3f}**. "
            f"The scenario is **{verdict}** the base once the shared uncertainty is accounted for.\n\n"
            f"Paired: {pair['shared']} uncertain quantities are in both runs and "
            + ("drew identical values in every sample" if pair["identical_draws"] else "did NOT draw identical values")
            + f" (same seed {p.seed}, same streams); a set lever is fixed in the scenario."
        )
        _show(_plot_paired(pair))

    def compare(self, text="", max_products=8):
        """Show the product beside the others of its family, simulated with shared draws.

        The family: the shipped models of the product's sector with the same functional
        unit (at most ``max_products``, those with the nearest deterministic footprints).
        Each product's probability of each rank, and P(this product < other) with the
        interval of the difference, from ``pcflab.compare_products``.
        """
        from pcflab.core import ureg
        from pcflab.models import shipped_models

        _md(text)
        p, me = self.params, self.system
        fu = ureg.Quantity(me.functional_unit.amount, me.functional_unit.unit)
        fu_text = f"{me.functional_unit.amount:g} {format_unit(me.functional_unit.unit)}"
        sector = me.id.split("/", 1)[0]
        family = {}
        for name in shipped_models():
            if not name.startswith(sector + "/") or name == me.id:
                continue
            other = load_model(name)
            q = ureg.Quantity(other.functional_unit.amount, other.functional_unit.unit)
            if q.dimensionality == fu.dimensionality and abs(q.to(fu.units).magnitude / fu.magnitude - 1) < 1e-9:
                family[name] = other
        if not family:
            _md(
                f"No other shipped product of the {sector} sector has the functional unit {fu_text}: "
                "nothing to compare."
            )
            return
        mine = float(self.det["gwp100"].sum()) if self.det is not None else None
        if mine is not None and len(family) > max_products - 1:
            near = sorted(
                family, key=lambda n: abs(float(analysis.footprint(family[n], self.factors)["gwp100"].sum()) - mine)
            )
            family = {n: family[n] for n in near[: max_products - 1]}
        products = [self.compiled] + [compile_model(m, self.factors, p.profile) for m in family.values()]
        n = min(p.n_samples, 5_000)
        self.comparison = cmp = analysis.compare_products(
            products, n_samples=n, seed=p.seed, profile=p.profile, gwp_set=p.gwp_set, sampler=p.sampler
        )
        me_id = str(cmp["product"].values[0])
        rows = []
        for other in cmp["product"].values[1:]:
            sel = {"product": me_id, "other": other}
            rows.append(
                {
                    "model": str(other),
                    f"mean [{_KG}]": float(cmp["mean"].sel(product=other)),
                    f"difference, this − other [{_KG}]": float(cmp["difference_mean"].sel(sel)),
                    "95 % interval of the difference": f"{float(cmp['difference_lower'].sel(sel)):,.0f} – "
                    f"{float(cmp['difference_upper'].sel(sel)):,.0f}",
                    "P(this < other)": f"{float(cmp['p_less'].sel(sel)):.2f}",
                }
            )
        ranks = cmp["rank_probability"].sel(product=me_id)
        best = int(np.argmax(ranks.values)) + 1
        _md(
            f"{len(products)} products of the {sector} sector per {fu_text}, {n:,} samples with shared draws of "
            f"{cmp.attrs['n_shared']} uncertain quantities they share (seed {p.seed}). This product's most likely "
            f"rank is **{best} of {len(products)}** (probability {float(ranks.max()):.2f}; rank 1 = lowest footprint)."
        )
        table = pd.DataFrame(rows).set_index("model")
        table.index.name = None
        _table(table, digits=0)
        _show(plots.plot_comparison(cmp, kind="ranks"))

    def outputs(self, text=""):
        """Show the provenance of the report and write its ``summary.json`` and ``results.nc``."""
        from IPython.display import HTML, display

        _md(text)

        provenance = summaries.report_provenance(self.mc)
        display(
            HTML('<div class="pcf-provenance">' + "<br>".join(f"{k}: {v}" for k, v in provenance.items()) + "</div>")
        )
        numbers = summaries.report_summary(
            self.det,
            self.mc,
            method_profiles=self.methods_table,
            contributions_by_factor=self.by_factor,
            tornado_swing=self.swings,
            variance_shares=self.shares,
            data_quality=self.quality,
            sobol=self.sobol,
            grades=self.grades,
        )
        mc = self.mc.drop_vars(["theta", "quantity_units"], errors="ignore") if self.public else self.mc
        if self.det is None or self.mc is None:
            raise ReportError("the report's outputs need the footprint and Monte Carlo sections first")
        return summaries.write_report_outputs(self.params.output_dir, numbers, mc, self.det)
