"""Shared fixtures: factories that write small, valid model and factor files."""

import os
import tempfile
import textwrap

import pytest

from tests.models_for_tests import SMALL_MODEL, edit, widget_yaml

__all__ = ["FACTOR_HEADER", "SMALL_MODEL", "factor_row"]


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


def _write(tmp_path, text, name):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture
def model_file(tmp_path):
    """Write a model YAML (dedented) to a file; returns its path."""

    def make(text, name="model.yaml"):
        return _write(tmp_path, text, name)

    return make


@pytest.fixture
def write_model(tmp_path):
    """Factory: write a model text with edits to ``tmp_path``; returns its path.

    ``write_model(TEXT, (old, new), ..., file="model.yaml")``: the edits are applied in order
    by ``tests.models_for_tests.edit`` and must each match the text.
    """

    def make(text, *edits, file="model.yaml"):
        return _write(tmp_path, edit(text, *edits), file)

    return make


@pytest.fixture
def widget_model(write_model):
    """Factory: write the one-process widget model (``SMALL_MODEL``) with overrides.

    ``widget_model((old, new), ..., file="model.yaml", power=100, gsd=1.2, id="test/widget")``:
    keyword overrides go to ``tests.models_for_tests.widget_yaml``, then the text edits are
    applied; returns the path of the file written.
    """

    def make(*edits, file="model.yaml", **overrides):
        return write_model(widget_yaml(**overrides), *edits, file=file)

    return make
