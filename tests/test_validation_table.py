"""Every shipped model's footprint stands beside a published value for the same product.

The published values live beside the models, one ``validation.yaml`` per sector folder of
``datasets/models`` (format in ``datasets/models/README.md``, section "Validation"). Each
entry gives the published footprint of the same product (EPD, national or sector
database, peer-reviewed LCA) with its source and scope, and the band of the ratio
pcflab / published that the model must stay in; a ratio outside its band fails here, so
a model that drifts from the literature is noticed.
"""

from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

import pcflab
from pcflab.core import ureg
from pcflab.models import shipped_models

MODELS = Path(__file__).resolve().parents[1] / "datasets" / "models"


class Published(BaseModel):
    """A published footprint of the product."""

    model_config = ConfigDict(extra="forbid")
    value: float = Field(gt=0)
    unit: str  # "kg CO2e/t", "t CO2e/t", "kg CO2e/item"
    source: str = Field(min_length=20)  # title, publisher, year, table or page, URL or DOI
    scope: str  # cradle-to-gate, cradle-to-grave ...
    gwp_set: str | None = None
    year: int | None = None


class Entry(BaseModel):
    """One validation entry: a model, a published value, the allowed band of the ratio."""

    model_config = ConfigDict(extra="forbid")
    model: str
    profile: str = "iso14067"
    published: Published
    band: tuple[float, float]
    note: str = ""

    @model_validator(mode="after")
    def _band_ok(self):
        low, high = self.band
        if not 0 < low < 1 < high:
            raise ValueError(f"band {self.band} must contain 1 (low < 1 < high)")
        return self


def entries():
    """Every validation entry of every sector, as (file, index, Entry)."""
    out = []
    for path in sorted(MODELS.glob("*/validation.yaml")):
        for i, raw in enumerate(yaml.safe_load(path.read_text("utf-8")) or []):
            out.append((path, i, Entry.model_validate(raw)))
    return out


def published_per_functional_unit(entry, model):
    """The published value in kg CO2e per the model's functional unit."""
    mass, per = (s.strip() for s in entry.published.unit.split("/", 1))
    mass = mass.replace("CO2e", "").strip()
    fu = ureg.Quantity(model.functional_unit.amount, model.functional_unit.unit)
    return (ureg.Quantity(entry.published.value, mass) / ureg.Quantity(1.0, per) * fu).to("kg").magnitude


ENTRIES = entries()


#: models whose published values are still being gathered (this list only shrinks)
PENDING: set[str] = set()


def test_every_shipped_model_has_a_published_value():
    covered = {e.model for _, _, e in ENTRIES}
    missing = {name for name in shipped_models() if name not in covered}
    assert missing == PENDING, "add a validation.yaml entry (or remove a covered model from PENDING)"


def test_every_entry_names_a_shipped_model():
    names = set(shipped_models())
    unknown = [f"{path.name}[{i}]: {e.model}" for path, i, e in ENTRIES if e.model not in names]
    assert unknown == []


@pytest.mark.parametrize("entry", [e for _, _, e in ENTRIES], ids=[f"{e.model}#{i}" for _, i, e in ENTRIES])
def test_model_stays_in_its_published_band(entry):
    model = pcflab.load_model(entry.model)
    total = float(pcflab.footprint(model, profile=entry.profile)["gwp100"].sum())
    ratio = total / published_per_functional_unit(entry, model)
    low, high = entry.band
    assert low <= ratio <= high, (
        f"{entry.model}: pcflab {total:,.1f} kg CO2e per functional unit is {ratio:.3f}x the published "
        f"{entry.published.value:g} {entry.published.unit} ({entry.published.source}); band {low}-{high}"
    )


def test_conversion_to_the_functional_unit():
    entry = Entry(
        model="x",
        published=Published(value=2.0, unit="t CO2e/t", source="a source of twenty characters", scope="gate"),
        band=(0.5, 2.0),
    )

    class FU:
        amount, unit = 1, "kg"

    class M:
        functional_unit = FU

    assert published_per_functional_unit(entry, M) == pytest.approx(2.0)  # 2 t/t = 2 kg/kg
    entry.published.unit = "kg CO2e/t"
    assert published_per_functional_unit(entry, M) == pytest.approx(0.002)
