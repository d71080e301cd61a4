"""Every shipped model's footprint stands beside a published value for the same product.

The published values live beside the models, one ``validation.yaml`` per sector folder of
``datasets/models`` (format in ``datasets/models/README.md``, section "Validation"); the
table of all of them is ``datasets/models/VALIDATION.md``, written by
``pcflab validation --md``. A ratio pcflab / published outside its band fails here, so a
model that drifts from the literature is noticed, and so does a page that is out of date.
"""

from pathlib import Path

import pytest

from pcflab.analysis import validation_entries, validation_markdown, validation_table
from pcflab.analysis._validation import PublishedValue, ValidationEntry, published_per_functional_unit
from pcflab.core import PcfError
from pcflab.models import shipped_models

MODELS = Path(__file__).resolve().parents[1] / "datasets" / "models"
ENTRIES = validation_entries()

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


@pytest.mark.parametrize("item", ENTRIES, ids=[f"{e.model}#{i}" for _, i, e in ENTRIES])
def test_model_stays_in_its_published_band(item):
    row = validation_table([item]).iloc[0]
    assert row["within"], (
        f"{row['model']}: pcflab {row['pcflab']:,.1f} kg CO2e per functional unit is {row['ratio']:.3f}x the "
        f"published {row['published_as_stated']} ({row['source']}); band {row['band_low']}-{row['band_high']}"
    )


def test_validation_page_is_up_to_date():
    page = (MODELS / "VALIDATION.md").read_text("utf-8")
    assert page == validation_markdown(validation_table(ENTRIES)), (
        "datasets/models/VALIDATION.md is out of date: run 'pcflab validation --md datasets/models/VALIDATION.md'"
    )


def test_conversion_to_the_functional_unit():
    entry = ValidationEntry(
        model="x",
        published=PublishedValue(value=2.0, unit="t CO2e/t", source="a source of twenty characters", scope="gate"),
        band=(0.5, 2.0),
    )

    class FU:
        amount, unit = 1, "kg"

    class M:
        functional_unit = FU

    assert published_per_functional_unit(entry, M) == pytest.approx(2.0)  # 2 t/t = 2 kg/kg
    entry.published.unit = "kg CO2e/t"
    assert published_per_functional_unit(entry, M) == pytest.approx(0.002)
    FU.amount, FU.unit = 1000, "kg"  # 1 t of product: 2 kg CO2e/t -> 2 kg
    entry.published.value = 2.0
    assert published_per_functional_unit(entry, M) == pytest.approx(2.0)


def test_a_broken_entry_names_file_entry_and_field(tmp_path):
    (tmp_path / "steel").mkdir()
    (tmp_path / "steel" / "validation.yaml").write_text(
        "- model: steel/x\n  published: {value: 1, unit: kg CO2e/t, source: a source of twenty chars, scope: gate}\n"
        "  band: [0.8, 1.25]\n"
        "- model: steel/y\n  published: {value: -1, unit: kg CO2e/t, source: short, scope: gate}\n  band: [1.1, 1.3]\n",
        encoding="utf-8",
    )
    with pytest.raises(PcfError) as err:
        validation_entries(tmp_path)
    text = str(err.value)
    assert "validation.yaml:4: entry 2" in text
    assert "published.value" in text and "published.source" in text and "band" in text


def test_the_command_prints_the_table_and_writes_the_page(tmp_path, capsys):
    from pcflab.cli import main

    page = tmp_path / "VALIDATION.md"
    assert main(["validation", "--md", str(page)]) == 0
    out = capsys.readouterr().out
    assert f"{len(ENTRIES)} entries" in out and "0 outside their band" in out
    assert page.read_text("utf-8") == (MODELS / "VALIDATION.md").read_text("utf-8")
