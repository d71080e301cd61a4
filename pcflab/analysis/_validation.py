"""Shipped models beside published footprints: the validation table.

Each sector folder of ``datasets/models`` holds a ``validation.yaml``: for every model, one
or more published footprints of the same product (EPD, national or sector database,
peer-reviewed LCA) with source and scope, and the band of the ratio pcflab / published the
model must stay in (format: ``datasets/models/README.md``, section "Validation").
``validation_table`` computes each model's deterministic footprint beside them;
``validation_markdown`` writes the table kept as ``datasets/models/VALIDATION.md``.
"""

import importlib.resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pcflab.core import PcfError, ureg
from pcflab.models import load_model

from ._footprint import footprint

__all__ = ["PublishedValue", "ValidationEntry", "validation_entries", "validation_markdown", "validation_table"]


class PublishedValue(BaseModel):
    """A published footprint of the product (value in ``unit``, e.g. ``kg CO2e/t``)."""

    model_config = ConfigDict(extra="forbid")
    value: float = Field(gt=0)
    unit: str
    source: str = Field(min_length=20)  # title, publisher, year, table or page, URL or DOI
    scope: str
    gwp_set: str | None = None
    year: int | None = None


class ValidationEntry(BaseModel):
    """One entry: a shipped model, a published value, the allowed band of pcflab / published."""

    model_config = ConfigDict(extra="forbid")
    model: str
    profile: str = "iso14067"
    published: PublishedValue
    band: tuple[float, float]
    note: str = ""

    @field_validator("band")
    @classmethod
    def _band_contains_one(cls, band):
        low, high = band
        if not 0 < low < 1 < high:
            raise ValueError(f"band {list(band)} must contain 1 (0 < low < 1 < high)")
        return band


def _models_root():
    return Path(str(importlib.resources.files("pcflab.datasets").joinpath("models")))


def validation_entries(root=None):
    """Read every ``validation.yaml`` under ``root``.

    Parameters
    ----------
    root : str or Path, optional
        Folder of sector folders (default: the shipped ``datasets/models``).

    Returns
    -------
    list of (Path, int, ValidationEntry)
        File, index of the entry in the file, entry; sorted by file.

    Raises
    ------
    PcfError
        An entry that breaks the format, naming the file, the entry and every field at fault.
    """
    root = _models_root() if root is None else Path(root)
    out = []
    for path in sorted(root.glob("*/validation.yaml")):
        text = path.read_text("utf-8")
        raw = yaml.safe_load(text) or []
        if not isinstance(raw, list):
            raise PcfError(f"{path}: a validation file is a list of entries (- model: ...)")
        lines = [node.start_mark.line + 1 for node in yaml.compose(text).value]
        for i, item in enumerate(raw):
            try:
                out.append((path, i, ValidationEntry.model_validate(item)))
            except ValidationError as exc:
                fields = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'entry'}: {e['msg']}" for e in exc.errors())
                raise PcfError(
                    f"entry {i + 1}: {fields}",
                    file=path,
                    line=lines[i],
                    hint="the format is in datasets/models/README.md, section 'Validation'",
                ) from None
    return out


def published_per_functional_unit(entry, model):
    """Convert a published value to kg CO2e per the model's functional unit.

    Parameters
    ----------
    entry : ValidationEntry
        Its ``published.unit`` is ``<mass> CO2e/<amount>`` (``kg CO2e/t``, ``t CO2e/t``,
        ``kg CO2e/item``).
    model : ProductSystem
        The model whose functional unit the value is scaled to.

    Returns
    -------
    float
        Published footprint [kg CO2e per functional unit].
    """
    mass, per = (s.strip() for s in entry.published.unit.split("/", 1))
    mass = mass.replace("CO2e", "").strip()
    fu = ureg.Quantity(model.functional_unit.amount, model.functional_unit.unit)
    return (ureg.Quantity(entry.published.value, mass) / ureg.Quantity(1.0, per) * fu).to("kg").magnitude


def validation_table(entries=None, factors=None):
    """Each model's deterministic footprint beside its published values.

    Parameters
    ----------
    entries : list of (Path, int, ValidationEntry), optional
        Default: ``validation_entries()`` of the shipped models.
    factors : FactorDB, optional
        Factor database (default: the shipped release).

    Returns
    -------
    pandas.DataFrame
        One row per entry: model, profile, ``pcflab`` and ``published`` [kg CO2e per
        functional unit], the published value as stated, ``ratio`` (pcflab / published),
        the band, ``within`` (ratio inside the band), scope, source and note.
    """
    import pandas as pd

    entries = validation_entries() if entries is None else entries
    rows, models = [], {}
    for _, _, e in entries:
        model = models.setdefault(e.model, load_model(e.model))
        total = float(footprint(model, factors, profile=e.profile)["gwp100"].sum())
        published = published_per_functional_unit(e, model)
        ratio = total / published
        rows.append(
            {
                "model": e.model,
                "profile": e.profile,
                "functional_unit": f"{model.functional_unit.amount:g} {model.functional_unit.unit}",
                "pcflab": total,
                "published": published,
                "published_as_stated": f"{e.published.value:g} {e.published.unit}",
                "ratio": ratio,
                "band_low": e.band[0],
                "band_high": e.band[1],
                "within": bool(e.band[0] <= ratio <= e.band[1]),
                "scope": e.published.scope,
                "source": " ".join(e.published.source.split()),
                "note": " ".join(e.note.split()),
            }
        )
    return pd.DataFrame(rows)


def _amount(value):
    """Format a footprint for reading: whole kilograms with thousands separators from 100 kg up."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _cell(text):
    return str(text).replace("|", "\\|")


def validation_markdown(table):
    """Write the validation table as the Markdown page ``datasets/models/VALIDATION.md``.

    Parameters
    ----------
    table : pandas.DataFrame
        From ``validation_table``.

    Returns
    -------
    str
        A page with the summary (entries, models, within band, the five ratios farthest
        from 1) and one row per entry, then each entry's source and note.
    """
    import numpy as np

    far = table.assign(dist=np.abs(np.log(table["ratio"]))).sort_values("dist", ascending=False).head(5)
    lines = [
        "# Validation: shipped models beside published footprints",
        "",
        "Written by `pcflab validation --md datasets/models/VALIDATION.md` from the sector files",
        "`datasets/models/*/validation.yaml`; `tests/test_validation_table.py` fails when this page",
        "is out of date or a model leaves its band. pcflab = deterministic footprint of the model",
        "under the entry's profile (GWP set of the profile); ratio = pcflab / published, both in",
        "kg CO₂e per functional unit.",
        "",
        f"- entries: {len(table)}; models: {table['model'].nunique()}; within band: {int(table['within'].sum())}",
        "- ratios farthest from 1: " + ", ".join(f"{r.model} {r.ratio:.2f}" for r in far.itertuples()),
        "",
        "| # | model | functional unit | pcflab [kg CO₂e] | published [kg CO₂e] | published (as stated) "
        "| ratio | band | scope |",
        "|---:|---|---|---:|---:|---|---:|---|---|",
    ]
    for i, r in enumerate(table.itertuples(), 1):
        band = f"{r.band_low:g}–{r.band_high:g}" + ("" if r.within else " **outside**")
        lines.append(
            f"| {i} | {r.model} | {_cell(r.functional_unit)} | {_amount(r.pcflab)} | {_amount(r.published)} "
            f"| {_cell(r.published_as_stated)} "
            f"| {r.ratio:.2f} | {band} | {_cell(r.scope)} |"
        )
    lines += ["", "## Sources and notes", ""]
    for i, r in enumerate(table.itertuples(), 1):
        lines.append(f"{i}. **{r.model}** — {r.source}" + (f" *Note:* {r.note}" if r.note else ""))
    return "\n".join(lines) + "\n"
