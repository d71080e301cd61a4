"""Shared fixtures: factories that write small, valid model and factor files."""

import os
import tempfile
import textwrap

import pytest


def pytest_configure(config):
    """Keep factor builds of the test run out of the user's cache folder."""
    os.environ.setdefault("PCFLAB_CACHE_DIR", tempfile.mkdtemp(prefix="pcflab-test-cache-"))


FACTOR_HEADER = (
    "id,gas,value,unit,per,name_en,name_zh,region,year,gwp_set,uncertainty,gsd,pedigree,"
    "basic_uncertainty,source,publisher,url,tag,traceability,notes"
)


@pytest.fixture
def factor_file(tmp_path):
    """Build a factor CSV from row strings (without header); returns its path."""

    def make(*rows, name="factors.csv"):
        path = tmp_path / name
        path.write_text("\n".join([FACTOR_HEADER, *rows]) + "\n", encoding="utf-8")
        return path

    return make


def factor_row(
    fid="test/electricity/grid/2023",
    gas="co2_fossil",
    value="0.5",
    unit="kg",
    per="kWh",
    gwp_set="",
    gsd="1.1",
    pedigree="",
    basic="",
    region="CN-SD",
    tag="P",
):
    """One CSV row of a factor table."""
    return (
        f"{fid},{gas},{value},{unit},{per},Test factor,测试,{region},2023,{gwp_set},lognormal,{gsd},"
        f"{pedigree},{basic},Test source,Tester,,{tag},literature,"
    )


@pytest.fixture
def model_file(tmp_path):
    """Write a model YAML (dedented) to a file; returns its path."""

    def make(text, name="model.yaml"):
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return make


SMALL_MODEL = """
pcflab_model: 1
id: test/widget
name: Widget
sector: test
region: CN-SD
year: 2023
functional_unit: {amount: 1, unit: t, description: one tonne of widgets}
reference_process: assembly
parameters:
  power:
    value: 100
    unit: kWh/t
    uncertainty: {distribution: lognormal, gsd: 1.2}
processes:
  assembly:
    name: Assembly
    stage: production
    reference_product: {name: widget, amount: 1, unit: t}
    factors:
      - {factor: test/electricity/grid/2023, amount: power, unit: kWh/t}
"""
